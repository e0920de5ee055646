/**
 * Every MQTT topic Hearth builds, in one place, and the rules a topic from the network must follow
 * before Hearth publishes to it or subscribes to it. Nothing Hearth publishes contains a wildcard.
 */

/** MQTT limits a topic to 65,535 bytes of UTF-8 (MQTT 3.1.1 §1.5.3, MQTT 5 §1.5.4). */
const MAX_TOPIC_BYTES = 65_535;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasForbiddenCharacters(topic: string): boolean {
  // U+0000 is forbidden in any MQTT string; lone surrogates cannot be encoded as UTF-8.
  return topic.includes("\u0000") || LONE_SURROGATE.test(topic);
}

/** A topic a message may be published to: non-empty, valid UTF-8, no `+` or `#` wildcard. */
export function isValidPublishTopic(topic: unknown): topic is string {
  return (
    typeof topic === "string" &&
    topic.length > 0 &&
    !topic.includes("+") &&
    !topic.includes("#") &&
    !hasForbiddenCharacters(topic) &&
    Buffer.byteLength(topic, "utf8") <= MAX_TOPIC_BYTES
  );
}

/**
 * A topic filter one may subscribe to: wildcards only as whole levels and `#` only last
 * (MQTT 3.1.1 §4.7.1).
 */
export function isValidSubscribeTopic(topic: unknown): topic is string {
  if (typeof topic !== "string" || topic.length === 0) return false;
  if (hasForbiddenCharacters(topic) || Buffer.byteLength(topic, "utf8") > MAX_TOPIC_BYTES) return false;
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
