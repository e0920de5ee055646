// Seeded pseudo-random numbers for test and benchmark tooling: the generated model's weights, fuzz
// inputs, the soak run's commands. One implementation, so a seed means the same thing everywhere.

/**
 * mulberry32: small, fast, and deterministic; a failing fuzz case or a generated model is replayed
 * from its seed. Not for anything that needs real randomness.
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
