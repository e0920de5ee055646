/**
 * Regional spoken German in the standard words the sentences are written in, word for word: what
 * people in Bavaria, Austria, Switzerland, Swabia, Saxony, the Rhineland and the north say to a
 * smart speaker as a recogniser writes it ("mach amal s Licht an", "dat Licht", "a bissl heller",
 * "wie spät is", "hamma heut", "is die Tür zugsperrt"). Sentences, templates and device names all
 * go through the German tokenizer, so a word read here is read the same way everywhere: the
 * regional form is one more spelling of its standard word, never a word of its own (issue 12).
 *
 * Only forms with one meaning in a command are listed; verbs whose meaning needs their object
 * ("lösch das Licht", "dreh das Licht auf") are sentences of their own in sentences/de.
 */
const PHRASES: ReadonlyArray<readonly [string, string]> = [
  // "haben wir", "brauchen wir", "sind wir" run together ("hamma heut", "brauch ma an Schirm").
  ["hamma", "haben wir"],
  ["ham ma", "haben wir"],
  ["haben ma", "haben wir"],
  ["hammer", "haben wir"],
  ["brauch ma", "brauchen wir"],
  ["brauchma", "brauchen wir"],
  ["samma", "sind wir"],
  ["simma", "sind wir"],
  // Clipped articles and the particle "mal": "dat Licht", "des Licht", "mach amal". (Not "s" or "des":
  // the packs glue them to a name, "{area}[s]", "[des ]<name>[s]", where a word read otherwise
  // would not be found; Hearth's sentences take "s Licht" and "des Licht" as articles, see
  // sentences/de/00-common.yaml.)
  ["dat", "das"],
  ["dit", "das"],
  ["wat", "was"],
  ["wos", "was"],
  ["a", "ein"],
  // "an" for "einen" before what is wanted ("brauch ma an Schirm", "um an Grad wärmer").
  ["an schirm", "einen schirm"],
  ["an regenschirm", "einen regenschirm"],
  ["an grad", "einen grad"],
  ["an timer", "einen timer"],
  // "kannste", "machste": the verb with "du" run together.
  ["kannste", "kannst du"],
  ["machste", "machst du"],
  ["haste", "hast du"],
  // Durations: "a Viertelstund", "a halbe Stund".
  ["a viertelstund", "eine viertelstunde"],
  ["a halbe stund", "eine halbe stunde"],
  ["a halbe", "eine halbe"],
  ["amal", "mal"],
  ["amol", "mal"],
  ["omol", "mal"],
  ["emol", "mal"],
  ["mol", "mal"],
  ["moi", "mal"],
  ["ens", "mal"],
  ["ma", "mal"],
  // "nu mach …": "now", a filler before the command.
  ["nu", "jetzt"],
  // "a bissl", "a weng", "es bitzeli": a little.
  ["bissl", "bisschen"],
  ["bissel", "bisschen"],
  ["bisserl", "bisschen"],
  ["bissle", "bisschen"],
  ["bisserle", "bisschen"],
  ["weng", "bisschen"],
  ["wengerl", "bisschen"],
  ["wengl", "bisschen"],
  ["bitzli", "bisschen"],
  ["bitzeli", "bisschen"],
  ["es bitzli", "ein bisschen"],
  ["es bitzeli", "ein bisschen"],
  ["e bissle", "ein bisschen"],
  ["e bissel", "ein bisschen"],
  // Switching: "tu das Licht aus", "zünd die Lampe an", "Licht anzünden", "drah des Radio ab",
  // "… abstellen".
  ["tu", "mach"],
  ["tua", "mach"],
  ["tue", "mach"],
  ["zünd", "mach"],
  ["zünde", "mach"],
  ["anzünden", "anmachen"],
  ["drah", "dreh"],
  ["dra", "dreh"],
  ["abstellen", "ausschalten"],
  ["abstelln", "ausschalten"],
  ["abdrehen", "ausschalten"],
  // Everyday words of time, place and negation.
  ["heut", "heute"],
  ["heit", "heute"],
  ["isch", "ist"],
  ["i", "ich"],
  ["net", "nicht"],
  ["ned", "nicht"],
  ["nit", "nicht"],
  ["nix", "nichts"],
  ["scho", "schon"],
  ["no", "noch"],
  ["nimmer", "nicht mehr"],
  ["dahoam", "zuhause"],
  ["dahoim", "zuhause"],
  ["daheim", "zuhause"],
  ["do", "da"],
  ["herinnen", "hier drin"],
  ["herin", "hier drin"],
  ["wia", "wie"],
  ["vui", "viel"],
  ["stund", "stunde"],
  ["viertelstund", "viertelstunde"],
  ["minutn", "minuten"],
];

/** The phrases as token lists, by first word, longest first. */
const BY_FIRST: ReadonlyMap<string, ReadonlyArray<readonly [readonly string[], readonly string[]]>> = (() => {
  const map = new Map<string, Array<readonly [readonly string[], readonly string[]]>>();
  for (const [from, to] of PHRASES) {
    const words = from.split(" ");
    const first = words[0] as string;
    const list = map.get(first) ?? [];
    list.push([words, to.split(" ")]);
    map.set(first, list);
  }
  for (const list of map.values()) list.sort((a, b) => b[0].length - a[0].length);
  return map;
})();

/**
 * A participle said without its "e" ("gsagt", "gmacht", "zugsperrt", "ausgmacht", "gmeldet"): "g"
 * before a consonant no standard German word puts there, after nothing or a separable particle, and
 * a participle's ending.
 */
const CLIPPED_PARTICIPLE = /^(|ab|an|auf|aus|ein|zu|zua|um|vor|weg|zurück|o|a)g([mswfkptz]\p{L}*(?:t|en))$/u;

/** `tokens` with regional German words in their standard form (see the module). */
export function standardGerman(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as string;
    const phrase = BY_FIRST.get(word)?.find(([from]) => from.every((w, k) => tokens[i + k] === w));
    if (phrase) {
      const [from, to] = phrase;
      out.push(...to);
      i += from.length - 1;
      continue;
    }
    const m = CLIPPED_PARTICIPLE.exec(word);
    out.push(m ? `${m[1] ?? ""}ge${m[2] ?? ""}` : word);
  }
  return out;
}
