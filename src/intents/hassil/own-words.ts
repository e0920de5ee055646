import type { Done } from "../handlers.js";
import { SHOPPING_LIST } from "../lists.js";
import type { RecognizedIntent, Understanding } from "../types.js";

/**
 * Hearth's own sentences in the languages of the packs, for what Home Assistant's packs have no
 * words for: the question back when a name fits devices in several places, "which area?", "what
 * is 'it'?", a finished timer, the intents a pack has sentences or a catalog entry for but no
 * response (relative volume, muting, ticking off the shopping list), and why Hearth's own handler
 * could not do what was asked (an item not on the list). English is Hearth's own (replies.ts); a
 * language missing here falls back to the pack's "I couldn't understand that" or "an unexpected
 * error occurred" rather than to English.
 */
interface OwnWords {
  /** "Which area do you mean?" when a sentence means "here" and the speaker's area is unknown. */
  whichArea: string;
  /** The question back: which of these devices (by place, else by name). */
  whichOne: (subject: string | undefined, options: readonly string[]) => string;
  /** An option of that question: the device in `area`. */
  inArea: (area: string) => string;
  /** "It" with nothing acted on lately. */
  noContext: string;
  /** Nothing of the kind asked about, where the pack's errors do not say so. */
  noTargets: string;
  timeout: string;
  invalidInput: string;
  /** Said when a timer rings. */
  timerFinished: (name: string | undefined) => string;
  /** Done, for what Hearth's own sentences understood and the pack has no response for (toggling, fan speed). */
  done: string;
  /**
   * The reply to an intent that was carried out and that the pack has no response for, from its
   * slots and what Hearth's own handler did; undefined where these words say nothing more than
   * {@link done}.
   */
  did: (intent: RecognizedIntent, done: Done | undefined) => string | undefined;
  /**
   * Why Hearth's own handler could not do it, where the pack's only words would be "an unexpected
   * error occurred"; undefined where the pack says it better (no such timer).
   */
  notDone: (intent: RecognizedIntent, done: Done) => string | undefined;
}

const DE: OwnWords = {
  whichArea: "Welchen Bereich meinst du? Ich weiß nicht, in welchem Bereich ich bin.",
  // "Das Gerät" whatever the device's name: German articles follow a noun's gender, which a
  // device's name does not tell.
  whichOne: (subject, options) =>
    `Welches Gerät${subject ? ` namens ${subject}` : ""} meinst du: ${joinOr(options, "oder")}?`,
  inArea: (area) => `das im Bereich ${area}`,
  noContext: "Ich weiß nicht, was du meinst. Bitte sag den Namen des Geräts.",
  noTargets: "Es wurde kein passendes Gerät gefunden",
  timeout: "Entschuldigung, das habe ich nicht rechtzeitig verstanden.",
  invalidInput: "Entschuldigung, das konnte ich nicht lesen.",
  timerFinished: (name) => (name ? `Dein Timer ${name} ist abgelaufen.` : "Dein Timer ist abgelaufen."),
  done: "Erledigt.",
  // In the pack's manner: a short phrase without a full stop ("Lautstärke festgelegt", "Milch
  // abgehakt").
  did: (intent, done) => {
    switch (intent.name) {
      case "HassSetVolumeRelative": {
        const step = intent.slots.volume_step;
        const up = step === "up" || (typeof step === "number" && step > 0);
        const by = typeof step === "number" ? ` um ${Math.abs(step)} Prozent` : "";
        return `Lautstärke${by} ${up ? "erhöht" : "verringert"}`;
      }
      case "HassMediaPlayerMute":
        return "Stummgeschaltet";
      case "HassMediaPlayerUnmute":
        return "Ton wieder an";
      case "HassShoppingListCompleteItem":
      case "HassListCompleteItem":
        return done?.kind === "list-completed" ? `${done.item} abgehakt` : undefined;
      case "HassShoppingListAddItem":
      case "HassListAddItem":
        return done?.kind === "list-added" ? `${done.item} hinzugefügt` : undefined;
      case "HassShoppingListLastItems":
      case "HassListGetItems": {
        if (done?.kind !== "list-items") return undefined;
        const list =
          done.list === SHOPPING_LIST.name
            ? "der Einkaufsliste"
            : /liste$/i.test(done.list)
              ? `der ${done.list}`
              : `der Liste ${done.list}`;
        return done.items.length === 0
          ? `Auf ${list} steht nichts`
          : `Auf ${list} steht: ${joinOr(done.items, "und")}`;
      }
      case "HassToggle":
        return "Umgeschaltet";
      case "HassLawnMowerStartMowing":
        return "Mähen gestartet";
      case "HassLawnMowerDock":
        return "Fährt zurück zur Station";
      case "HassFanSetSpeed":
        return "Geschwindigkeit eingestellt";
      case "HassNevermind":
        return "";
      default:
        return undefined;
    }
  },
  notDone: (intent, done) => {
    switch (done.kind) {
      case "list-item-missing": {
        const list = done.list === SHOPPING_LIST.name ? "der Einkaufsliste" : `der Liste ${done.list}`;
        return done.item === ""
          ? "Was soll ich auf die Liste setzen?"
          : `Ich finde ${done.item} nicht auf ${list}.`;
      }
      case "no-lists":
        return "Listen kann ich hier nicht führen.";
      case "timer-needs-duration":
        return "Wie lange soll der Timer laufen?";
      case "unavailable":
        return intent.name === "HassBroadcast"
          ? "Eine Durchsage kann ich von hier aus nicht machen."
          : intent.name === "HassMediaSearchAndPlay"
            ? "Von hier aus kann ich nichts abspielen."
            : "Das kann ich von hier aus nicht.";
      default:
        return undefined;
    }
  },
};

const BY_LANGUAGE: Readonly<Record<string, OwnWords>> = { de: DE };

/** Hearth's own words in `language` (a pack's language tag, "de", "de-CH"); undefined for English or one not written. */
export function ownWords(language: string): OwnWords | undefined {
  return BY_LANGUAGE[language.toLowerCase().split(/[-_]/)[0] ?? ""];
}

/**
 * Hearth's own answer in `language` to what was not understood or not found, where the pack has
 * none that says the same; undefined where the pack's own error is to be used.
 */
export function ownRefusal(
  language: string,
  u: Extract<Understanding, { kind: "not-recognized" }>,
): string | undefined {
  const words = ownWords(language);
  if (!words) return undefined;
  switch (u.reason) {
    case "no_area":
      return words.whichArea;
    case "no_context":
      return words.noContext;
    case "timeout":
      return words.timeout;
    case "invalid_input":
      return words.invalidInput;
    case "ambiguous": {
      const candidates = u.candidates ?? [];
      // Told apart by what they are (a phone's battery and charging sensors): the pack's
      // "several devices called Handy" names no kinds either, and stands.
      if (candidates.length === 0 || candidates.some((c) => c.domain !== undefined)) return undefined;
      const named = candidates.every((c) => c.name === u.subject);
      const options = candidates.map((c) => (c.area ? words.inArea(c.area) : c.name));
      return words.whichOne(named ? u.subject : undefined, options);
    }
    default:
      return undefined;
  }
}

function joinOr(options: readonly string[], or: string): string {
  return options.length > 1
    ? `${options.slice(0, -1).join(", ")} ${or} ${options[options.length - 1]}`
    : (options[0] ?? "");
}
