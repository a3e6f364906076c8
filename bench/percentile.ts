/** The p-th percentile (0–100) of values sorted in ascending order, by nearest rank. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
