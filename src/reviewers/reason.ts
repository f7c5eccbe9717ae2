/**
 * The short, human reason shown next to a suggested reviewer in the PR comment,
 * e.g. "reviewed 6 changes under pipelines/ in the last 90 days · 1 open review".
 * Only counts that are true of the history are stated; no scores or jargon.
 */
import { countInWindow, DAY_MS, type ReviewHistory, type TimeWindow } from "./history.js";
import { directoryPrefixes, normalisePath, pathDepth } from "./paths.js";

export interface ReasonQuery {
  login: string;
  author: string;
  paths: readonly string[];
  now: number;
  /** Open review requests, when known. */
  openReviews?: number | undefined;
}

const RECENT_DAYS = 90;
const YEAR_DAYS = 365;

export function describeReason(history: ReviewHistory, query: ReasonQuery): string {
  const parts = [experiencePhrase(history, query)];
  if (query.openReviews !== undefined) parts.push(openReviewsPhrase(query.openReviews));
  return parts.join(" · ");
}

export function openReviewsPhrase(openReviews: number): string {
  if (openReviews === 0) return "no open reviews";
  return openReviews === 1 ? "1 open review" : `${openReviews} open reviews`;
}

/** The most telling fact about the person's experience, trying recent path work first. */
function experiencePhrase(history: ReviewHistory, query: ReasonQuery): string {
  const login = query.login.toLowerCase();
  for (const days of [RECENT_DAYS, YEAR_DAYS]) {
    const window: TimeWindow = { since: query.now - days * DAY_MS, until: query.now };
    const span = days === RECENT_DAYS ? `in the last ${RECENT_DAYS} days` : "in the last year";
    const reviewed = bestPathCount(history, query.paths, login, window, "reviewed");
    if (reviewed) return `reviewed ${changes(reviewed.count)} ${where(reviewed.key)} ${span}`;
    const authored = bestPathCount(history, query.paths, login, window, "authored");
    if (authored) return `wrote ${changes(authored.count)} ${where(authored.key)} ${span}`;
  }
  const yearWindow = { since: query.now - YEAR_DAYS * DAY_MS, until: query.now };
  const ofAuthor = history.timesReviewedBy(query.author, login, yearWindow);
  if (ofAuthor > 0) return `reviewed ${changes(ofAuthor)} by @${query.author} in the last year`;
  const anywhere = countInWindow(history.activityOf(login).reviewed, yearWindow);
  if (anywhere > 0) return `reviewed ${changes(anywhere)} in this repository in the last year`;
  return "no recent reviews recorded here";
}

/**
 * The path key where the person has the most telling record: count times depth, so
 * "6 changes under pipelines/train/" beats "7 changes under pipelines/".
 */
function bestPathCount(
  history: ReviewHistory,
  paths: readonly string[],
  login: string,
  window: TimeWindow,
  kind: "reviewed" | "authored",
): { key: string; count: number } | null {
  let best: { key: string; count: number; strength: number } | null = null;
  const keys = new Set<string>();
  for (const path of paths.map(normalisePath)) {
    keys.add(path);
    for (const prefix of directoryPrefixes(path)) keys.add(prefix);
  }
  for (const key of keys) {
    const activity = history.activityAt(key).get(login);
    if (!activity) continue;
    const count = countInWindow(activity[kind], window);
    const strength = count * pathDepth(key);
    if (count > 0 && (!best || strength > best.strength || (strength === best.strength && key < best.key))) {
      best = { key, count, strength };
    }
  }
  return best;
}

function changes(count: number): string {
  return count === 1 ? "1 change" : `${count} changes`;
}

function where(key: string): string {
  return key.endsWith("/") ? `under ${key}` : `to ${key}`;
}
