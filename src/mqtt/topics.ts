/**
 * Every MQTT topic Hearth builds, in one place, and the rules a topic from the network must follow
 * before Hearth publishes to it or subscribes to it. Nothing Hearth publishes contains a wildcard.
 */

/** MQTT limits a topic to 65,535 bytes of UTF-8 (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4). */
export const MAX_TOPIC_BYTES = 65_535;
/**
 * Mosquitto refuses (and disconnects) a client whose topic has more than 200 `/` separators, that
 * is more than 201 levels (TOPIC_HIERARCHY_LIMIT in its lib/util_topic.c; measured on 2.0.11).
 */
export const MAX_TOPIC_LEVELS = 201;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * What Mosquitto refuses in any UTF-8 string it is sent (its lib/utf8_mosq.c), and then drops the
 * connection for: U+0000, the control characters U+0001–U+001F and U+007F–U+009F, the
 * noncharacters U+FDD0–U+FDEF and U+xFFFE / U+xFFFF in every plane. MQTT 5 §1.5.4 names them as
 * characters a receiver may refuse, so every broker may.
 */
const BROKER_REFUSED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001F\u007F-\u009F\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]/;

/** Why `topic` would make a broker refuse it (as text: a publish and a subscribe alike), or undefined. */
export function topicTextProblem(topic: string): string | undefined {
  if (topic.length === 0) return "empty topic";
  if (LONE_SURROGATE.test(topic)) return "not valid UTF-8";
  if (BROKER_REFUSED.test(topic)) return "contains a control character or noncharacter";
  if (Buffer.byteLength(topic, "utf8") > MAX_TOPIC_BYTES) return `longer than ${MAX_TOPIC_BYTES} bytes`;
  if (topic.split("/").length > MAX_TOPIC_LEVELS) return `more than ${MAX_TOPIC_LEVELS} levels`;
  return undefined;
}

function hasForbiddenCharacters(topic: string): boolean {
  return topicTextProblem(topic) !== undefined;
}

/**
 * A topic a message may be published to: one the broker accepts (see topicTextProblem) and without
 * a `+` or `#` wildcard.
 */
export function isValidPublishTopic(topic: unknown): topic is string {
  return (
    typeof topic === "string" &&
    !topic.includes("+") &&
    !topic.includes("#") &&
    !hasForbiddenCharacters(topic)
  );
}

/**
 * A topic filter one may subscribe to: wildcards only as whole levels and `#` only last
 * (MQTT 3.1.1 §4.7.1).
 */
export function isValidSubscribeTopic(topic: unknown): topic is string {
  if (typeof topic !== "string" || hasForbiddenCharacters(topic)) return false;
  const levels = topic.split("/");
  return levels.every((level, i) => {
    if (level.includes("#")) return level === "#" && i === levels.length - 1;
    if (level.includes("+")) return level === "+";
    return true;
  });
}

/** Whether `topic` (a concrete topic) matches the subscription `filter` (which may hold wildcards). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return !(i === 0 && topic.startsWith("$"));
    if (i >= t.length) return false;
    if (level === "+") {
      if (i === 0 && topic.startsWith("$")) return false;
      continue;
    }
    if (level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * Where no discovered device may be commanded: any Hearth's topics under `baseTopic` (this
 * satellite's and every other's), Hermes (`hermes/…`), Home Assistant discovery (`discoveryPrefix`
 * and `homeassistant`) and the broker's own `$…` topics. Returns why a topic is reserved, or
 * undefined.
 */
export function reservedCommandTopics(options: {
  baseTopic: string;
  discoveryPrefix: string;
}): (topic: string) => string | undefined {
  const reserved: Array<[string, string]> = [
    [options.baseTopic, "Hearth's own topics"],
    ["hermes", "the Hermes topics"],
    [options.discoveryPrefix, "Home Assistant discovery"],
    ["homeassistant", "Home Assistant discovery"],
  ];
  return (topic) => {
    if (topic.startsWith("$")) return "the broker's $ topics";
    for (const [prefix, what] of reserved) {
      if (topic === prefix || topic.startsWith(`${prefix}/`)) return what;
    }
    return undefined;
  };
}

/** Hearth's own topics for one satellite (`<base>/<siteId>/…`). */
export interface HearthTopics {
  /** Availability: `online` on every connect, `offline` as the retained last will. */
  status: string;
  /** Inbound text commands (plain text or `{"text", "transaction"?}`). */
  commandText: string;
  /** Results of every run (`{transaction?, text, intents, actions, reply, timings}`). */
  eventRun: string;
  /** Messages for every Hearth under the base topic (HassBroadcast): `{"message", "siteId"}`. */
  broadcast: string;
  /** What to find and play (HassMediaSearchAndPlay): `{"search_query", "media_class"?, "targets"}`. */
  eventMedia: string;
  /** Every change of a timer set here (`{event, id, name?, seconds, left?}`). */
  eventTimer: string;
  /** Text to speak. */
  say: string;
  /** State topics of Hearth's own Home Assistant entities, `<base>/<siteId>/state/<key>`. */
  state(key: string): string;
  /** Command topics of Hearth's own Home Assistant entities, `<base>/<siteId>/set/<key>`. */
  set(key: string): string;
}

/** Builds the topics of one Hearth satellite. `baseTopic` and `siteId` must hold no wildcard. */
export function hearthTopics(baseTopic: string, siteId: string): HearthTopics {
  const root = `${baseTopic}/${siteId}`;
  return {
    status: `${root}/status`,
    commandText: `${root}/command/text`,
    eventRun: `${root}/event/run`,
    eventTimer: `${root}/event/timer`,
    eventMedia: `${root}/event/media`,
    broadcast: `${baseTopic}/broadcast`,
    say: `${root}/say`,
    state: (key) => `${root}/state/${key}`,
    set: (key) => `${root}/set/${key}`,
  };
}

/** Home Assistant's discovery topics under a prefix (default `homeassistant`). */
export interface DiscoveryTopics {
  /** Subscription for every retained discovery config. */
  all: string;
  /** Home Assistant's birth and last-will topic (`online` / `offline`). */
  haStatus: string;
  /** Topic of one entity config: `<prefix>/<component>/<nodeId>/<objectId>/config`. */
  config(component: string, nodeId: string, objectId: string): string;
}

/** Builds Home Assistant discovery topics under `prefix`. */
export function discoveryTopics(prefix: string): DiscoveryTopics {
  return {
    all: `${prefix}/#`,
    haStatus: `${prefix}/status`,
    config: (component, nodeId, objectId) => `${prefix}/${component}/${nodeId}/${objectId}/config`,
  };
}

/** Rhasspy / Snips Hermes topics (https://rhasspy.readthedocs.io/en/latest/reference/#mqtt-api). */
export const hermesTopics = {
  asrTextCaptured: "hermes/asr/textCaptured",
  intent: (intentName: string) => `hermes/intent/${intentName}`,
  intentNotRecognized: "hermes/nlu/intentNotRecognized",
  nluQuery: "hermes/nlu/query",
  sessionStarted: "hermes/dialogueManager/sessionStarted",
  sessionEnded: "hermes/dialogueManager/sessionEnded",
  ttsSay: "hermes/tts/say",
  ttsSayFinished: "hermes/tts/sayFinished",
  hotwordToggleOn: "hermes/hotword/toggleOn",
  hotwordToggleOff: "hermes/hotword/toggleOff",
} as const;
