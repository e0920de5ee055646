// How bench/heldout.mjs scores one sentence: what `hearth parse` printed for a command against what
// bench/heldout/commands.yaml expects of it. Plain JS so the benchmark runs on the built dist/;
// tests/bench/heldout.test.ts checks it.

/** The intent family a command is counted under, from what it expects. */
export function family(c) {
  if (c.intents) return "two commands at once";
  const intents = [c.intent].flat();
  const name = intents[0];
  const domain = c.targets?.[0]?.split(".")[0];
  if (name === "HassTurnOn" || name === "HassTurnOff") {
    if (intents.includes("HassLightSet")) return "light brightness";
    return (
      {
        light: "lights on/off",
        switch: "plugs and switches",
        fan: "plugs and switches",
        cover: "covers",
        lock: "locks",
        climate: "climate",
        media_player: "media",
      }[domain] ?? "lights on/off"
    );
  }
  if (name === "HassLightSet") return c.slots?.color ? "light colour" : "light brightness";
  if (name === "HassSetPosition") return "covers";
  if (name.startsWith("HassVacuum")) return "vacuum";
  if (name.startsWith("HassClimate")) return "climate";
  if (name.startsWith("HassMedia") || name.startsWith("HassSetVolume")) return "media";
  if (name.includes("Timer")) return "timers";
  if (name.includes("ListAddItem")) return "shopping list";
  if (name === "HassGetCurrentTime" || name === "HassGetCurrentDate") return "time and date";
  if (name === "HassGetWeather") return "weather";
  if (name === "HassGetState") return "questions about the home";
  if (name === "HassNevermind") return "never mind";
  return "other";
}

function sameValue(want, got) {
  if (got === undefined) return false;
  if (typeof want === "number") return Number(got) === want;
  return String(got).trim().toLowerCase() === String(want).trim().toLowerCase();
}

/** Why one recognised intent does not meet one expectation, or undefined when it does. */
export function mismatch(want, got) {
  const names = [want.intent].flat();
  if (!names.includes(got.name)) return "intent";
  if (want.targets) {
    const a = [...new Set(want.targets)].sort().join(",");
    const b = [...new Set(got.targets)].sort().join(",");
    if (a !== b) return "targets";
  }
  for (const [k, v] of Object.entries(want.slots ?? {})) {
    if (!sameValue(v, got.slots[k])) return "slots";
  }
  return undefined;
}

/** One command's outcome: understood, partly (right intents, wrong targets/slots), wrong_intent, not_understood. */
export function judge(c, out) {
  const wants = c.intents ?? [c];
  if (out.intents.length === 0) {
    // "Which lamp do you mean?" or "there is no X": the intent was found but not resolved.
    return { outcome: "not_understood" };
  }
  if (out.intents.length !== wants.length) {
    const anyRight = out.intents.some((g) => wants.some((w) => mismatch(w, g) !== "intent"));
    return { outcome: anyRight ? "partly" : "wrong_intent" };
  }
  const why = wants.map((w, i) => mismatch(w, out.intents[i]));
  if (why.every((w) => w === undefined)) return { outcome: "understood" };
  if (why.includes("intent")) return { outcome: "wrong_intent" };
  return { outcome: "partly", why: why.filter(Boolean).join("+") };
}
