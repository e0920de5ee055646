import { HearthError } from "../../core/errors.js";
import { normalizeWords } from "./jsgf.js";
import type { GrammarExpr, GrammarSpec } from "./speech-to-text.js";

/**
 * Compiles a grammar spec straight into pocketsphinx's finite-state grammar (FSG) text format,
 * instead of going through JSGF.
 *
 * Why: pocketsphinx expands every JSGF rule reference inline. The grammar generated from the
 * sentence templates refers to the device-name list from some 90 places (and to the whole command
 * twice, for "… and …"), so its JSGF became an automaton of hundreds of thousands of states: 5 s to
 * compile and seconds per utterance to decode, with a home of 20 devices. Here a large rule that is
 * referred to from several places is built once and shared: every reference enters the same
 * sub-network, and its end leads back to every place that refers to it. That accepts a few more
 * word sequences than the spec ("turn on the lamp to fifty percent"), which the sentence matcher
 * then judges like any other transcript; in exchange the automaton grows with the size of the spec,
 * not with the product of its references. Small rules are still copied in place, exactly.
 */

/** Options of {@link compileFsg}. */
export interface FsgOptions {
  /**
   * A rule referred to from more than one place is shared when copying it everywhere would add at
   * least this many words (its words × its extra references). Default 1000: a small home grammar
   * stays exact; the template grammar's device list (referred to ~90 times) and its whole command
   * (twice, for "… and …") are shared.
   */
  shareFromWords?: number | undefined;
}

/** The compiled automaton. */
export interface CompiledFsg {
  /** The FSG file's text (pocketsphinx `fsg_model_readfile` format). */
  text: string;
  states: number;
  /** Word transitions. */
  transitions: number;
  /** Null transitions, after closure. */
  nullTransitions: number;
  /** Every word the automaton can produce. */
  words: string[];
}

interface Builder {
  states: number;
  words: Array<[number, number, string]>;
  nulls: Map<number, Set<number>>;
}

/** Counts each rule's references (as expanded: a reference inside a copied rule counts per copy) and sizes. */
function analyse(spec: GrammarSpec): { size: Map<string, number>; refs: Map<string, number> } {
  const rules = spec.rules ?? {};
  const size = new Map<string, number>();
  const visiting = new Set<string>();
  const sizeOf = (node: GrammarExpr): number => {
    if (typeof node === "string") return normalizeWords(node).length;
    if ("seq" in node) return node.seq.reduce((sum, part) => sum + sizeOf(part), 0);
    if ("alt" in node) return node.alt.reduce((sum, part) => sum + sizeOf(part), 0);
    if ("opt" in node) return sizeOf(node.opt);
    return ruleSize(node.ref);
  };
  const ruleSize = (name: string): number => {
    const known = size.get(name);
    if (known !== undefined) return known;
    const body = rules[name];
    if (body === undefined)
      throw new HearthError("TEMPLATE_INVALID", `speech grammar: unknown rule <${name}>`);
    if (visiting.has(name))
      throw new HearthError("TEMPLATE_INVALID", `speech grammar: rule <${name}> refers to itself`);
    visiting.add(name);
    const value = sizeOf(body);
    visiting.delete(name);
    size.set(name, value);
    return value;
  };
  const refs = new Map<string, number>();
  const count = (node: GrammarExpr): void => {
    if (typeof node === "string") return;
    if ("seq" in node) node.seq.forEach(count);
    else if ("alt" in node) node.alt.forEach(count);
    else if ("opt" in node) count(node.opt);
    else {
      ruleSize(node.ref);
      refs.set(node.ref, (refs.get(node.ref) ?? 0) + 1);
    }
  };
  count(spec.root);
  for (const [name, body] of Object.entries(rules)) {
    ruleSize(name);
    count(body);
  }
  return { size, refs };
}

/** Builds the FSG for a grammar spec. */
export function compileFsg(spec: GrammarSpec, name = "hearth", options: FsgOptions = {}): CompiledFsg {
  const rules = spec.rules ?? {};
  const threshold = options.shareFromWords ?? 1000;
  const { size, refs } = analyse(spec);
  const shared = new Set(
    [...refs]
      .filter(([rule, count]) => count > 1 && (size.get(rule) ?? 0) * (count - 1) >= threshold)
      .map(([rule]) => rule),
  );
  const b: Builder = { states: 0, words: [], nulls: new Map() };
  const state = (): number => b.states++;
  const link = (from: number, to: number): void => {
    if (from === to) return;
    const set = b.nulls.get(from) ?? new Set<number>();
    b.nulls.set(from, set);
    set.add(to);
  };
  const networks = new Map<string, { entry: number; exit: number }>();

  const emit = (node: GrammarExpr, from: number, to: number): void => {
    if (typeof node === "string") {
      const words = normalizeWords(node);
      if (words.length === 0) {
        link(from, to);
        return;
      }
      let at = from;
      words.forEach((word, i) => {
        const next = i === words.length - 1 ? to : state();
        b.words.push([at, next, word]);
        at = next;
      });
      return;
    }
    if ("seq" in node) {
      if (node.seq.length === 0) {
        link(from, to);
        return;
      }
      let at = from;
      node.seq.forEach((part, i) => {
        const next = i === node.seq.length - 1 ? to : state();
        emit(part, at, next);
        at = next;
      });
      return;
    }
    if ("alt" in node) {
      // Alternatives share only their two ends: every other state is fresh, so no path can cross
      // from one alternative into another.
      for (const option of node.alt) emit(option, from, to);
      return;
    }
    if ("opt" in node) {
      link(from, to);
      emit(node.opt, from, to);
      return;
    }
    const body = rules[node.ref] as GrammarExpr;
    if (!shared.has(node.ref)) {
      emit(body, from, to);
      return;
    }
    let network = networks.get(node.ref);
    if (!network) {
      network = { entry: state(), exit: state() };
      networks.set(node.ref, network);
      emit(body, network.entry, network.exit);
    }
    link(from, network.entry);
    link(network.exit, to);
  };

  const start = state();
  const final = state();
  emit(spec.root, start, final);

  // pocketsphinx follows one null transition at a time and expects them closed (as its own JSGF
  // compiler leaves them): every state gets a null transition to each state it reaches by nulls.
  const lines = [
    `FSG_BEGIN ${name}`,
    `NUM_STATES ${b.states}`,
    `START_STATE ${start}`,
    `FINAL_STATE ${final}`,
  ];
  for (const [from, to, word] of b.words) lines.push(`TRANSITION ${from} ${to} 1.0 ${word}`);
  let nullTransitions = 0;
  for (const [from, targets] of closeNulls(b.nulls)) {
    for (const to of targets) lines.push(`TRANSITION ${from} ${to} 1.0`);
    nullTransitions += targets.size;
  }
  lines.push("FSG_END", "");
  return {
    text: lines.join("\n"),
    states: b.states,
    transitions: b.words.length,
    nullTransitions,
    words: [...new Set(b.words.map(([, , word]) => word))],
  };
}

/** For each state, every state its null transitions lead to, directly or not. */
function closeNulls(nulls: ReadonlyMap<number, ReadonlySet<number>>): Map<number, Set<number>> {
  const closed = new Map<number, Set<number>>();
  for (const from of nulls.keys()) {
    const seen = new Set<number>();
    const stack = [...(nulls.get(from) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as number;
      if (seen.has(next) || next === from) continue;
      seen.add(next);
      for (const after of nulls.get(next) ?? []) stack.push(after);
    }
    closed.set(from, seen);
  }
  return closed;
}
