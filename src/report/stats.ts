/** The few statistics the report needs. */

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Lower bound of the Wilson score interval for k successes in n trials (95% by default): a share
 * that stays honest for small n, where k/n alone would overstate 3 of 4 as "75%".
 */
export function wilsonLowerBound(k: number, n: number, z = 1.959963984540054): number {
  if (n <= 0) return 0;
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

/** Waiver reasons compared without case, punctuation or spacing: "Hotfix: model needed now." = "hotfix - model needed now". */
export function normalizeReason(reason: string): string {
  return reason
    .toLowerCase()
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}#]+/gu, " ")
    .trim();
}
