import fc from "fast-check";

/**
 * fast-check parameters for one property. A fresh seed each run explores new inputs over time;
 * a failure prints its seed and path, and `FUZZ_SEED=<seed> [FUZZ_PATH=<path>]` replays it.
 * `FUZZ_SCALE=10` runs ten times as many cases (a longer local hunt); the default keeps the whole
 * fuzz suite within about 20 s on a 2-core machine.
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed === undefined ? {} : { seed }),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
    // A counterexample is a whole batch of requests; a few hundred shrinking steps find a small one.
    endOnFailure: process.env.FUZZ_SHRINK === "0",
  };
}
