export function mixAtSnr(
  speech: Int16Array,
  noise: Int16Array,
  snrDb: number,
  random: () => number,
): Int16Array;
export function activePower(samples: Int16Array): number;
