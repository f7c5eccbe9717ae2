/**
 * Ranks a team's candidates for one pull request. The same function serves the app
 * and the evaluation.
 *
 * Order: expertise (recent work on the changed paths, familiarity with the author,
 * recent activity; see expertise.ts). Then the first place rotates inside the strong
 * group at the top to the regular reviewer with the fewest open reviews, equal loads
 * settled by a turn seeded with the PR key (see rotation.ts). So the same expert is
 * not named first on every PR, each PR gets the same answer every time, and the
 * strong group stays at the top.
 */
import {
  DEFAULT_EXPERTISE,
  type ExpertiseBreakdown,
  type ExpertiseOptions,
  type ExpertiseWeights,
  scoreExpertise,
} from "./expertise.js";
import { countInWindow, DAY_MS, type ReviewHistory, toMillis } from "./history.js";
import { describeReason } from "./reason.js";
import { DEFAULT_ROTATION, rotateFirstPlace, rotationTurn, type RotationOptions } from "./rotation.js";

export interface RankOptions {
  expertise: ExpertiseOptions;
  rotation: RotationOptions;
}

/** Any subset of the options; the rest come from the defaults. */
export interface RankOptionsOverride {
  expertise?: Partial<Omit<ExpertiseOptions, "weights">> & { weights?: Partial<ExpertiseWeights> };
  rotation?: Partial<RotationOptions>;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { expertise: DEFAULT_EXPERTISE, rotation: DEFAULT_ROTATION };

export function resolveRankOptions(override: RankOptionsOverride = {}): RankOptions {
  const expertise = override.expertise ?? {};
  return {
    expertise: {
      ...DEFAULT_EXPERTISE,
      ...expertise,
      weights: { ...DEFAULT_EXPERTISE.weights, ...expertise.weights },
    },
    rotation: { ...DEFAULT_ROTATION, ...override.rotation },
  };
}

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
  options?: RankOptionsOverride;
}

export interface RankedReviewer {
  login: string;
  /** Weighted expertise, 0 when the history knows nothing of them. */
  score: number;
  /** Open review requests as given (0 when not given). */
  load: number;
  /** One line for the PR comment ("" beyond `explain`). */
  reason: string;
  expertise: ExpertiseBreakdown;
}

export function rankReviewers(input: RankInput): RankedReviewer[] {
  const options = resolveRankOptions(input.options);
  const now = toMillis(input.now);
  const author = input.author.toLowerCase();
  const candidates = uniqueByLowerCase(input.candidates).filter((login) => login.toLowerCase() !== author);
  const loadOf = lowerCaseLookup(input.load);
  const expertise = scoreExpertise(
    input.history,
    { paths: input.paths, author: input.author, candidates, now },
    options.expertise,
  );

  const reviewShares = recentReviewShares(input.history, candidates, now, options.rotation.regularDays);
  const byExpertise = candidates
    .map((login) => {
      const breakdown = expertise.get(login.toLowerCase()) ?? ZERO_EXPERTISE;
      return {
        login,
        score: breakdown.score,
        load: loadOf(login),
        reviewShare: reviewShares.get(login) ?? 0,
        breakdown,
        turn: rotationTurn(input.prKey, login),
      };
    })
    // Exact ties (say, nobody has history) fall to the PR's turn, so even they rotate.
    .sort((a, b) => b.score - a.score || a.turn - b.turn);
  const ranked = rotateFirstPlace(byExpertise, input.prKey, options.rotation);

  const explain = input.explain ?? ranked.length;
  return ranked.map((entry, position) => ({
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

/** Each candidate's share of all the candidates' reviews in the last `days` days. */
function recentReviewShares(
  history: ReviewHistory,
  candidates: readonly string[],
  now: number,
  days: number,
): Map<string, number> {
  const window = { since: now - days * DAY_MS, until: now };
  const counts = candidates.map((login) => countInWindow(history.activityOf(login).reviewed, window));
  const total = counts.reduce((sum, count) => sum + count, 0);
  return new Map(candidates.map((login, i) => [login, total > 0 ? counts[i]! / total : 0]));
}

const ZERO_EXPERTISE: ExpertiseBreakdown = { pathReviews: 0, pathAuthored: 0, familiarity: 0, activity: 0, score: 0 };

function lowerCaseLookup(load: ReadonlyMap<string, number> | undefined): (login: string) => number {
  if (!load) return () => 0;
  const lower = new Map<string, number>();
  for (const [login, count] of load) lower.set(login.toLowerCase(), (lower.get(login.toLowerCase()) ?? 0) + count);
  return (login) => lower.get(login.toLowerCase()) ?? 0;
}

/** Logins without repeats, compared case-insensitively as GitHub does; first spelling kept. */
export function uniqueByLowerCase(logins: readonly string[]): string[] {
  const seen = new Set<string>();
  return logins.filter((login) => {
    const key = login.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
