/**
 * Ranks a team's candidates for one pull request. The same function serves the app
 * and the evaluation.
 *
 * Order: expertise first (recent work on the changed paths, familiarity with the
 * author, recent activity); then, among the strong group at the top — the few whose
 * expertise is close to the best — whoever has the fewest open reviews goes first,
 * and remaining ties are broken by a rotation seeded with the PR key. So the same
 * expert is not named first on every PR, each PR still gets the same answer every
 * time, and nobody outside the strong group is promoted.
 */
import { DEFAULT_EXPERTISE, type ExpertiseBreakdown, type ExpertiseOptions, scoreExpertise } from "./expertise.js";
import type { ReviewHistory } from "./history.js";
import { toMillis } from "./history.js";
import { describeReason } from "./reason.js";
import { hashString } from "./seeded.js";

export interface RankOptions {
  expertise: ExpertiseOptions;
  /** At most this many of the best may be rotated into first place. */
  rotationPool: number;
  /** ...and only those with at least this share of the best expertise score. */
  poolShare: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = {
  expertise: DEFAULT_EXPERTISE,
  rotationPool: 3,
  poolShare: 0.3,
};

export interface RankInput {
  /** Stable key of the pull request, e.g. "owner/repo#123": seeds the rotation. */
  prKey: string;
  author: string;
  /** Changed paths (include the old path of a rename). */
  paths: readonly string[];
  /** Logins allowed to be suggested (see filterCandidates); the author is dropped anyway. */
  candidates: readonly string[];
  history: ReviewHistory;
  /** Open review requests per login (any letter case); missing logins count as 0. */
  load?: ReadonlyMap<string, number>;
  now: Date | number | string;
  /** Only the first `explain` entries get a reason (default: all); the rest get "". */
  explain?: number;
  options?: Partial<RankOptions>;
}

export interface RankedReviewer {
  login: string;
  /** Weighted expertise share, 0 when the history knows nothing of them. */
  score: number;
  /** Open review requests as given (0 when unknown). */
  load: number;
  /** One line for the PR comment ("" beyond `explain`). */
  reason: string;
  expertise: ExpertiseBreakdown;
}

export function rankReviewers(input: RankInput): RankedReviewer[] {
  const options = { ...DEFAULT_RANK_OPTIONS, ...input.options };
  const now = toMillis(input.now);
  const author = input.author.toLowerCase();
  const candidates = uniqueByLowerCase(input.candidates).filter((login) => login.toLowerCase() !== author);
  const loadOf = lowerCaseLookup(input.load);
  const expertise = scoreExpertise(input.history, { paths: input.paths, author: input.author, candidates, now }, options.expertise);

  const entries = candidates.map((login) => {
    const breakdown = expertise.get(login.toLowerCase()) ?? ZERO_EXPERTISE;
    return { login, score: breakdown.score, load: loadOf(login), breakdown, turn: hashString(`${input.prKey}\u0000${login.toLowerCase()}`) };
  });
  // Expertise order; exact ties fall to the seeded turn, so even an empty history rotates.
  entries.sort((a, b) => b.score - a.score || a.turn - b.turn || compareText(a.login, b.login));

  const leader = entries[0];
  if (leader) {
    const pool = entries
      .slice(0, Math.max(1, options.rotationPool))
      .filter((entry) => entry.score >= options.poolShare * leader.score);
    const first = [...pool].sort((a, b) => a.load - b.load || a.turn - b.turn)[0];
    if (first && first !== leader) {
      entries.splice(entries.indexOf(first), 1);
      entries.unshift(first);
    }
  }

  const explain = input.explain ?? entries.length;
  return entries.map((entry, position) => ({
    login: entry.login,
    score: entry.score,
    load: entry.load,
    expertise: entry.breakdown,
    reason:
      position < explain
        ? describeReason(input.history, {
            login: entry.login,
            author: input.author,
            paths: input.paths,
            now,
            openReviews: input.load ? entry.load : undefined,
          })
        : "",
  }));
}

const ZERO_EXPERTISE: ExpertiseBreakdown = { pathReviews: 0, pathAuthored: 0, familiarity: 0, activity: 0, score: 0 };

function lowerCaseLookup(load: ReadonlyMap<string, number> | undefined): (login: string) => number {
  if (!load) return () => 0;
  const lower = new Map<string, number>();
  for (const [login, count] of load) lower.set(login.toLowerCase(), (lower.get(login.toLowerCase()) ?? 0) + count);
  return (login) => lower.get(login.toLowerCase()) ?? 0;
}

function uniqueByLowerCase(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((login) => {
    const key = login.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
