/** A slot's value: names as configured ("Kitchen Light"), domains lower-case, numbers as numbers. */
export type SlotValue = string | number;
export type Slots = Record<string, SlotValue>;

/** An intent as Home Assistant names it, with its slots (Home Assistant's slot conventions). */
export interface IntentCall {
  name: string;
  slots: Slots;
  /**
   * Which answer the sentence asks for, in Home Assistant's response names ("which", "how_many",
   * "any", "all", "one_yesno" for HassGetState); absent: the intent's usual answer.
   */
  response?: string | undefined;
  /**
   * Set when a language pack's template matched the sentence: only then do the pack's response
   * templates fit it; Hearth's own sentences get Hearth's own replies.
   */
  fromPack?: true | undefined;
  /**
   * Set for Hearth's own sentences written for the pack's responses (a sentence file with
   * `pack_responses: true`, such as Hearth's German): they answer in the pack's words too.
   */
  packReply?: true | undefined;
}

/** A recognised intent, resolved against the registry. */
export interface RecognizedIntent extends IntentCall {
  /** Entity ids the intent acts on or asks about (empty for time, timers, nevermind…). */
  targets: string[];
  /** For a language pack's sentence: the key of the response it asks for ("lights_area"). */
  response?: string | undefined;
}

/** Which recognizer produced a result. */
export type RecognizerName = "template" | "llm";

/** Why nothing (or not everything) was recognised: ordinary results, not exceptions. */
export type NotRecognizedReason =
  | "empty" // nothing but whitespace / skip words
  | "no_match" // no template fits
  | "unknown_name" // the sentence fits but names no known device
  | "unknown_area"
  | "unknown_floor"
  | "no_targets" // e.g. "turn on the lights in the garage" with no lights there
  | "unsupported" // the named device exists but cannot do that ("turn on the temperature sensor")
  | "ambiguous" // a name fits several devices
  | "no_context" // "turn it off" with nothing acted on lately
  | "no_area" // "turn on the lights in here" where the speaker's area is not known
  | "timeout" // the LLM did not answer within its time budget
  | "invalid_input"; // not text (bad JSON line, invalid UTF-8 …)

/** One candidate when a name fits several devices. */
export interface Candidate {
  id: string;
  name: string;
  area?: string | undefined;
  /** What it is, where devices share a name in one place (a phone's battery and charging sensors). */
  domain?: string | undefined;
  deviceClass?: string | undefined;
}

/** The outcome of understanding one sentence. */
export type Understanding =
  | { kind: "answered"; answer: string; recognizer: RecognizerName }
  | { kind: "recognized"; intents: RecognizedIntent[]; recognizer: RecognizerName }
  | {
      kind: "not-recognized";
      reason: NotRecognizedReason;
      recognizer?: RecognizerName;
      /** What was not found ("the garage heater"), for ambiguity and unknown names. */
      subject?: string;
      /** For "ambiguous": the devices the name could mean. */
      candidates?: Candidate[];
      /** The intent that was understood but could not be resolved. */
      intent?: IntentCall;
    };
