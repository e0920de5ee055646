/**
 * Words that say what a thing in a home is or where it is: a name with one of them ("Kitchen
 * Light", "Study Radiator", "Toaster") is a description, said with "the" ("the kitchen light"). A
 * name with none ("Rocky", "Dusty", "Breeze") is what its owner called the thing, a proper name,
 * said as written and without an article ("Sending Rocky home", not "Sending the rocky home").
 * English only: German replies come from the pack's responses and Hearth's own German words.
 */
const COMMON_WORDS: ReadonlySet<string> = new Set(
  [
    // Lights and what they hang from.
    "light lights lamp lamps bulb bulbs lantern lanterns strip strips spot spots spotlight spotlights",
    "downlight downlights uplight uplights pendant chandelier sconce sconces tube led leds fairy",
    "bedside ceiling wall floor desk table shelf cabinet mirror standard reading night accent",
    // Switches, plugs, climate, appliances.
    "switch switches plug plugs socket sockets outlet outlets relay power fan fans heater heating",
    "radiator radiators thermostat boiler climate ac aircon air conditioner conditioning",
    "humidifier dehumidifier purifier kettle toaster coffee maker machine oven cooker hob fridge",
    "freezer microwave dishwasher washer washing dryer tumble vacuum hoover robot mower sprinkler",
    "sprinklers pump valve tap irrigation water cutter cleaner mop sweeper",
    // Openings, security.
    "garage door doors gate gates window windows blind blinds curtain curtains shade shades shutter",
    "shutters awning cover covers lock locks alarm siren camera doorbell",
    // Media.
    "tv television telly speaker speakers radio stereo hifi soundbar media player console",
    "projector screen",
    // Things a sensor or a button belongs to.
    "phone phones tablet laptop computer pc printer router charger car bike button",
    // Sensors and what they measure.
    "sensor sensors detector detectors smoke motion presence occupancy temperature humidity battery",
    "level energy usage consumption meter production solar weather forecast home",
    // Places.
    "house main front back side top bottom left right upstairs downstairs porch garden patio hall",
    "hallway landing stairs kitchen bathroom bedroom office study lounge living room dining loft",
    "attic basement cellar utility laundry nursery guest master playroom den pantry workshop shed",
    "conservatory driveway yard balcony terrace deck pool",
    // What a name may add.
    "scene script timer list shopping christmas tree aquarium tank terrarium fountain sauna",
    "jacuzzi hot tub spa feeder blender grill bbq iron treadmill setpoint target",
  ]
    .join(" ")
    .split(" "),
);

/** A word that is or ends in a common word of some length ("uplight", "nightlight", "floodlamp"). */
function isCommon(word: string): boolean {
  if (COMMON_WORDS.has(word)) return true;
  for (const end of ["light", "lights", "lamp", "lamps", "heater", "fan"])
    if (word.length > end.length + 1 && word.endsWith(end)) return true;
  return false;
}

/** "Living Room TV" → "living room TV": a name as said mid-sentence (acronyms keep their capitals). */
export function spoken(name: string): string {
  return name.replace(/\b([A-Z])([a-z'’]*)\b/g, (_, a: string, b: string) => a.toLowerCase() + b);
}

/** Kinds of device that people give names of their own to, of more than one word too ("Robo Rocky"). */
const NAMED_KINDS: ReadonlySet<string> = new Set(["vacuum", "lawn_mower"]);

/**
 * A device's name as a reply says it mid-sentence: "the kitchen light" for a name that describes
 * the thing (one of its words is what it is or where it is, or a word of one of the home's area and
 * floor names, given as `placeWords`), the name as written for a proper name ("Rocky": one word
 * that is none of those, or several for a robot of `domain`), and an owner's name first as written
 * ("Gran's reading lamp", not "the gran's reading lamp").
 */
export function nameInReply(
  name: string,
  placeWords: ReadonlySet<string> = new Set(),
  domain?: string,
): string {
  const words = name.trim().split(/\s+/);
  const first = words[0] ?? "";
  if (/^\p{Lu}.*['’]s$/u.test(first) || /^\p{Lu}.*s['’]$/u.test(first))
    return [first, spoken(words.slice(1).join(" "))].filter((w) => w !== "").join(" ");
  const plain = words.map((w) =>
    w
      .toLowerCase()
      .replace(/['’]s$/, "")
      .replace(/[^\p{L}\p{N}]/gu, ""),
  );
  const proper =
    /^\p{Lu}/u.test(first) &&
    (words.length === 1 || (domain !== undefined && NAMED_KINDS.has(domain))) &&
    plain.every((w) => w !== "" && !isCommon(w) && !placeWords.has(w));
  return proper ? name.trim() : `the ${spoken(name)}`;
}

/** The words of a home's area and floor names, lower case: "Attic Room" gives "attic" and "room". */
export function placeWordsOf(names: Iterable<string>): Set<string> {
  const words = new Set<string>();
  for (const n of names) for (const w of n.toLowerCase().split(/\s+/)) if (w !== "") words.add(w);
  return words;
}

/**
 * A device's name as written with "the" before it, or without for a proper name ("the Kitchen
 * Light", "Rocky"): for messages that keep the name's own capitals.
 */
export function withArticle(name: string, domain?: string, capital = false): string {
  if (nameInReply(name, undefined, domain) === name.trim()) return name.trim();
  return `${capital ? "The" : "the"} ${name}`;
}
