/**
 * Accuracy and spread measures of the evaluation protocol: hit@k, reciprocal rank
 * within a cut-off, and the Gini coefficient of first-place counts.
 */

/** True when one of the first k entries of the ranking is an actual reviewer. */
export function hitAtK(ranking: readonly string[], actual: ReadonlySet<string>, k: number): boolean {
  const end = Math.min(k, ranking.length);
  for (let i = 0; i < end; i++) if (actual.has(ranking[i] as string)) return true;
  return false;
}

/** 1 / rank of the first actual reviewer within the first `cutoff` entries; 0 if none. */
export function reciprocalRank(ranking: readonly string[], actual: ReadonlySet<string>, cutoff = 10): number {
  const end = Math.min(cutoff, ranking.length);
  for (let i = 0; i < end; i++) if (actual.has(ranking[i] as string)) return 1 / (i + 1);
  return 0;
}

/**
 * Gini coefficient of non-negative counts: mean absolute difference over all ordered
 * pairs divided by twice the mean. 0 when all are equal, approaching 1 when one
 * holds everything. 0 for an empty list or all zeros.
 */
export function gini(counts: readonly number[]): number {
  const n = counts.length;
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (n === 0 || total === 0) return 0;
  // Sorted form of Σ_i Σ_j |x_i - x_j| / (2 n² mean), in O(n log n).
  const sorted = [...counts].sort((a, b) => a - b);
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * (sorted[i] as number);
  return weighted / (n * total);
}

export interface MetricsSummary {
  scored: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt10: number;
  gini: number;
}

/** Accumulates per-record outcomes and first places for one suggester. */
export class MetricsAccumulator {
  private scored = 0;
  private hits1 = 0;
  private hits3 = 0;
  private reciprocalRanks = 0;
  private readonly firstPlaces = new Map<string, number>();

  add(ranking: readonly string[], actual: ReadonlySet<string>): void {
    this.scored++;
    if (hitAtK(ranking, actual, 1)) this.hits1++;
    if (hitAtK(ranking, actual, 3)) this.hits3++;
    this.reciprocalRanks += reciprocalRank(ranking, actual, 10);
    const first = ranking[0];
    if (first !== undefined) this.firstPlaces.set(first, (this.firstPlaces.get(first) ?? 0) + 1);
  }

  /** How many times each person was ranked first. */
  firstPlaceCounts(): ReadonlyMap<string, number> {
    return this.firstPlaces;
  }

  summary(): MetricsSummary {
    const share = (count: number) => (this.scored === 0 ? 0 : count / this.scored);
    return {
      scored: this.scored,
      hitAt1: share(this.hits1),
      hitAt3: share(this.hits3),
      mrrAt10: share(this.reciprocalRanks),
      gini: gini([...this.firstPlaces.values()]),
    };
  }
}
