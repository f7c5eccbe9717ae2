/**
 * Bulk loading into an empty store, inside one transaction: events are folded in memory with
 * the live path's roll-up code and written as multi-row inserts. Used by the benchmark (a
 * million evaluations in seconds) and by tests that check it matches the live path.
 */
import type { PullRequestFacts } from "../engine/facts.js";
import { compactResults, deliveryKey, encodeFacts, encodeResults, sha256, teamsOf, toMillis } from "./codec.js";
import { insertRows, type Param, type Sql } from "./db.js";
import {
  emptyPrState,
  foldEvaluation,
  foldPullRequestEvent,
  foldReview,
  foldReviewRequest,
  mergeStat,
  newDaySink,
  type AgreementStatRow,
  type DaySink,
  type Changes,
  type PrState,
} from "./rollup.js";
import { collectRows, PR_COLUMNS, prParams, writeDays, writeRollups, writeStats, writeTeamNames, type PrRecord, type RowSink } from "./rows.js";
import type { EvaluationEvent, PullRequestEvent, ReviewEvent, ReviewRequestEvent, UnwaiverEvent, WaiverEvent } from "./types.js";

interface LoadedPr {
  repoId: number;
  number: number;
  record: PrRecord;
  state: PrState;
  facts: PullRequestFacts | null;
}

const ANSWERING_STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"]);
const FLUSH_ROWS = 20_000;

export class HistoryLoader {
  private readonly repos = new Map<string, number>();
  private readonly prs = new Map<string, LoadedPr>();
  private readonly versions = new Map<string, number>();
  private readonly stats = new Map<number, Map<string, AgreementStatRow>>();
  private readonly teamNames = new Map<number, Map<string, string>>();
  private readonly daySums = new Map<number, DaySink>();
  private nextPrId = 1;
  private readonly buffers = {
    evaluations: [] as Param[][],
    prEvents: [] as Param[][],
    waivers: [] as Param[][],
    reviewRequests: [] as Param[][],
    reviews: [] as Param[][],
  };
  /** Evaluations loaded so far. */
  loaded = 0;

  constructor(
    private readonly tx: Sql,
    private readonly maxParams: number,
    private readonly now: () => number,
  ) {}

  async pullRequestEvent(event: PullRequestEvent): Promise<void> {
    const at = toMillis(event.at, this.now);
    const pr = await this.pr(event.repo, event.number);
    this.buffers.prEvents.push([pr.record.id, event.kind, at, event.deliveryId ?? null]);
    foldPullRequestEvent(pr.record, {
      kind: event.kind,
      at,
      ...(event.title !== undefined ? { title: event.title } : {}),
      ...(event.author !== undefined ? { author: event.author } : {}),
      ...(event.baseBranch !== undefined ? { baseBranch: event.baseBranch } : {}),
    });
    await this.maybeFlush();
  }

  async evaluation(event: EvaluationEvent): Promise<void> {
    const at = toMillis(event.at, this.now);
    const pr = await this.pr(event.repo, event.number);
    const results = compactResults(event.evaluation);
    let versionId: number | null = null;
    if (event.agreementFile) versionId = await this.version(pr.repoId, event.agreementFile.baseSha, event.agreementFile.text, at);
    const encoded = encodeResults(results);
    const setId = await this.agreementSet(pr.repoId, encoded.ids);
    this.buffers.evaluations.push([pr.repoId, pr.record.id, event.headSha, at, event.evaluation.conclusion, versionId, setId, deliveryKey(event.deliveryId), encoded.text]);
    const changes = foldEvaluation(pr.state, {
      at,
      results,
      ...(event.facts ? { authorTeams: teamsOf(event.facts.author, event.facts.teamMembers) } : {}),
      draft: event.facts?.draft ?? false,
    }, this.days(pr.repoId));
    this.absorb(pr, changes);
    if (event.facts && (pr.record.factsAt === null || at >= pr.record.factsAt)) {
      pr.facts = event.facts;
      pr.record.factsAt = at;
      pr.record.title = event.facts.title;
      pr.record.author = event.facts.author;
      pr.record.baseBranch = event.facts.baseBranch;
    }
    this.loaded += 1;
    await this.maybeFlush();
  }

  async waiver(event: WaiverEvent): Promise<void> {
    const pr = await this.pr(event.repo, event.number);
    this.buffers.waivers.push([pr.repoId, pr.record.id, event.agreementId, "waive", event.by, event.reason, toMillis(event.at, this.now), event.deliveryId ?? null]);
    await this.maybeFlush();
  }

  async unwaiver(event: UnwaiverEvent): Promise<void> {
    const pr = await this.pr(event.repo, event.number);
    this.buffers.waivers.push([pr.repoId, pr.record.id, event.agreementId, "unwaive", event.by, "", toMillis(event.at, this.now), event.deliveryId ?? null]);
    await this.maybeFlush();
  }

  async reviewRequest(event: ReviewRequestEvent): Promise<void> {
    const at = toMillis(event.at, this.now);
    const pr = await this.pr(event.repo, event.number);
    const teams = event.reviewerTeams ?? (pr.facts ? teamsOf(event.reviewer, pr.facts.teamMembers) : []);
    this.buffers.reviewRequests.push([pr.repoId, pr.record.id, event.requester, event.reviewer, teams.join(","), event.suggestionRank ?? null, at, event.deliveryId ?? null]);
    if (teams.length > 0) this.absorb(pr, foldReviewRequest(pr.state, at, teams));
    await this.maybeFlush();
  }

  async review(event: ReviewEvent): Promise<void> {
    const at = toMillis(event.at, this.now);
    const pr = await this.pr(event.repo, event.number);
    const teams = event.reviewerTeams ?? (pr.facts ? teamsOf(event.reviewer, pr.facts.teamMembers) : []);
    this.buffers.reviews.push([pr.repoId, pr.record.id, event.reviewer, event.state, teams.join(","), at, event.reviewId ?? null, event.deliveryId ?? null]);
    if (teams.length > 0 && ANSWERING_STATES.has(event.state)) this.absorb(pr, foldReview(pr.state, at, teams));
    await this.maybeFlush();
  }

  /** Writes a finished pull request's rows now and forgets it (keeps memory flat over long loads). */
  async finishPullRequest(repo: string, number: number): Promise<void> {
    const key = `${repo}#${number}`;
    const pr = this.prs.get(key);
    if (!pr) return;
    this.prs.delete(key);
    this.pendingPrs.push(pr);
    if (this.pendingPrs.length >= 2_000) await this.writePrs();
  }

  async finish(): Promise<void> {
    await this.flush();
    this.pendingPrs.push(...this.prs.values());
    this.prs.clear();
    await this.writePrs();
    for (const [repoId, stats] of this.stats) await writeStats(this.tx, this.maxParams, repoId, [...stats.values()]);
    for (const [repoId, days] of this.daySums) await writeDays(this.tx, this.maxParams, repoId, days);
    for (const [repoId, names] of this.teamNames) {
      await writeTeamNames(
        this.tx,
        this.maxParams,
        repoId,
        [...names].map(([team, name]) => ({ team, name })),
      );
    }
  }

  // -------------------------------------------------------------------------------------------

  private readonly pendingPrs: LoadedPr[] = [];
  private readonly finished = new Set<string>();

  private async writePrs(): Promise<void> {
    const prRows: Param[][] = [];
    const sink: RowSink = { agreements: [], teams: [], paths: [] };
    for (const pr of this.pendingPrs) {
      const { state, record } = pr;
      record.authorTeams = state.authorTeams;
      record.firstEvalAt = state.firstEvalAt;
      record.lastEvalAt = state.lastEvalAt;
      record.evaluations = state.evaluations;
      prRows.push(prParams(pr.repoId, pr.number, record, pr.facts ? encodeFacts(pr.facts) : null));
      collectRows(sink, pr.repoId, record.id, { agreements: [...state.agreements.values()], teams: [...state.teams.values()], paths: [...state.paths.values()] });
      this.finished.add(`${pr.repoId}#${pr.number}`);
    }
    this.pendingPrs.length = 0;
    await insertRows(this.tx, this.maxParams, "pull_requests", PR_COLUMNS, prRows);
    await writeRollups(this.tx, this.maxParams, sink);
  }

  private days(repoId: number) {
    let days = this.daySums.get(repoId);
    if (!days) this.daySums.set(repoId, (days = newDaySink()));
    return days;
  }

  private absorb(pr: LoadedPr, changes: Changes): void {
    let stats = this.stats.get(pr.repoId);
    if (!stats) this.stats.set(pr.repoId, (stats = new Map()));
    for (const stat of changes.stats) stats.set(stat.agreementId, mergeStat(stats.get(stat.agreementId), stat));
    if (changes.teamNames.length > 0) {
      let names = this.teamNames.get(pr.repoId);
      if (!names) this.teamNames.set(pr.repoId, (names = new Map()));
      for (const { team, name } of changes.teamNames) names.set(team, name);
    }
  }

  private async pr(repo: string, number: number): Promise<LoadedPr> {
    const key = `${repo}#${number}`;
    let pr = this.prs.get(key);
    if (pr) return pr;
    const repoId = await this.repo(repo);
    if (this.finished.has(`${repoId}#${number}`)) throw new Error(`pull request ${key} was already finished in this load`);
    pr = {
      repoId,
      number,
      record: {
        id: this.nextPrId++,
        title: null,
        author: null,
        baseBranch: null,
        openedAt: null,
        readyAt: null,
        closedAt: null,
        mergedAt: null,
        authorTeams: null,
        firstEvalAt: null,
        lastEvalAt: null,
        evaluations: 0,
        factsAt: null,
      },
      state: emptyPrState(),
      facts: null,
    };
    this.prs.set(key, pr);
    return pr;
  }

  private async repo(name: string): Promise<number> {
    let id = this.repos.get(name);
    if (id === undefined) {
      await this.tx.run("INSERT INTO repos (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name]);
      id = Number((await this.tx.get<{ id: number }>("SELECT id FROM repos WHERE name = ?", [name]))!.id);
      this.repos.set(name, id);
    }
    return id;
  }

  private readonly sets = new Map<string, number>();

  private async agreementSet(repoId: number, ids: readonly string[]): Promise<number> {
    const key = `${repoId}\n${ids.join("\n")}`;
    let id = this.sets.get(key);
    if (id === undefined) {
      const text = JSON.stringify(ids);
      await this.tx.run("INSERT INTO agreement_sets (repo_id, ids) VALUES (?, ?) ON CONFLICT (repo_id, ids) DO NOTHING", [repoId, text]);
      id = Number((await this.tx.get<{ id: number }>("SELECT id FROM agreement_sets WHERE repo_id = ? AND ids = ?", [repoId, text]))!.id);
      this.sets.set(key, id);
    }
    return id;
  }

  private async version(repoId: number, baseSha: string, text: string, at: number): Promise<number> {
    const hash = sha256(text);
    const key = `${repoId}:${hash}`;
    let id = this.versions.get(key);
    if (id === undefined) {
      const row = await this.tx.get<{ id: number }>(
        `INSERT INTO agreement_versions (repo_id, hash, text, first_base_sha, first_seen_at, last_base_sha, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [repoId, hash, text, baseSha, at, baseSha, at],
      );
      id = Number(row!.id);
      this.versions.set(key, id);
    }
    return id;
  }

  private async maybeFlush(): Promise<void> {
    const b = this.buffers;
    if (b.evaluations.length + b.prEvents.length + b.waivers.length + b.reviewRequests.length + b.reviews.length >= FLUSH_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    const b = this.buffers;
    await insertRows(this.tx, this.maxParams, "evaluations", ["repo_id", "pr_id", "head_sha", "at", "conclusion", "version_id", "agreement_set_id", "delivery_key", "results"], b.evaluations);
    await insertRows(this.tx, this.maxParams, "pr_events", ["pr_id", "kind", "at", "delivery_id"], b.prEvents);
    await insertRows(this.tx, this.maxParams, "waivers", ["repo_id", "pr_id", "agreement_id", "action", "by_login", "reason", "at", "delivery_id"], b.waivers);
    await insertRows(
      this.tx,
      this.maxParams,
      "review_requests",
      ["repo_id", "pr_id", "requester", "reviewer", "teams", "suggestion_rank", "at", "delivery_id"],
      b.reviewRequests,
    );
    await insertRows(this.tx, this.maxParams, "reviews", ["repo_id", "pr_id", "reviewer", "state", "teams", "at", "review_id", "delivery_id"], b.reviews);
    for (const list of Object.values(b)) list.length = 0;
  }
}
