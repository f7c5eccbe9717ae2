/**
 * How much recent, relevant experience each candidate has with a change, from the
 * review history alone. Four signals, each turned into a share among the candidates
 * (so they add up on the same scale) and mixed by weight:
 *  - path reviews: approvals of earlier changes to the same files and directories;
 *  - path authorship: earlier changes they wrote to those files and directories;
 *  - familiarity: how often they reviewed this author's changes;
 *  - activity: how much they reviewed anywhere lately (are they around at all?).
 * Every count decays with age (half-life), so recent work weighs most.
 */
import { DAY_MS, type PersonActivity, type ReviewHistory, type TimeWindow, weightedSum } from "./history.js";
import { directoryPrefixes, normalisePath, pathDepth } from "./paths.js";

export interface ExpertiseWeights {
  pathReviews: number;
  pathAuthored: number;
  familiarity: number;
  activity: number;
}

export interface ExpertiseOptions {
  /** Age at which a past review or change counts half. */
  halfLifeDays: number;
  /** Activity older than this is ignored. */
  horizonDays: number;
  /** Weight of a path key is depth^depthExponent: deeper, more specific paths count more. */
  depthExponent: number;
  weights: ExpertiseWeights;
}

// Tuned on golang/tools history (see docs/reviewers.md); round values, no per-repo terms.
export const DEFAULT_EXPERTISE: ExpertiseOptions = {
  halfLifeDays: 30,
  horizonDays: 365,
  depthExponent: 1,
  weights: { pathReviews: 1, pathAuthored: 0.5, familiarity: 0.5, activity: 0.5 },
};

export interface ExpertiseQuery {
  paths: readonly string[];
  author: string;
  /** Logins to score; the result is keyed by their lower-case form. */
  candidates: readonly string[];
  now: number;
}

/** Each signal as this candidate's share among all candidates (0..1), and their weighted mix. */
export interface ExpertiseBreakdown {
  pathReviews: number;
  pathAuthored: number;
  familiarity: number;
  activity: number;
  score: number;
}

export function scoreExpertise(
  history: ReviewHistory,
  query: ExpertiseQuery,
  options: ExpertiseOptions = DEFAULT_EXPERTISE,
): Map<string, ExpertiseBreakdown> {
  const logins = [...new Set(query.candidates.map((login) => login.toLowerCase()))];
  const window: TimeWindow = { since: query.now - options.horizonDays * DAY_MS, until: query.now };
  const decay = (ageDays: number) => Math.pow(0.5, ageDays / options.halfLifeDays);
  const decayed = (times: readonly number[]) => weightedSum(times, window, decay);

  const { reviewed, authored } = pathSignals(history, query.paths, logins, decayed, options.depthExponent);
  const reviewersOfAuthor = history.reviewersOf(query.author);
  const familiarity = new Map(logins.map((login) => [login, decayed(reviewersOfAuthor.get(login) ?? [])]));
  const activity = new Map(logins.map((login) => [login, decayed(history.activityOf(login).reviewed)]));

  const shares = {
    pathReviews: toShares(reviewed),
    pathAuthored: toShares(authored),
    familiarity: toShares(familiarity),
    activity: toShares(activity),
  };
  const { weights } = options;
  const result = new Map<string, ExpertiseBreakdown>();
  for (const login of logins) {
    const pathReviews = shares.pathReviews.get(login) ?? 0;
    const pathAuthored = shares.pathAuthored.get(login) ?? 0;
    const familiarityShare = shares.familiarity.get(login) ?? 0;
    const activityShare = shares.activity.get(login) ?? 0;
    result.set(login, {
      pathReviews,
      pathAuthored,
      familiarity: familiarityShare,
      activity: activityShare,
      score:
        weights.pathReviews * pathReviews +
        weights.pathAuthored * pathAuthored +
        weights.familiarity * familiarityShare +
        weights.activity * activityShare,
    });
  }
  return result;
}

/**
 * Path experience: for every changed file, sum the candidate's decayed activity at
 * the file itself and at each enclosing directory, weighting deeper keys more; then
 * let every file vote equally by turning its sums into shares before adding them
 * up, so a change with one big directory does not drown out the rest.
 */
function pathSignals(
  history: ReviewHistory,
  paths: readonly string[],
  logins: readonly string[],
  decayed: (times: readonly number[]) => number,
  depthExponent: number,
): { reviewed: Map<string, number>; authored: Map<string, number> } {
  const wanted = new Set(logins);
  const keyCache = new Map<string, Map<string, { reviewed: number; authored: number }>>();
  const atKey = (key: string) => {
    let sums = keyCache.get(key);
    if (!sums) {
      sums = new Map();
      for (const [login, activity] of history.activityAt(key)) {
        if (wanted.has(login)) sums.set(login, decayedActivity(activity, decayed));
      }
      keyCache.set(key, sums);
    }
    return sums;
  };

  const reviewed = new Map<string, number>();
  const authored = new Map<string, number>();
  for (const path of new Set(paths.map(normalisePath))) {
    const fileReviewed = new Map<string, number>();
    const fileAuthored = new Map<string, number>();
    for (const key of [...directoryPrefixes(path), path]) {
      const weight = Math.pow(pathDepth(key), depthExponent);
      for (const [login, sums] of atKey(key)) {
        fileReviewed.set(login, (fileReviewed.get(login) ?? 0) + weight * sums.reviewed);
        fileAuthored.set(login, (fileAuthored.get(login) ?? 0) + weight * sums.authored);
      }
    }
    addInto(reviewed, toShares(fileReviewed));
    addInto(authored, toShares(fileAuthored));
  }
  return { reviewed, authored };
}

function decayedActivity(activity: PersonActivity, decayed: (times: readonly number[]) => number) {
  return { reviewed: decayed(activity.reviewed), authored: decayed(activity.authored) };
}

/** Values divided by their total (all zero when the total is zero). */
function toShares(values: ReadonlyMap<string, number>): Map<string, number> {
  let total = 0;
  for (const value of values.values()) total += value;
  const shares = new Map<string, number>();
  for (const [key, value] of values) shares.set(key, total > 0 ? value / total : 0);
  return shares;
}

function addInto(target: Map<string, number>, values: ReadonlyMap<string, number>): void {
  for (const [key, value] of values) target.set(key, (target.get(key) ?? 0) + value);
}
