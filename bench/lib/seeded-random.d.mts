/** mulberry32: deterministic numbers in [0, 1) from a seed (see seeded-random.mjs). */
export declare function seededRandom(seed: number): () => number;
