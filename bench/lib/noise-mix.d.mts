export function mixAtSnr(
  speech: Int16Array,
  noise: Int16Array,
  snrDb: number,
  random: () => number,
): Int16Array;
export function activePower(samples: Int16Array): number;
export function speechSpans(samples: Int16Array): { start: number; end: number }[];
