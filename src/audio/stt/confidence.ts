import type { DecodedSegment } from "./pocketsphinx-decoder.js";

/**
 * Rejecting speech outside the grammar. A grammar search always returns *some* sentence of the
 * grammar when any path reaches its end; whether the audio really was that sentence is judged by
 * comparing, word by word, how well the grammar's words explain their stretch of audio against how
 * well a free phone loop (any sequence of the 39 phones, decoded in parallel over the same audio)
 * explains the same frames: a log-likelihood ratio. Words really said score close to (or above)
 * the phone loop; words forced onto other speech score far below it. The utterance's confidence is
 * the ratio averaged over the frames of its words (silence and noise fillers left out), so long
 * words weigh more than short ones like "the", whose scores are noisy. pocketsphinx scores each frame
 * relative to the best senone it computed in that frame, so both decoders compute every senone
 * (`-compallsen`, forced in pocketsphinx-stt.ts): otherwise each subtracts its own best, and the
 * ratio moves with the width of either search rather than with the audio.
 *
 * Chosen on a synthetic corpus (1125 utterances: 7 voices, 2 speeds, clean and noisy commands,
 * other speech; tests/audio/stt/pocketsphinx-accuracy.test.ts): against the mean of the worst half
 * of words, or the minimum over words, it kept every clean command at fewer false acceptances.
 */

/** One grammar word's fit against the phone loop. */
export interface WordFit {
  word: string;
  startFrame: number;
  endFrame: number;
  /** (grammar acoustic score − phone-loop score over the same frames) / frames. */
  ratio: number;
}

/** Fillers the decoder inserts (silence, noise, sentence marks): not words of the command. */
export function isFiller(word: string): boolean {
  return word.startsWith("<") || word.startsWith("[") || word === "(NULL)" || word === "";
}

/** The phone loop's acoustic score over frames [start, end], pro rata for segments that straddle the edges. */
export function scoreOver(segments: readonly DecodedSegment[], start: number, end: number): number {
  let total = 0;
  for (const segment of segments) {
    const length = segment.endFrame - segment.startFrame + 1;
    const overlap = Math.min(segment.endFrame, end) - Math.max(segment.startFrame, start) + 1;
    if (overlap > 0 && length > 0) total += (segment.acousticScore * overlap) / length;
  }
  return total;
}

/** How well each word of the grammar's result fits, compared with the phone loop. */
export function wordFits(words: readonly DecodedSegment[], phoneLoop: readonly DecodedSegment[]): WordFit[] {
  return words
    .filter((segment) => !isFiller(segment.word))
    .map((segment) => {
      const frames = segment.endFrame - segment.startFrame + 1;
      const ratio =
        (segment.acousticScore - scoreOver(phoneLoop, segment.startFrame, segment.endFrame)) / frames;
      return { word: segment.word, startFrame: segment.startFrame, endFrame: segment.endFrame, ratio };
    });
}

/** The utterance's confidence: the per-frame ratio averaged over all frames of its words. */
export function utteranceConfidence(fits: readonly WordFit[]): number {
  let frames = 0;
  let total = 0;
  for (const fit of fits) {
    const length = fit.endFrame - fit.startFrame + 1;
    frames += length;
    total += fit.ratio * length;
  }
  return frames === 0 ? Number.NEGATIVE_INFINITY : total / frames;
}

/**
 * The confidences an utterance must reach, by its shape. One threshold for every utterance could not
 * keep more real commands in noise without letting other speech in, as measured on real people's
 * recordings (../shared/speech-dev, `bench/stt.mjs --dump`, tuned on the even half of each set):
 *
 * - Other speech forced onto the grammar came out as one to five words lasting 1.5 s at most, and
 *   what got through scored -10 to -15, in quiet and in kitchen noise alike: a sentence of several
 *   short words is easy to put together from a home's grammar (a verb and any name), and the best of
 *   them fits a stray phrase by chance. Short sentences of several words get the strictest
 *   threshold, {@link RejectionRule.threshold}.
 * - A sentence that fits on average over two seconds of words or more is seldom an accident: real
 *   coffee orders last 1.3–4.5 s and in kitchen noise score -13 to -25 when heard right. They get
 *   {@link RejectionRule.longThreshold}. Lower still would keep more right orders, but mostly more
 *   misheard ones, which score alike in noise.
 * - A one-word sentence has only the home's few one-word commands to choose from, so other speech
 *   seldom fits one, while people's one-word commands score widely (-23 to 0 for "computer"):
 *   {@link RejectionRule.oneWordThreshold}.
 *
 * Between {@link SHORT_SECONDS} and {@link LONG_SECONDS} of words the threshold moves linearly from
 * the short one to the long one. The background noise, measured on the same recordings, did not
 * separate them: other speech in kitchen noise scored as high as in quiet, so a threshold lowered
 * in noise let it through; the utterance's length did.
 */
export interface RejectionRule {
  /** For several words lasting at most {@link SHORT_SECONDS}. */
  threshold: number;
  /** For a single word lasting at most {@link SHORT_SECONDS}. */
  oneWordThreshold: number;
  /** For words lasting {@link LONG_SECONDS} or more in all. */
  longThreshold: number;
  /**
   * For a single word of a VAD cut decoded whole with its noise measured on the pre-roll
   * (TranscribeOptions.preRollMs), instead of {@link oneWordThreshold}; undefined: the same. Its
   * scores are 3–4 higher than with the noise measured partly on the word, other speech's as well
   * as commands', so the threshold rises with them. Default: {@link oneWordThreshold}.
   */
  cutOneWordThreshold?: number | undefined;
  /**
   * For several words lasting less than {@link LONG_SECONDS} in all: the fit their judged words
   * must reach on average, each word counted once ({@link wordMean}); undefined: no such test.
   */
  wordMeanThreshold?: number | undefined;
  /**
   * For an utterance decoded whole that the rule rejected: decoded once more against the home's
   * one-word sentences alone, the one word it is heard as is kept when it reaches this; undefined:
   * no such second chance (see PocketsphinxStt, RESCUE_MAX_SECONDS).
   */
  rescueOneWordThreshold?: number | undefined;
}

/** Seconds of words up to which an utterance is short (its silences and fillers not counted). */
export const SHORT_SECONDS = 1;
/** Seconds of words from which an utterance is long. */
export const LONG_SECONDS = 2;

/**
 * Seconds a word must last to count in {@link wordMean}: a shorter one ("the", "a", "up") is scored
 * on a handful of frames, and in real commands heard right it often lies far below the phone loop.
 */
export const JUDGED_WORD_SECONDS = 0.2;

/**
 * A short sentence's fit word by word: the mean of the fits of its words lasting at least
 * {@link JUDGED_WORD_SECONDS}, each counted once however long it lasts; undefined when the
 * utterance is not judged so (one word, {@link LONG_SECONDS} of words or more, or no word that long).
 *
 * Why: {@link utteranceConfidence} weighs each word by its frames, so in a sentence of two or three
 * words one long word that fits the audio very well carries the others. That is the shape of the real
 * other speech the grammar took for a command (../shared/speech-dev other-speech, the development
 * half): "tablecloth" heard as "get lights off" (get -19.1, lights -28.3, off -0.4 per frame; -12.4
 * over the frames, which passed -14; -15.9 word by word), and in kitchen noise "okay bulbs off",
 * "its ceiling light", "put lighting an white". The words of a real command each fit what was said,
 * more or less: of every run of two to five words lasting 0.6 to 2 s inside the real coffee orders
 * heard right, that passed the frame-weighted threshold, 1.8 % fell below -13 word by word.
 */
export function wordMean(
  words: readonly { start: number; end: number; confidence: number }[],
): number | undefined {
  if (words.length < 2) return undefined;
  const seconds = words.reduce((sum, word) => sum + Math.max(0, word.end - word.start), 0);
  if (seconds >= LONG_SECONDS) return undefined;
  let total = 0;
  let count = 0;
  for (const word of words) {
    // Half a frame of slack: word times are whole 10 ms frames held as seconds.
    if (word.end - word.start < JUDGED_WORD_SECONDS - 0.005) continue;
    total += word.confidence;
    count++;
  }
  return count === 0 ? undefined : total / count;
}

/**
 * Whether an utterance of these words (each with its fit as `confidence`) is kept: its confidence
 * reaches {@link requiredConfidence}, and a short sentence of several words also reaches
 * {@link RejectionRule.wordMeanThreshold} word by word ({@link wordMean}).
 */
export function keeps(
  confidence: number,
  words: readonly { start: number; end: number; confidence: number }[],
  rule: RejectionRule,
  cut = false,
): boolean {
  if (!(confidence >= requiredConfidence(words, rule, cut))) return false;
  if (rule.wordMeanThreshold === undefined) return true;
  const mean = wordMean(words);
  return mean === undefined || mean >= rule.wordMeanThreshold;
}

/**
 * The confidence an utterance of these words (seconds, fillers left out) must reach to be kept;
 * `cut`: a VAD cut decoded whole with its noise measured on the pre-roll ({@link RejectionRule.cutOneWordThreshold}).
 */
export function requiredConfidence(
  words: readonly { start: number; end: number }[],
  rule: RejectionRule,
  cut = false,
): number {
  const seconds = words.reduce((sum, word) => sum + Math.max(0, word.end - word.start), 0);
  const oneWord = cut ? (rule.cutOneWordThreshold ?? rule.oneWordThreshold) : rule.oneWordThreshold;
  const short = words.length === 1 ? oneWord : rule.threshold;
  const along = Math.min(1, Math.max(0, (seconds - SHORT_SECONDS) / (LONG_SECONDS - SHORT_SECONDS)));
  return short + (rule.longThreshold - short) * along;
}
