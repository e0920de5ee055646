/**
 * The words of a home's names: of its devices', rooms' and floors' names and aliases, of the people
 * Home Assistant tracks, and the owners things are named after ("Aoife" of "Aoife's Room"), read
 * again when the registry changes. The recognizer asks them whether a word names something of the
 * home or someone it knows.
 */
import type { Registry } from "../registry/registry.js";
import { tokenize } from "./normalize.js";
import type { SentenceWords } from "./sentence-words.js";
import type { CompiledSentences } from "./sentences.js";

/** The words of one home's names, for one recognizer's sentences (their tokenizer, `owned_rooms:`). */
export class HomeNames {
  readonly #opts: { registry: Registry; sentences: CompiledSentences };
  readonly #words: SentenceWords;
  /** The words of the home's names (see words), for the registry version they were read at. */
  #namesWords: ReadonlySet<string> = new Set();
  /** The words of the names of people Home Assistant tracks, read with #namesWords. */
  #peopleWords: ReadonlySet<string> = new Set();
  /**
   * The owners of things named after them ("aoife" of "Aoife's Room" or "Aoife Bedroom", "isla" of
   * "Isla's Reading Lamp"), read with #namesWords.
   */
  #owners: ReadonlySet<string> = new Set();
  /** #namesWords and #peopleWords together: the words a typing slip is never put right in (see Spelling). */
  #allNameWords: ReadonlySet<string> = new Set();
  #namesVersion = -1;

  constructor(opts: { registry: Registry; sentences: CompiledSentences }) {
    this.#opts = opts;
    this.#words = opts.sentences.words;
  }

  /** The words of the names of people Home Assistant tracks (read with words()). */
  get people(): ReadonlySet<string> {
    return this.#peopleWords;
  }

  /** The owners of things named after them (read with words()). */
  get owners(): ReadonlySet<string> {
    return this.#owners;
  }

  /** The words of every name, people's and owners' too (read with words()). */
  get all(): ReadonlySet<string> {
    return this.#allNameWords;
  }

  /** Every word of the home's device, area and floor names and aliases (rebuilt when they change). */
  words(): ReadonlySet<string> {
    const registry = this.#opts.registry;
    if (this.#namesVersion !== registry.version) {
      const tok = this.#opts.sentences.tokenize ?? tokenize;
      const words = new Set<string>();
      const add = (names: readonly string[]) => {
        for (const n of names) for (const w of tok(n)) words.add(w);
      };
      for (const f of registry.floors()) add([f.name, ...f.aliases]);
      const owners = new Set<string>();
      const owned = (names: readonly string[], room: boolean) => {
        for (const n of names) {
          const owner = /^(\S+)['’]s\s/.exec(n)?.[1];
          if (owner) for (const w of tok(owner)) owners.add(w);
          // "Aoife Bedroom": a name and a room's word.
          const [first, kind, more] = tok(n);
          if (room && first && kind && !more && this.#words.ownedRooms.has(kind)) owners.add(first);
        }
      };
      for (const a of registry.areas()) {
        add([a.name, ...a.aliases]);
        owned([a.name, ...a.aliases], true);
      }
      // Not people's names: "Sarah, shut the door" is said to Sarah even where Home Assistant
      // tracks her phone.
      const people = new Set<string>();
      for (const e of registry.entities()) {
        if (e.domain !== "person") {
          add([e.name, ...e.aliases]);
          owned([e.name, ...e.aliases], false);
        } else for (const n of [e.name, ...e.aliases]) for (const w of tok(n)) people.add(w);
      }
      // A word that is a name on its own (a room, a floor, a device) is that, not its owner.
      for (const x of [...registry.areas(), ...registry.floors(), ...registry.entities()])
        for (const n of [x.name, ...x.aliases]) {
          const [only, more] = tok(n);
          if (only && !more) owners.delete(only);
        }
      this.#namesWords = words;
      this.#peopleWords = people;
      this.#allNameWords = new Set([...words, ...people, ...owners]);
      this.#owners = owners;
      this.#namesVersion = registry.version;
    }
    return this.#namesWords;
  }

  /**
   * Whether the home knows `word` as a person: someone Home Assistant tracks ("Oliver"), whatever a
   * name alone reads as, or the owner of a room or a thing named after them ("Aoife" of "Aoife's
   * Room", "Isla" of "Isla's Reading Lamp"), though a device there may carry the name ("Aoife
   * Speaker"). Not a word that is a name on its own.
   */
  knownPerson(word: string): boolean {
    this.words();
    return this.#peopleWords.has(word) || this.#owners.has(word);
  }
}
