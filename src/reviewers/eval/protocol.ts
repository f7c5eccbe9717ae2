/**
 * The evaluation protocol of /work/shared/datasets/README.md, independent of any
 * ranking method:
 *  1. replay records in merged_at order; when asked about a record, a suggester has
 *     seen only records merged strictly before it;
 *  2. score records from floor(0.8 × N) on; candidates are everyone who reviewed a
 *     record merged within the 365 days before it, minus its author; records none of
 *     whose reviewers is a candidate are skipped;
 *  3. hit@1, hit@3, mrr@10 of the returned ranking;
 *  4. Gini of first-place counts.
 */
import type { ReviewRecord } from "./dataset.js";
import { MetricsAccumulator, type MetricsSummary } from "./metrics.js";

const DAY_MS = 86_400_000;

/** What a suggester is asked about one record: never its reviewers. */
export interface SuggestionRequest {
  /** Stable identity of the change (seeds per-PR determinism). */
  key: string;
  author: string;
  files: readonly string[];
  /** The moment of the question: the record's merged_at (ms). */
  now: number;
  /** Whom it may rank, in login order. */
  candidates: readonly string[];
}

export interface Suggester {
  readonly name: string;
  /** Learns one past record. Called in merged_at order, only with records before any later request. */
  observe(record: ReviewRecord): void;
  /** Ranks the candidates, best first. */
  suggest(request: SuggestionRequest): readonly string[];
}

export interface ProtocolOptions {
  /** Share of records at the end that are scored. */
  scoredShare: number;
  /** Candidates are reviewers of records merged within this many days before. */
  candidateWindowDays: number;
}

export const DEFAULT_PROTOCOL: ProtocolOptions = { scoredShare: 0.2, candidateWindowDays: 365 };

export interface SuggesterResult extends MetricsSummary {
  name: string;
  /** Time spent inside this suggester (observing and ranking), ms. */
  elapsedMs: number;
  firstPlaces: ReadonlyMap<string, number>;
}

/** Records in merged_at order; ties keep their input order (the sort is stable). */
export function inMergeOrder(records: readonly ReviewRecord[]): ReviewRecord[] {
  return [...records].sort((a, b) => a.mergedAt - b.mergedAt);
}

/** Replays the records once, feeding every suggester the same past and the same questions. */
export function runProtocol(
  records: readonly ReviewRecord[],
  suggesters: readonly Suggester[],
  options: ProtocolOptions = DEFAULT_PROTOCOL,
): SuggesterResult[] {
  const ordered = inMergeOrder(records);
  const firstScored = Math.floor((1 - options.scoredShare) * ordered.length);
  const windowMs = options.candidateWindowDays * DAY_MS;
  const metrics = suggesters.map(() => new MetricsAccumulator());
  const elapsed = suggesters.map(() => 0);
  const windowReviewers = new ReviewerWindow();
  let observed = 0; // ordered[0 .. observed) have been shown to the suggesters
  let windowStart = 0; // ordered[windowStart .. observed) are inside the candidate window

  for (let i = firstScored; i < ordered.length; i++) {
    const record = ordered[i] as ReviewRecord;
    const now = record.mergedAt;
    // Show everything merged strictly before this record, never the record itself.
    while (observed < ordered.length && (ordered[observed] as ReviewRecord).mergedAt < now) {
      const past = ordered[observed] as ReviewRecord;
      windowReviewers.add(past);
      suggesters.forEach((suggester, s) => {
        const started = performance.now();
        suggester.observe(past);
        elapsed[s]! += performance.now() - started;
      });
      observed++;
    }
    while (windowStart < observed && now - (ordered[windowStart] as ReviewRecord).mergedAt > windowMs) {
      windowReviewers.remove(ordered[windowStart] as ReviewRecord);
      windowStart++;
    }

    const candidates = windowReviewers.logins().filter((login) => login !== record.author);
    const candidateSet = new Set(candidates);
    const actual = new Set(record.reviewers.filter((login) => candidateSet.has(login)));
    if (actual.size === 0) continue;

    const request: SuggestionRequest = { key: record.id, author: record.author, files: record.files, now, candidates };
    suggesters.forEach((suggester, s) => {
      const started = performance.now();
      const ranking = suggester.suggest(request);
      elapsed[s]! += performance.now() - started;
      metrics[s]!.add(onlyCandidates(ranking, candidateSet), actual);
    });
  }

  return suggesters.map((suggester, s) => ({
    name: suggester.name,
    ...metrics[s]!.summary(),
    elapsedMs: elapsed[s]!,
    firstPlaces: metrics[s]!.firstPlaceCounts(),
  }));
}

/** Drops anything that is not a candidate and repeats, so a sloppy suggester cannot score by it. */
function onlyCandidates(ranking: readonly string[], candidates: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  return ranking.filter((login) => candidates.has(login) && !seen.has(login) && (seen.add(login), true));
}

/** Reviewers of the records currently inside the sliding candidate window. */
class ReviewerWindow {
  private readonly counts = new Map<string, number>();

  add(record: ReviewRecord): void {
    for (const login of new Set(record.reviewers)) this.counts.set(login, (this.counts.get(login) ?? 0) + 1);
  }

  remove(record: ReviewRecord): void {
    for (const login of new Set(record.reviewers)) {
      const left = (this.counts.get(login) ?? 0) - 1;
      if (left > 0) this.counts.set(login, left);
      else this.counts.delete(login);
    }
  }

  logins(): string[] {
    return [...this.counts.keys()].sort();
  }
}
