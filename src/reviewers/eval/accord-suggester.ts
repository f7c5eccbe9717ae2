/**
 * Accord's ranking (rank.ts, the same code the app runs) as an evaluation suggester.
 * The app's load signal is open review requests; a replay has none, so the load here
 * is what the suggester itself legitimately knows: how many times it named each
 * person first recently, standing in for the requests it would have sent.
 */
import { DAY_MS, ReviewHistory } from "../history.js";
import { rankReviewers, type RankOptionsOverride } from "../rank.js";
import type { ReviewRecord } from "./dataset.js";
import type { Suggester, SuggestionRequest } from "./protocol.js";

export interface AccordSuggesterOptions {
  /** A first place counts towards someone's load for this many days. */
  loadDays: number;
  rank?: RankOptionsOverride;
}

export const DEFAULT_ACCORD_SUGGESTER: AccordSuggesterOptions = { loadDays: 90 };

export class AccordSuggester implements Suggester {
  readonly name: string;
  private readonly history = new ReviewHistory();
  /** Times this suggester ranked each login first, oldest first. */
  private readonly firstPlaces: Array<{ login: string; at: number }> = [];

  constructor(
    private readonly options: AccordSuggesterOptions = DEFAULT_ACCORD_SUGGESTER,
    name = "accord",
  ) {
    this.name = name;
  }

  observe(record: ReviewRecord): void {
    this.history.add({ at: record.mergedAt, author: record.author, reviewers: record.reviewers, paths: record.files });
  }

  suggest(request: SuggestionRequest): string[] {
    const ranking = rankReviewers({
      prKey: request.key,
      author: request.author,
      paths: request.files,
      candidates: request.candidates,
      history: this.history,
      load: this.recentFirstPlaces(request.now),
      now: request.now,
      explain: 0,
      ...(this.options.rank ? { options: this.options.rank } : {}),
    });
    const first = ranking[0];
    if (first) this.firstPlaces.push({ login: first.login, at: request.now });
    return ranking.map((entry) => entry.login);
  }

  private recentFirstPlaces(now: number): Map<string, number> {
    const since = now - this.options.loadDays * DAY_MS;
    const load = new Map<string, number>();
    for (let i = this.firstPlaces.length - 1; i >= 0; i--) {
      const place = this.firstPlaces[i]!;
      if (place.at < since) break;
      load.set(place.login, (load.get(place.login) ?? 0) + 1);
    }
    return load;
  }
}
