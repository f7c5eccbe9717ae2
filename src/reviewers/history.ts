/**
 * An incrementally maintained index of who reviewed and who wrote changes under
 * which paths, and when. The app feeds it from its own record of reviews and from
 * the commit history of the changed directories; the evaluation feeds it one
 * replayed record at a time. Queries only look at a path's own entries, so a
 * question about one pull request never scans the whole history.
 */
import { directoryPrefixes, normalisePath } from "./paths.js";

/** One landed change: who wrote it, who approved it, which paths it touched. */
export interface ChangeRecord {
  /** When it landed (merge time, or commit time for commit history). */
  at: Date | number | string;
  /** Who wrote it; omit when unknown. */
  author?: string | null;
  /** Who approved it (empty for plain commit history). */
  reviewers: readonly string[];
  /** Paths it changed, relative to the repository root. */
  paths: readonly string[];
}

export type ActivityKind = "reviewed" | "authored";

/** Timestamps (ms, ascending) of one person's activity at one path or prefix. */
export interface PersonActivity {
  reviewed: number[];
  authored: number[];
}

/** A time window [since, until], both inclusive, in ms since the epoch. */
export interface TimeWindow {
  since: number;
  until: number;
}

export class ReviewHistory {
  /** Path key (file path or directory prefix ending in "/") → login (lower case) → activity. */
  private readonly byPath = new Map<string, Map<string, PersonActivity>>();
  /** Login → activity anywhere in the repository. */
  private readonly byPerson = new Map<string, PersonActivity>();
  /** Author → reviewer → times the reviewer approved that author's changes. */
  private readonly reviewsOfAuthor = new Map<string, Map<string, number[]>>();
  private records = 0;

  /** Number of change records added so far. */
  get size(): number {
    return this.records;
  }

  /** Adds one change. Records may arrive in any order; each list stays sorted. */
  add(record: ChangeRecord): void {
    const at = toMillis(record.at);
    const author = record.author ? record.author.toLowerCase() : null;
    const reviewers = uniqueLowerCase(record.reviewers).filter((login) => login !== author);
    const keys = new Set<string>();
    for (const raw of record.paths) {
      const path = normalisePath(raw);
      if (path === "") continue;
      keys.add(path);
      for (const prefix of directoryPrefixes(path)) keys.add(prefix);
    }
    for (const key of keys) {
      let people = this.byPath.get(key);
      if (!people) this.byPath.set(key, (people = new Map()));
      for (const login of reviewers) insertSorted(activityOf(people, login).reviewed, at);
      if (author) insertSorted(activityOf(people, author).authored, at);
    }
    for (const login of reviewers) insertSorted(activityOf(this.byPerson, login).reviewed, at);
    if (author) {
      insertSorted(activityOf(this.byPerson, author).authored, at);
      let reviewersOfAuthor = this.reviewsOfAuthor.get(author);
      if (!reviewersOfAuthor) this.reviewsOfAuthor.set(author, (reviewersOfAuthor = new Map()));
      for (const login of reviewers) {
        let times = reviewersOfAuthor.get(login);
        if (!times) reviewersOfAuthor.set(login, (times = []));
        insertSorted(times, at);
      }
    }
    this.records++;
  }

  /**
   * Activity recorded at a file path or under a directory prefix ("a/b/"), per login
   * (lower case). Each change counts once per prefix however many files it touched there.
   */
  activityAt(pathOrPrefix: string): ReadonlyMap<string, PersonActivity> {
    return this.byPath.get(normalisePath(pathOrPrefix)) ?? EMPTY;
  }

  /** A person's activity anywhere in the repository. */
  activityOf(login: string): PersonActivity {
    return this.byPerson.get(login.toLowerCase()) ?? { reviewed: [], authored: [] };
  }

  /** Times each reviewer approved a change written by `author` (logins lower case). */
  reviewersOf(author: string): ReadonlyMap<string, readonly number[]> {
    return this.reviewsOfAuthor.get(author.toLowerCase()) ?? EMPTY_TIMES;
  }

  /** Times `reviewer` approved changes written by `author`, within the window. */
  timesReviewedBy(author: string, reviewer: string, window: TimeWindow): number {
    const times = this.reviewsOfAuthor.get(author.toLowerCase())?.get(reviewer.toLowerCase());
    return times ? countInWindow(times, window) : 0;
  }
}

/** How many of the ascending timestamps fall inside the window. */
export function countInWindow(times: readonly number[], window: TimeWindow): number {
  return upperBound(times, window.until) - lowerBound(times, window.since);
}

/**
 * Sum of weight(age in days) over the timestamps inside the window, where age is
 * measured back from window.until. Walks only the timestamps inside the window.
 */
export function weightedSum(
  times: readonly number[],
  window: TimeWindow,
  weightOfAgeDays: (ageDays: number) => number,
): number {
  let total = 0;
  const end = upperBound(times, window.until);
  for (let i = lowerBound(times, window.since); i < end; i++) {
    total += weightOfAgeDays((window.until - (times[i] as number)) / DAY_MS);
  }
  return total;
}

export const DAY_MS = 86_400_000;

/** Accepts a Date, epoch milliseconds, or an ISO 8601 string; throws on anything else. */
export function toMillis(value: Date | number | string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(value)}`);
  return ms;
}

const EMPTY: ReadonlyMap<string, PersonActivity> = new Map();
const EMPTY_TIMES: ReadonlyMap<string, readonly number[]> = new Map();

function activityOf(people: Map<string, PersonActivity>, login: string): PersonActivity {
  let activity = people.get(login);
  if (!activity) people.set(login, (activity = { reviewed: [], authored: [] }));
  return activity;
}

function uniqueLowerCase(logins: readonly string[]): string[] {
  return [...new Set(logins.map((login) => login.toLowerCase()).filter((login) => login !== ""))];
}

/** Appends in O(1) for in-order input; falls back to a binary-search insert otherwise. */
function insertSorted(times: number[], at: number): void {
  const last = times[times.length - 1];
  if (last === undefined || last <= at) times.push(at);
  else times.splice(upperBound(times, at), 0, at);
}

/** First index whose value is >= target. */
function lowerBound(times: readonly number[], target: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose value is > target. */
function upperBound(times: readonly number[], target: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
