// Test support for the simulation specs; not exported from the library.
//
// Global lookups such as `Math.log` are ~30× slower inside Jest's VM sandbox than in Node itself, and the
// simulations draw millions of random numbers, so this aliases what it uses once.
const { imul, log, sqrt, cos, sin, PI } = Math;

/** A seeded stream of uniforms in [0, 1): mulberry32, the algorithm of the kernel's SeededRandom. */
export function uniformStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded stream of standard normals (Box–Muller, both values of each pair used). */
export function normalStream(seed: number): () => number {
  const uniform = uniformStream(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = sqrt(-2 * log(1 - uniform()));
    const angle = 2 * PI * uniform();
    spare = radius * sin(angle);
    return radius * cos(angle);
  };
}
