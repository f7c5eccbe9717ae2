/**
 * The reference suggesters of the dataset README, reimplemented so every figure in a
 * report comes from the same replay: random, busiest reviewer, file reviewers.
 * File reviewers break score ties (mostly: nobody reviewed these files) by recent
 * review count, as the README's figures do; remaining ties go by login.
 */
import { DAY_MS, ReviewHistory, weightedSum } from "../history.js";
import { seededRandom, seededShuffle } from "../seeded.js";
import type { ReviewRecord } from "./dataset.js";
import type { Suggester, SuggestionRequest } from "./protocol.js";

/** Candidates in a seeded random order. */
export class RandomSuggester implements Suggester {
  readonly name = "random";
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  observe(): void {}

  suggest(request: SuggestionRequest): string[] {
    return seededShuffle(request.candidates, this.random);
  }
}

const BUSY_DAYS = 90;

/** Most reviews in the last 90 days first, whatever the change touches. */
export class BusiestReviewerSuggester implements Suggester {
  readonly name = "busiest-reviewer";
  private readonly history = new ReviewHistory();

  observe(record: ReviewRecord): void {
    this.history.add({ at: record.mergedAt, author: record.author, reviewers: record.reviewers, paths: [] });
  }

  suggest(request: SuggestionRequest): string[] {
    return rankByScore(request.candidates, (login) => recentReviews(this.history, login, request.now));
  }
}

/** Past reviews of the very same files, each weighted 1 / (1 + age in days / 30). */
export class FileReviewersSuggester implements Suggester {
  readonly name = "file-reviewers";
  private readonly history = new ReviewHistory();

  observe(record: ReviewRecord): void {
    this.history.add({ at: record.mergedAt, author: record.author, reviewers: record.reviewers, paths: record.files });
  }

  suggest(request: SuggestionRequest): string[] {
    const window = { since: Number.NEGATIVE_INFINITY, until: request.now };
    const scores = new Map<string, number>();
    for (const file of new Set(request.files)) {
      for (const [login, activity] of this.history.activityAt(file)) {
        const weight = weightedSum(activity.reviewed, window, (ageDays) => 1 / (1 + ageDays / 30));
        scores.set(login, (scores.get(login) ?? 0) + weight);
      }
    }
    return rankByScore(
      request.candidates,
      (login) => scores.get(login.toLowerCase()) ?? 0,
      (login) => recentReviews(this.history, login, request.now),
    );
  }
}

function recentReviews(history: ReviewHistory, login: string, now: number): number {
  return weightedSum(history.activityOf(login).reviewed, { since: now - BUSY_DAYS * DAY_MS, until: now }, () => 1);
}

function rankByScore(
  candidates: readonly string[],
  scoreOf: (login: string) => number,
  tieBreakOf: (login: string) => number = () => 0,
): string[] {
  return candidates
    .map((login) => ({ login, score: scoreOf(login), tieBreak: tieBreakOf(login) }))
    .sort(
      (a, b) =>
        b.score - a.score || b.tieBreak - a.tieBreak || (a.login < b.login ? -1 : a.login > b.login ? 1 : 0),
    )
    .map((entry) => entry.login);
}
