import {
  A_NUMBER,
  isNumberToken,
  joinTokens,
  ListMatch,
  type MatchMode,
  NO_MATCHES,
  type SlotList,
} from "../slot-lists.js";

const NUMBER_WORDS: ReadonlySet<string> = new Set([A_NUMBER]);

/** How finely a range accepts fractions: Home Assistant's `fractions: halves | tenths`. */
export type Fractions = "none" | "halves" | "tenths";

/**
 * A Home Assistant number range (`range: {from, to, step, multiplier, fractions}`), said in digits
 * or in the language's number words (the tokenizer already turned those into digits). The slot's
 * value is the number times `multiplier`.
 */
export class PackRangeList implements SlotList {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly step = 1,
    readonly multiplier = 1,
    readonly fractions: Fractions = "none",
  ) {}

  example(): string[] {
    return [String(this.from)];
  }

  firstWords(): ReadonlySet<string> {
    return NUMBER_WORDS;
  }

  /** One number in digits. */
  takes(word: string): boolean {
    return isNumberToken(word);
  }

  match(tokens: readonly string[], start: number): readonly ListMatch[] {
    const t = tokens[start];
    if (t === undefined || !/^-?\d+(\.\d+)?$/.test(t)) return NO_MATCHES;
    const n = Number(t);
    if (n < this.from || n > this.to) return NO_MATCHES;
    if (!Number.isInteger(n)) {
      const scale = this.fractions === "halves" ? 2 : this.fractions === "tenths" ? 10 : 0;
      if (scale === 0 || !Number.isInteger(Math.round(n * scale * 1e6) / 1e6)) return NO_MATCHES;
    } else if ((n - this.from) % this.step !== 0) {
      return NO_MATCHES;
    }
    const value = this.multiplier === 1 ? n : Math.round(n * this.multiplier * 1e9) / 1e9;
    return [new ListMatch(start + 1, value, t)];
  }
}

/**
 * A list whose last word carries a glued suffix (`{area}[s]` said as "wohnzimmers", `{name}liste`
 * said as "einkaufsliste"): the suffix is cut off and the rest looked up in the list itself.
 */
export class SuffixedList implements SlotList {
  constructor(
    readonly inner: SlotList,
    readonly suffix: string,
    readonly maxWords = 8,
  ) {}

  example(): string[] | undefined {
    const words = this.inner.example?.();
    if (!words || words.length === 0) return undefined;
    return [...words.slice(0, -1), `${words[words.length - 1]}${this.suffix}`];
  }

  match(tokens: readonly string[], start: number, mode: MatchMode): readonly ListMatch[] {
    const out: ListMatch[] = [];
    const last = Math.min(tokens.length, start + this.maxWords);
    for (let k = start; k < last; k++) {
      const word = tokens[k] as string;
      if (word.length <= this.suffix.length || !word.endsWith(this.suffix)) continue;
      const cut = tokens.slice(0, k + 1);
      cut[k] = word.slice(0, -this.suffix.length);
      for (const m of this.inner.match(cut, start, mode)) {
        if (m.end === k + 1) out.push(m.withText(joinTokens(tokens, start, k + 1)));
      }
    }
    return out.length > 0 ? out.reverse() : NO_MATCHES;
  }
}
