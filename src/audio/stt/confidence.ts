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
}

/** Seconds of words up to which an utterance is short (its silences and fillers not counted). */
export const SHORT_SECONDS = 1;
/** Seconds of words from which an utterance is long. */
export const LONG_SECONDS = 2;

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
