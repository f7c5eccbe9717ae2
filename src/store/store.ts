/** The friction store over either database: events in, report rows and replay facts out. */
import type { PullRequestFacts, Waiver } from "../engine/facts.js";
import { compactResults, decodeFacts, decodeResults, deliveryKey, encodeFacts, encodeResults, iso, isoOrNull, modeOf, severityOf, sha256, splitList, teamsOf, toMillis } from "./codec.js";
import type { Db, Sql } from "./db.js";
import { HistoryLoader } from "./bulk.js";
import { AGREEMENT_DAY_COUNTERS, emptyPrState, foldEvaluation, newDaySink, type DaySink, foldPullRequestEvent, foldReview, foldReviewRequest, type Changes, type PrState } from "./rollup.js";
import { collectRows, loadRollups, PR_RECORD_COLUMNS, prRecordFrom, updatePr, writeDays, writeRollups, writeStats, writeTeamNames, type PrRecord, type RowSink } from "./rows.js";
import { AGGREGATE_FIELDS } from "./types.js";
import type {
  HeldPullRequest,
  WeeklyAgreementRow,
  AgreementAggregate,
  AgreementVersion,
  EvaluationEvent,
  FrictionStore,
  PathAggregate,
  PullRequestEvent,
  RecentFactsOptions,
  RecordedApproval,
  RecordedEvaluation,
  RecordedPullRequest,
  ReportData,
  ReviewEvent,
  ReviewRequestEvent,
  StoreKind,
  StoredAgreementVersion,
  TimeWindow,
  UnwaiverEvent,
  WaiverEvent,
} from "./types.js";
import { emptyReportData } from "./types.js";

/** Thrown inside a transaction to roll it back when the event was already recorded. */
const ALREADY_RECORDED = Symbol("already recorded");

const DAY = 86_400_000;

/** The aggregate fields, in the order of the daily sums' columns (AGREEMENT_DAY_COUNTERS). */

/**
 * A window as whole UTC days [days[0], days[1]) plus the partial days at either end, as time
 * ranges [from, to) in ms. A window inside one or two days is all edges.
 */
export function splitWindow(since: number, until: number): { days?: [number, number]; edges: [number, number][] } {
  if (until <= since) return { edges: [] };
  const firstDay = Math.ceil(since / DAY);
  const endDay = Math.floor(until / DAY);
  if (firstDay >= endDay) return { edges: [[since, until]] };
  const edges: [number, number][] = [];
  if (since < firstDay * DAY) edges.push([since, firstDay * DAY]);
  if (endDay * DAY < until) edges.push([endDay * DAY, until]);
  return { days: [firstDay, endDay], edges };
}

/** How long a claimed delivery id is remembered. */
export const DELIVERY_MEMORY_DAYS = 30;

/** Review states that answer a request: a dismissal or a draft review does not. */
const ANSWERING_STATES = new Set(["APPROVED", "CHANGES_REQUESTED", "COMMENTED"]);

export class SqlStore implements FrictionStore {
  /** Repository row ids by lower-cased name. */
  private readonly repoIds = new Map<string, number>();
  private readonly closers: (() => Promise<void>)[] = [];
  /** GitHub repository ids whose current name this process has written. */
  private readonly identified = new Map<number, string>();
  private readonly agreementSets = new Map<string, number>();
  private claims = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  get kind(): StoreKind {
    return this.db.dialect;
  }

  /** The database underneath, for the job queue that lives beside the record. */
  get database(): Db {
    return this.db;
  }

  async claimDelivery(id: string): Promise<boolean> {
    const now = this.now();
    const claimed = (await this.db.run("INSERT INTO deliveries (id, at) VALUES (?, ?) ON CONFLICT DO NOTHING", [id, now])) === 1;
    // GitHub redelivers for days, not months: claims older than DELIVERY_MEMORY_DAYS are let go now and then.
    if (claimed && ++this.claims % 1000 === 0) await this.db.run("DELETE FROM deliveries WHERE at < ?", [now - DELIVERY_MEMORY_DAYS * DAY]);
    return claimed;
  }

  async releaseDelivery(id: string): Promise<void> {
    await this.db.run("DELETE FROM deliveries WHERE id = ?", [id]);
  }

  withPullRequestLock<T>(repo: string, number: number, fn: () => Promise<T>): Promise<T> {
    return this.db.withLock(`${repo}#${number}`, fn);
  }

  // -------------------------------------------------------------------------------------------
  // Events

  async recordPullRequestEvent(event: PullRequestEvent): Promise<boolean> {
    const at = toMillis(event.at, this.now);
    return this.recordOnce(event.repo, event.number, async (tx, pr) => {
      const inserted = await tx.run("INSERT INTO pr_events (pr_id, kind, at, delivery_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [
        pr.id,
        event.kind,
        at,
        event.deliveryId ?? null,
      ]);
      if (inserted === 0) throw ALREADY_RECORDED;
      foldPullRequestEvent(pr, {
        kind: event.kind,
        at,
        ...(event.title !== undefined ? { title: event.title } : {}),
        ...(event.author !== undefined ? { author: event.author } : {}),
        ...(event.baseBranch !== undefined ? { baseBranch: event.baseBranch } : {}),
      });
      await updatePr(tx, pr);
    });
  }

  async recordEvaluation(event: EvaluationEvent): Promise<boolean> {
    const at = toMillis(event.at, this.now);
    const results = compactResults(event.evaluation);
    const encoded = encodeResults(results);
    const facts = event.facts ? encodeFacts(event.facts) : null;
    const authorTeams = event.facts ? teamsOf(event.facts.author, event.facts.teamMembers) : undefined;
    const setId = await this.agreementSet(await this.repoId(event.repo), encoded.ids);
    return this.recordOnce(event.repo, event.number, async (tx, pr, repoId) => {
      const versionId = event.agreementFile ? await this.upsertVersion(tx, repoId, event.agreementFile.baseSha, event.agreementFile.text, at) : null;
      const inserted = await tx.get<{ id: number }>(
        `INSERT INTO evaluations (repo_id, pr_id, head_sha, at, conclusion, version_id, agreement_set_id, delivery_key, results)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        [repoId, pr.id, event.headSha, at, event.evaluation.conclusion, versionId, setId, deliveryKey(event.deliveryId), encoded.text],
      );
      if (!inserted) throw ALREADY_RECORDED;
      const state = await this.loadState(tx, pr, { agreements: true, paths: true });
      const days = newDaySink();
      const changes = foldEvaluation(state, {
        at,
        results,
        ...(authorTeams !== undefined ? { authorTeams } : {}),
        draft: event.facts?.draft ?? false,
      }, days);
      await this.writeChanges(tx, repoId, pr, state, changes, days);
      if (facts && event.facts && (pr.factsAt === null || at >= pr.factsAt)) {
        await tx.run("UPDATE pull_requests SET facts = ?, facts_at = ?, title = ?, author = ?, base_branch = ? WHERE id = ?", [
          facts,
          at,
          event.facts.title,
          event.facts.author,
          event.facts.baseBranch,
          pr.id,
        ]);
      }
    });
  }

  async recordWaiver(event: WaiverEvent): Promise<boolean> {
    return this.recordWaiverAction(event, "waive", event.reason);
  }

  async recordUnwaiver(event: UnwaiverEvent): Promise<boolean> {
    return this.recordWaiverAction(event, "unwaive", "");
  }

  private async recordWaiverAction(event: UnwaiverEvent, action: "waive" | "unwaive", reason: string): Promise<boolean> {
    const at = toMillis(event.at, this.now);
    return this.recordOnce(event.repo, event.number, async (tx, pr, repoId) => {
      const inserted = await tx.run(
        `INSERT INTO waivers (repo_id, pr_id, agreement_id, action, by_login, reason, at, delivery_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [repoId, pr.id, event.agreementId, action, event.by, reason, at, event.deliveryId ?? null],
      );
      if (inserted === 0) throw ALREADY_RECORDED;
    });
  }

  async activeWaivers(repo: string, number: number): Promise<Waiver[]> {
    const rows = await this.db.all<{ agreementId: string; action: string; by: string; reason: string; at: number }>(
      `SELECT w.agreement_id AS "agreementId", w.action, w.by_login AS "by", w.reason, w.at
         FROM waivers w JOIN pull_requests p ON p.id = w.pr_id JOIN repos r ON r.id = p.repo_id
        WHERE lower(r.name) = lower(?) AND p.number = ? ORDER BY w.at, w.id`,
      [repo, number],
    );
    const active = new Map<string, Waiver>();
    for (const row of rows) {
      if (row.action === "waive") active.set(row.agreementId, { agreementId: row.agreementId, by: row.by, reason: row.reason, at: iso(Number(row.at)) });
      else active.delete(row.agreementId);
    }
    return [...active.values()];
  }

  async recordReviewRequest(event: ReviewRequestEvent): Promise<boolean> {
    const at = toMillis(event.at, this.now);
    return this.recordOnce(event.repo, event.number, async (tx, pr, repoId) => {
      const teams = event.reviewerTeams ?? (await this.teamsFromFacts(tx, pr.id, event.reviewer));
      const inserted = await tx.run(
        `INSERT INTO review_requests (repo_id, pr_id, requester, reviewer, teams, suggestion_rank, at, delivery_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [repoId, pr.id, event.requester, event.reviewer, teams.join(","), event.suggestionRank ?? null, at, event.deliveryId ?? null],
      );
      if (inserted === 0) throw ALREADY_RECORDED;
      if (teams.length === 0) return;
      const state = await this.loadState(tx, pr, { agreements: false, paths: false });
      await this.writeChanges(tx, repoId, pr, state, foldReviewRequest(state, at, teams));
    });
  }

  async recordReview(event: ReviewEvent): Promise<boolean> {
    const at = toMillis(event.at, this.now);
    return this.recordOnce(event.repo, event.number, async (tx, pr, repoId) => {
      const teams = event.reviewerTeams ?? (await this.teamsFromFacts(tx, pr.id, event.reviewer));
      const inserted = await tx.run(
        `INSERT INTO reviews (repo_id, pr_id, reviewer, state, teams, at, review_id, delivery_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [repoId, pr.id, event.reviewer, event.state, teams.join(","), at, event.reviewId ?? null, event.deliveryId ?? null],
      );
      if (inserted === 0) throw ALREADY_RECORDED;
      if (teams.length === 0 || !ANSWERING_STATES.has(event.state)) return;
      const state = await this.loadState(tx, pr, { agreements: false, paths: false });
      await this.writeChanges(tx, repoId, pr, state, foldReview(state, at, teams));
    });
  }

  async recordAgreementVersion(version: AgreementVersion): Promise<string> {
    const at = toMillis(version.at, this.now);
    const repoId = await this.repoId(version.repo);
    await this.db.transaction((tx) => this.upsertVersion(tx, repoId, version.baseSha, version.text, at));
    return sha256(version.text);
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  async recentPullRequestFacts(repo: string, limit = 50, options: RecentFactsOptions = {}): Promise<PullRequestFacts[]> {
    const rows = await this.db.all<{ facts: Uint8Array }>(
      `SELECT p.facts FROM pull_requests p JOIN repos r ON r.id = p.repo_id
        WHERE lower(r.name) = lower(?) AND p.facts IS NOT NULL AND p.number <> ? ORDER BY p.facts_at DESC, p.number DESC LIMIT ?`,
      [repo, options.excludeNumber ?? -1, Math.max(0, Math.trunc(limit))],
    );
    return rows.map((row) => decodeFacts(row.facts));
  }

  async recentApprovals(repo: string, since: number, limit = 500): Promise<RecordedApproval[]> {
    const rows = await this.db.all<{ number: number; author: string | null; reviewer: string; at: number; facts: Uint8Array | null }>(
      `SELECT p.number, p.author, v.reviewer, v.at, p.facts FROM reviews v
         JOIN pull_requests p ON p.id = v.pr_id JOIN repos r ON r.id = p.repo_id
        WHERE lower(r.name) = lower(?) AND v.state = 'APPROVED' AND v.at >= ?
        ORDER BY v.at DESC LIMIT ?`,
      [repo, since, Math.max(0, Math.trunc(limit))],
    );
    const byNumber = new Map<number, RecordedApproval>();
    for (const row of rows) {
      const number = Number(row.number);
      let approval = byNumber.get(number);
      if (!approval) {
        const facts = row.facts ? decodeFacts(row.facts) : undefined;
        approval = { number, author: row.author, at: Number(row.at), reviewers: [], paths: facts ? facts.files.map((file) => file.path) : [] };
        byNumber.set(number, approval);
      }
      if (!approval.reviewers.some((login) => login.toLowerCase() === row.reviewer.toLowerCase())) approval.reviewers.push(row.reviewer);
    }
    return [...byNumber.values()].filter((approval) => approval.paths.length > 0);
  }

  async pullRequest(repo: string, number: number): Promise<RecordedPullRequest | undefined> {
    const row = await this.db.get<Parameters<typeof prRecordFrom>[0]>(
      `SELECT ${PR_RECORD_COLUMNS} FROM pull_requests WHERE repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) AND number = ?`,
      [repo, number],
    );
    if (!row) return undefined;
    const pr = prRecordFrom(row);
    return {
      repo,
      number,
      title: pr.title,
      author: pr.author,
      baseBranch: pr.baseBranch,
      openedAt: isoOrNull(pr.openedAt),
      readyAt: isoOrNull(pr.readyAt),
      closedAt: isoOrNull(pr.closedAt),
      mergedAt: isoOrNull(pr.mergedAt),
      evaluations: pr.evaluations,
      firstEvaluatedAt: isoOrNull(pr.firstEvalAt),
      lastEvaluatedAt: isoOrNull(pr.lastEvalAt),
    };
  }

  async agreementVersion(repo: string, hash?: string): Promise<StoredAgreementVersion | undefined> {
    const row = await this.db.get<{ hash: string; text: string; firstBaseSha: string; firstSeenAt: number; lastBaseSha: string; lastSeenAt: number }>(
      `SELECT hash, text, first_base_sha AS "firstBaseSha", first_seen_at AS "firstSeenAt", last_base_sha AS "lastBaseSha", last_seen_at AS "lastSeenAt"
         FROM agreement_versions WHERE repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) ${hash === undefined ? "" : "AND hash = ?"}
        ORDER BY last_seen_at DESC, id DESC LIMIT 1`,
      hash === undefined ? [repo] : [repo, hash],
    );
    if (!row) return undefined;
    return { repo, ...row, firstSeenAt: iso(Number(row.firstSeenAt)), lastSeenAt: iso(Number(row.lastSeenAt)) };
  }

  async evaluationHistory(repo: string, number: number): Promise<RecordedEvaluation[]> {
    const rows = await this.db.all<{ headSha: string; at: number; conclusion: string; ids: string; results: string }>(
      `SELECT e.head_sha AS "headSha", e.at, e.conclusion, s.ids, e.results
         FROM evaluations e JOIN agreement_sets s ON s.id = e.agreement_set_id
        WHERE e.pr_id IN (SELECT p.id FROM pull_requests p JOIN repos r ON r.id = p.repo_id WHERE lower(r.name) = lower(?) AND p.number = ?)
        ORDER BY e.at, e.id`,
      [repo, number],
    );
    return rows.map((row) => ({
      headSha: row.headSha,
      at: iso(Number(row.at)),
      conclusion: row.conclusion as RecordedEvaluation["conclusion"],
      agreements: decodeResults(JSON.parse(row.ids) as string[], row.results),
    }));
  }

  async repositories(): Promise<string[]> {
    const rows = await this.db.all<{ name: string }>(
      "SELECT name FROM repos r WHERE EXISTS (SELECT 1 FROM pull_requests p WHERE p.repo_id = r.id) ORDER BY name",
    );
    return rows.map((row) => row.name);
  }

  async weeklyAgreements(repo: string, window: TimeWindow): Promise<WeeklyAgreementRow[]> {
    const since = Math.floor(window.since.getTime() / DAY);
    const until = Math.ceil(window.until.getTime() / DAY);
    // Day 0 (1970-01-01) was a Thursday: weeks start on Mondays, 4 days later.
    const rows = await this.db.all<{ week: number; id: string; prs: number; unmet: number; waived: number }>(
      `SELECT ((d.day - 4) / 7) * 7 + 4 AS week, d.agreement_id AS id, SUM(d.pull_requests) AS prs, SUM(d.unmet_prs) AS unmet, SUM(d.waived) AS waived
         FROM agreement_days d
        WHERE d.repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) AND d.day >= ? AND d.day < ?
        GROUP BY ((d.day - 4) / 7) * 7 + 4, d.agreement_id ORDER BY 1, 2`,
      [repo, since, until],
    );
    return rows.map((row) => ({ week: iso(Number(row.week) * DAY).slice(0, 10), agreementId: row.id, pullRequests: Number(row.prs), unmetPullRequests: Number(row.unmet), waivedPullRequests: Number(row.waived) }));
  }

  async heldLongest(repo: string, agreementId: string, window: TimeWindow, limit = 10): Promise<HeldPullRequest[]> {
    const now = Math.min(this.now(), window.until.getTime());
    const rows = await this.db.all<{ number: number; title: string | null; author: string | null; firstUnmet: number; met: number | null; closed: number | null; waived: number; outcome: string }>(
      `SELECT p.number, p.title, p.author, a.first_unmet_at AS "firstUnmet", a.met_at AS "met", p.closed_at AS "closed", a.waived, a.last_outcome AS "outcome"
         FROM pr_agreements a JOIN pull_requests p ON p.id = a.pr_id
        WHERE a.repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) AND a.agreement_id = ? AND a.first_at >= ? AND a.first_at < ? AND a.first_unmet_at IS NOT NULL`,
      [repo, agreementId, window.since.getTime(), window.until.getTime()],
    );
    return rows
      .map((row) => {
        const end = row.met ?? row.closed ?? now;
        return {
          number: Number(row.number),
          title: row.title,
          author: row.author,
          firstUnmetAt: iso(Number(row.firstUnmet)),
          metAt: isoOrNull(row.met === null ? null : Number(row.met)),
          heldSeconds: Math.max(0, Math.round((Number(end) - Number(row.firstUnmet)) / 1000)),
          waived: Number(row.waived) > 0,
          lastOutcome: row.outcome,
        };
      })
      .sort((a, b) => b.heldSeconds - a.heldSeconds || a.number - b.number)
      .slice(0, limit);
  }

  async agreementVersions(repo: string): Promise<StoredAgreementVersion[]> {
    const rows = await this.db.all<{ hash: string; text: string; firstBaseSha: string; firstSeenAt: number; lastBaseSha: string; lastSeenAt: number }>(
      `SELECT hash, text, first_base_sha AS "firstBaseSha", first_seen_at AS "firstSeenAt", last_base_sha AS "lastBaseSha", last_seen_at AS "lastSeenAt"
         FROM agreement_versions WHERE repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) ORDER BY first_seen_at, id`,
      [repo],
    );
    return rows.map((row) => ({ repo, ...row, firstSeenAt: iso(Number(row.firstSeenAt)), lastSeenAt: iso(Number(row.lastSeenAt)) }));
  }

  async reportData(repo: string, window: TimeWindow): Promise<ReportData> {
    return (await this.reportDataMany([repo], window))[0]!;
  }

  /**
   * The report rows of several repositories at once (the organisation view): each query runs
   * once for all of them, with `repo_id IN (…)`, and its rows are dealt out per repository —
   * a handful of queries for 200 repositories instead of a handful per repository.
   */
  async reportDataMany(repos: readonly string[], window: TimeWindow): Promise<ReportData[]> {
    const since = window.since.getTime();
    const until = window.until.getTime();
    const previousSince = since - (until - since);
    const windowIso = { since: iso(since), until: iso(until) };
    const previousIso = { since: iso(previousSince), until: iso(since) };
    const ids: number[] = [];
    for (const repo of repos) {
      const row = await this.db.get<{ id: number }>("SELECT id FROM repos WHERE lower(name) = lower(?) ORDER BY id LIMIT 1", [repo]);
      ids.push(row ? Number(row.id) : -1);
    }
    const known = [...new Set(ids.filter((id) => id >= 0))];
    const out = repos.map((repo) => emptyReportData(repo, windowIso, previousIso));
    if (known.length === 0) return out;
    const byRepo = new Map<number, ReportData[]>();
    ids.forEach((id, i) => {
      if (id >= 0) byRepo.set(id, [...(byRepo.get(id) ?? []), out[i]!]);
    });
    const each = (repoId: unknown, fn: (data: ReportData) => void) => {
      for (const data of byRepo.get(Number(repoId)) ?? []) fn(data);
    };
    const list = `(${known.map(() => "?").join(",")})`;
    const db = this.db;

    const { days, edges } = splitWindow(since, until);
    let info: {
      repoId: number;
      agreementId: string;
      title: string;
      severity: string;
      mode: string;
      firstSeenAt: number;
      lastSeenAt: number;
      lastAppliedAt: number | null;
      lastUnmetAt: number | null;
    }[] = [];
    // The queries do not depend on one another: on PostgreSQL they run side by side on the pool.
    await Promise.all([
      (async () => {
      if (days) {
        for (const row of await db.all<{ repoId: number; n: number | null }>(
          `SELECT repo_id AS "repoId", SUM(evaluations) AS n FROM repo_days WHERE repo_id IN ${list} AND day >= ? AND day < ? GROUP BY repo_id`,
          [...known, days[0], days[1]],
        )) {
          each(row.repoId, (data) => (data.evaluations += Number(row.n ?? 0)));
        }
      }
      for (const [from, to] of edges) {
        for (const row of await db.all<{ repoId: number; n: number }>(`SELECT repo_id AS "repoId", COUNT(*) AS n FROM evaluations WHERE repo_id IN ${list} AND at >= ? AND at < ? GROUP BY repo_id`, [...known, from, to])) {
          each(row.repoId, (data) => (data.evaluations += Number(row.n ?? 0)));
        }
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; n: number }>(
        `SELECT repo_id AS "repoId", COUNT(*) AS n FROM pull_requests WHERE repo_id IN ${list} AND last_eval_at >= ? AND first_eval_at < ? GROUP BY repo_id`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) => (data.pullRequests = Number(row.n ?? 0)));
      }
      })(),
      (async () => {
      for (const [repoId, aggregates] of await this.aggregates(known, since, until)) each(repoId, (data) => (data.agreements = aggregates));
      })(),
      (async () => {
      for (const [repoId, aggregates] of await this.aggregates(known, previousSince, since)) each(repoId, (data) => (data.previousAgreements = aggregates));
      })(),
      (async () => {
      info = await db.all<{
        repoId: number;
        agreementId: string;
        title: string;
        severity: string;
        mode: string;
        firstSeenAt: number;
        lastSeenAt: number;
        lastAppliedAt: number | null;
        lastUnmetAt: number | null;
      }>(
        `SELECT repo_id AS "repoId", agreement_id AS "agreementId", title, severity, mode, first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt",
                last_applied_at AS "lastAppliedAt", last_unmet_at AS "lastUnmetAt"
           FROM agreement_stats WHERE repo_id IN ${list} ORDER BY agreement_id`,
        known,
      );
      for (const row of info) {
        each(row.repoId, (data) =>
          data.agreementInfo.push({
            agreementId: row.agreementId,
            title: row.title,
            severity: severityOf(row.severity),
            mode: modeOf(row.mode),
            firstSeenAt: iso(Number(row.firstSeenAt)),
            lastSeenAt: iso(Number(row.lastSeenAt)),
            lastAppliedAt: isoOrNull(row.lastAppliedAt),
            lastUnmetAt: isoOrNull(row.lastUnmetAt),
          }),
        );
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; agreementId: string; seconds: number }>(
        `SELECT repo_id AS "repoId", agreement_id AS "agreementId", (met_at - first_unmet_at) / 1000 AS seconds
           FROM pr_agreements WHERE repo_id IN ${list} AND first_at >= ? AND first_at < ? AND met_at IS NOT NULL`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) => (data.unmetToMetSeconds[row.agreementId] ??= []).push(Math.max(0, Number(row.seconds))));
      }
      for (const data of out) for (const seconds of Object.values(data.unmetToMetSeconds)) seconds.sort((a, b) => a - b);
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; agreementId: string; number: number; by: string; reason: string; at: number }>(
        `SELECT w.repo_id AS "repoId", w.agreement_id AS "agreementId", p.number, w.by_login AS "by", w.reason, w.at
           FROM waivers w JOIN pull_requests p ON p.id = w.pr_id
          WHERE w.repo_id IN ${list} AND w.action = 'waive' AND w.at >= ? AND w.at < ? ORDER BY w.at, w.id`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) => data.waivers.push({ agreementId: row.agreementId, number: Number(row.number), by: row.by, reason: row.reason, at: iso(Number(row.at)) }));
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; team: string; name: string }>(`SELECT repo_id AS "repoId", team, name FROM repo_teams WHERE repo_id IN ${list}`, known)) {
        each(row.repoId, (data) => (data.teamNames[row.team] = row.name));
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; team: string; crossTeam: number; seconds: number }>(
        `SELECT repo_id AS "repoId", team, cross_team AS "crossTeam", (first_review_at - start_at) / 1000 AS seconds
           FROM pr_teams WHERE repo_id IN ${list} AND start_at >= ? AND start_at < ? AND first_review_at IS NOT NULL
          ORDER BY start_at, team, cross_team, first_review_at`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) => data.teamReviews.push({ team: row.team, crossTeam: Number(row.crossTeam) === 1, seconds: Math.max(0, Number(row.seconds)) }));
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; team: string; crossTeam: number; startAt: number; number: number; closedAt: number | null }>(
        `SELECT t.repo_id AS "repoId", t.team, t.cross_team AS "crossTeam", t.start_at AS "startAt", p.number, p.closed_at AS "closedAt"
           FROM pr_teams t JOIN pull_requests p ON p.id = t.pr_id
          WHERE t.repo_id IN ${list} AND t.start_at >= ? AND t.start_at < ? AND t.first_review_at IS NULL
          ORDER BY t.start_at, p.number, t.team`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) =>
          data.teamOpen.push({ team: row.team, crossTeam: Number(row.crossTeam) === 1, number: Number(row.number), startedAt: iso(Number(row.startAt)), closed: row.closedAt !== null && Number(row.closedAt) <= until }),
        );
      }
      })(),
      (async () => {
      for (const row of await db.all<{ repoId: number; team: string; agreements: string; n: number }>(
        `SELECT repo_id AS "repoId", team, agreements, COUNT(*) AS n FROM pr_teams WHERE repo_id IN ${list} AND start_at >= ? AND start_at < ?
          GROUP BY repo_id, team, agreements ORDER BY team, agreements`,
        [...known, since, until],
      )) {
        each(row.repoId, (data) => data.teamNeeds.push({ team: row.team, agreements: splitList(row.agreements), pullRequests: Number(row.n) }));
      }
      })(),
      (async () => {
      // Paths: whole days from the daily sums, the partial days at either end from the rows.
      const pathSums = new Map<number, Map<string, [number, number]>>();
      const addPath = (repoId: number, dir: string, prs: number, unmet: number) => {
        const sums = pathSums.get(Number(repoId)) ?? new Map<string, [number, number]>();
        pathSums.set(Number(repoId), sums);
        const sum = sums.get(dir) ?? [0, 0];
        sum[0] += Number(prs);
        sum[1] += Number(unmet);
        sums.set(dir, sum);
      };
      if (days) {
        for (const row of await db.all<{ repoId: number; dir: string; prs: number; unmet: number }>(
          `SELECT repo_id AS "repoId", dir, SUM(pull_requests) AS prs, SUM(unmet_prs) AS unmet FROM path_days WHERE repo_id IN ${list} AND day >= ? AND day < ? GROUP BY repo_id, dir`,
          [...known, days[0], days[1]],
        )) {
          addPath(row.repoId, row.dir, row.prs, row.unmet);
        }
      }
      for (const [from, to] of edges) {
        for (const row of await db.all<{ repoId: number; dir: string; prs: number; unmet: number }>(
          `SELECT repo_id AS "repoId", dir, COUNT(*) AS prs, SUM(unmet) AS unmet FROM pr_paths WHERE repo_id IN ${list} AND first_at >= ? AND first_at < ? GROUP BY repo_id, dir`,
          [...known, from, to],
        )) {
          addPath(row.repoId, row.dir, row.prs, row.unmet);
        }
      }
      for (const [repoId, sums] of pathSums) {
        const paths: PathAggregate[] = [...sums]
          .filter(([, [prs]]) => prs > 0)
          .map(([path, [pullRequests, unmetPullRequests]]) => ({ path, pullRequests, unmetPullRequests }))
          .sort((a, b) => b.unmetPullRequests - a.unmetPullRequests || b.pullRequests - a.pullRequests || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
          .slice(0, 20);
        each(repoId, (data) => (data.paths = paths));
      }
      })(),
    ]);
    // Agreements not unmet for 90 days: how many PRs they applied to meanwhile.
    const ninetyDaysAgo = until - 90 * DAY;
    const quiet = info.filter((row) => row.lastUnmetAt === null || Number(row.lastUnmetAt) < ninetyDaysAgo);
    if (quiet.length > 0) {
      const applied = await this.appliedCounts([...new Set(quiet.map((row) => Number(row.repoId)))], [...new Set(quiet.map((row) => row.agreementId))], ninetyDaysAgo, until);
      for (const row of quiet) each(row.repoId, (data) => (data.inScopeLast90Days[row.agreementId] = applied.get(`${Number(row.repoId)}\0${row.agreementId}`) ?? 0));
    }
    return out;
  }

  /** Per agreement over [since, until): whole UTC days from the daily sums, the partial days at either end from the per-PR rows. */
  /** Pull requests each of some agreements first applied to in [since, until), by `repoId\0agreementId`: one column of `aggregates`. */
  private async appliedCounts(repoIds: readonly number[], agreementIds: readonly string[], since: number, until: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const add = (repoId: unknown, id: unknown, n: unknown) => {
      const key = `${Number(repoId)}\0${String(id)}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(n ?? 0));
    };
    const repos = `(${repoIds.map(() => "?").join(",")})`;
    const ids = `(${agreementIds.map(() => "?").join(",")})`;
    const { days, edges } = splitWindow(since, until);
    if (days) {
      for (const row of await this.db.all<{ repoId: number; id: string; n: number }>(
        `SELECT repo_id AS "repoId", agreement_id AS id, SUM(pull_requests) AS n FROM agreement_days
          WHERE repo_id IN ${repos} AND agreement_id IN ${ids} AND day >= ? AND day < ? GROUP BY repo_id, agreement_id`,
        [...repoIds, ...agreementIds, days[0], days[1]],
      )) {
        add(row.repoId, row.id, row.n);
      }
    }
    for (const [from, to] of edges) {
      for (const row of await this.db.all<{ repoId: number; id: string; n: number }>(
        `SELECT repo_id AS "repoId", agreement_id AS id, COUNT(*) AS n FROM pr_agreements
          WHERE repo_id IN ${repos} AND agreement_id IN ${ids} AND first_at >= ? AND first_at < ? GROUP BY repo_id, agreement_id`,
        [...repoIds, ...agreementIds, from, to],
      )) {
        add(row.repoId, row.id, row.n);
      }
    }
    return counts;
  }

  /** Per repository (by row id): each agreement's figures over [since, until), whole days from the daily sums, the ends from rows. */
  private async aggregates(repoIds: readonly number[], since: number, until: number): Promise<Map<number, AgreementAggregate[]>> {
    const sums = new Map<number, Map<string, number[]>>();
    const add = (repoId: number, id: string, values: readonly (number | string | null)[]) => {
      const mine = sums.get(Number(repoId)) ?? new Map<string, number[]>();
      sums.set(Number(repoId), mine);
      const sum = mine.get(id) ?? AGGREGATE_FIELDS.map(() => 0);
      values.forEach((value, i) => (sum[i]! += Number(value ?? 0)));
      mine.set(id, sum);
    };
    const list = `(${repoIds.map(() => "?").join(",")})`;
    const { days, edges } = splitWindow(since, until);
    if (days) {
      const rows = await this.db.all<Record<string, number | string>>(
        `SELECT repo_id AS "repoId", agreement_id AS id, ${AGREEMENT_DAY_COUNTERS.map((c) => `SUM(${c}) AS ${c}`).join(", ")}
           FROM agreement_days WHERE repo_id IN ${list} AND day >= ? AND day < ? GROUP BY repo_id, agreement_id`,
        [...repoIds, days[0], days[1]],
      );
      for (const row of rows) add(Number(row.repoId), String(row.id), AGREEMENT_DAY_COUNTERS.map((c) => row[c] as number));
    }
    for (const [from, to] of edges) {
      const rows = await this.db.all<Record<string, number | string>>(
        `SELECT repo_id AS "repoId", agreement_id AS id, COUNT(*) AS c0, SUM(evaluations) AS c1, SUM(unmet_evaluations) AS c2,
                SUM(CASE WHEN first_unmet_at IS NULL THEN 0 ELSE 1 END) AS c3, SUM(waived) AS c4, SUM(failed) AS c5, SUM(held) AS c6,
                SUM(CASE WHEN mode = 't' AND severity = 'r' THEN failed ELSE 0 END) AS c7,
                SUM(CASE WHEN mode = 't' AND severity = 'r' AND failed = 0 THEN held ELSE 0 END) AS c8,
                SUM(CASE WHEN met_at IS NULL THEN 0 ELSE 1 END) AS c9
           FROM pr_agreements WHERE repo_id IN ${list} AND first_at >= ? AND first_at < ? GROUP BY repo_id, agreement_id`,
        [...repoIds, from, to],
      );
      for (const row of rows) add(Number(row.repoId), String(row.id), AGREEMENT_DAY_COUNTERS.map((_, i) => row[`c${i}`] as number));
    }
    const out = new Map<number, AgreementAggregate[]>();
    for (const repoId of repoIds) {
      out.set(
        repoId,
        [...(sums.get(repoId) ?? new Map<string, number[]>())]
          .filter(([, sum]) => sum[0]! > 0)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([agreementId, sum]) => {
            const aggregate = { agreementId } as AgreementAggregate;
            AGGREGATE_FIELDS.forEach((field, i) => ((aggregate as unknown as Record<string, number>)[field] = sum[i]!));
            return aggregate;
          }),
      );
    }
    return out;
  }


  // -------------------------------------------------------------------------------------------
  // Bulk

  /**
   * Loads generated or imported history into an empty store in one transaction, folding the
   * roll-ups in memory with the same code the live path uses (benchmarks, back-fills).
   */
  async importHistory(fill: (loader: HistoryLoader) => Promise<unknown>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const existing = await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pull_requests");
      if (Number(existing?.n ?? 0) > 0) throw new Error("importHistory needs an empty store");
      const loader = new HistoryLoader(tx, this.db.maxParams, this.now);
      await fill(loader);
      await loader.finish();
      if (this.db.dialect === "postgres") {
        await tx.run("SELECT setval(pg_get_serial_sequence('pull_requests', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM pull_requests), false)");
      }
    });
    this.repoIds.clear();
    this.agreementSets.clear();
    // Fresh statistics for the query planner after a large load (on PostgreSQL also the visibility
    // map, so the covering indexes are read without visiting the table).
    await this.db.run(this.db.dialect === "postgres" ? "VACUUM ANALYZE" : "ANALYZE");
  }

  /** Runs `fn` first when the store closes (the job queue stops before its database does). */
  beforeClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.closers.splice(0).reverse()) await fn().catch(() => undefined);
    await this.db.close();
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /** The id of a list of agreement ids, created outside any transaction (so a cached id always exists). */
  private async agreementSet(repoId: number, ids: readonly string[]): Promise<number> {
    const key = `${repoId}\n${ids.join("\n")}`;
    const known = this.agreementSets.get(key);
    if (known !== undefined) return known;
    const text = JSON.stringify(ids);
    await this.db.run("INSERT INTO agreement_sets (repo_id, ids) VALUES (?, ?) ON CONFLICT (repo_id, ids) DO NOTHING", [repoId, text]);
    const row = await this.db.get<{ id: number }>("SELECT id FROM agreement_sets WHERE repo_id = ? AND ids = ?", [repoId, text]);
    const id = Number(row!.id);
    if (this.agreementSets.size > 1000) this.agreementSets.clear();
    this.agreementSets.set(key, id);
    return id;
  }

  private async repoId(name: string): Promise<number> {
    const key = name.toLowerCase();
    const known = this.repoIds.get(key);
    if (known !== undefined) return known;
    const byName = () => this.db.get<{ id: number }>("SELECT id FROM repos WHERE lower(name) = lower(?) ORDER BY id LIMIT 1", [name]);
    let row = await byName();
    if (!row) {
      await this.db.run("INSERT INTO repos (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [name]);
      row = await byName();
    }
    const id = Number(row!.id);
    if (this.repoIds.size > 10_000) this.repoIds.clear();
    this.repoIds.set(key, id);
    return id;
  }

  async identifyRepository(githubId: number, name: string): Promise<void> {
    if (this.identified.get(githubId) === name) return;
    await this.db.transaction(async (tx) => {
      const known = await tx.get<{ id: number; name: string }>("SELECT id, name FROM repos WHERE github_id = ?", [githubId]);
      // GitHub names are unique at any moment: a row still holding this name belongs to a repository renamed since.
      const stale = await tx.all<{ id: number; name: string; githubId: number | null }>(
        `SELECT id, name, github_id AS "githubId" FROM repos WHERE lower(name) = lower(?) ORDER BY id`,
        [name],
      );
      const adopt = known ? undefined : stale.find((row) => row.githubId === null);
      for (const row of stale) {
        if (Number(row.githubId) === githubId || Number(row.id) === Number(adopt?.id)) continue;
        // Rows without an id are this repository's own history from before ids were kept: they stay
        // readable by name, unless the exact name must go to the row that carries the id.
        if (row.githubId === null && !(known && row.name === name)) continue;
        await tx.run("UPDATE repos SET name = ? WHERE id = ?", [`${name} (${row.githubId === null ? "before ids were kept" : `renamed since; GitHub id ${row.githubId}`}) #${row.id}`, row.id]);
      }
      if (known) await tx.run("UPDATE repos SET name = ? WHERE id = ?", [name, known.id]);
      else if (adopt) await tx.run("UPDATE repos SET name = ?, github_id = ? WHERE id = ?", [name, githubId, adopt.id]);
      else await tx.run("INSERT INTO repos (name, github_id) VALUES (?, ?) ON CONFLICT DO NOTHING", [name, githubId]);
    });
    this.repoIds.clear();
    if (this.identified.size > 10_000) this.identified.clear();
    this.identified.set(githubId, name);
  }

  async pullRequestForHead(repo: string, headSha: string): Promise<number | undefined> {
    const row = await this.db.get<{ number: number }>(
      `SELECT p.number FROM evaluations e JOIN pull_requests p ON p.id = e.pr_id
        WHERE e.repo_id IN (SELECT id FROM repos WHERE lower(name) = lower(?)) AND e.head_sha = ?
        ORDER BY e.at DESC LIMIT 1`,
      [repo, headSha],
    );
    return row ? Number(row.number) : undefined;
  }

  /**
   * Runs `work` in a transaction holding the PR's row (created when new): on PostgreSQL the
   * upsert locks the row until commit, on SQLite the transaction is IMMEDIATE. Returns false
   * when `work` finds the event already recorded.
   */
  private async recordOnce(repo: string, number: number, work: (tx: Sql, pr: PrRecord, repoId: number) => Promise<void>): Promise<boolean> {
    const repoId = await this.repoId(repo);
    try {
      await this.db.transaction(async (tx) => {
        const row = await tx.get<Parameters<typeof prRecordFrom>[0]>(
          `INSERT INTO pull_requests (repo_id, number) VALUES (?, ?)
           ON CONFLICT (repo_id, number) DO UPDATE SET number = excluded.number RETURNING ${PR_RECORD_COLUMNS}`,
          [repoId, number],
        );
        await work(tx, prRecordFrom(row!), repoId);
      });
      return true;
    } catch (error) {
      if (error === ALREADY_RECORDED) return false;
      throw error;
    }
  }

  private async loadState(tx: Sql, pr: PrRecord, parts: { agreements: boolean; paths: boolean }): Promise<PrState> {
    const state = emptyPrState();
    state.authorTeams = pr.authorTeams;
    state.firstEvalAt = pr.firstEvalAt;
    state.lastEvalAt = pr.lastEvalAt;
    state.evaluations = pr.evaluations;
    await loadRollups(tx, pr.id, state, parts);
    return state;
  }

  private async writeChanges(tx: Sql, repoId: number, pr: PrRecord, state: PrState, changes: Changes, days?: DaySink): Promise<void> {
    if (days) await writeDays(tx, this.db.maxParams, repoId, days);
    const sink: RowSink = { agreements: [], teams: [], paths: [] };
    collectRows(sink, repoId, pr.id, changes);
    await writeRollups(tx, this.db.maxParams, sink);
    await writeStats(tx, this.db.maxParams, repoId, changes.stats);
    await writeTeamNames(tx, this.db.maxParams, repoId, changes.teamNames);
    if (changes.pullRequest) {
      pr.authorTeams = state.authorTeams;
      pr.firstEvalAt = state.firstEvalAt;
      pr.lastEvalAt = state.lastEvalAt;
      pr.evaluations = state.evaluations;
      await updatePr(tx, pr);
    }
  }

  private async teamsFromFacts(tx: Sql, prId: number, login: string): Promise<string[]> {
    const row = await tx.get<{ facts: Uint8Array | null }>("SELECT facts FROM pull_requests WHERE id = ?", [prId]);
    if (!row?.facts) return [];
    return teamsOf(login, decodeFacts(row.facts).teamMembers);
  }

  private async upsertVersion(tx: Sql, repoId: number, baseSha: string, text: string, at: number): Promise<number> {
    const row = await tx.get<{ id: number }>(
      `INSERT INTO agreement_versions (repo_id, hash, text, first_base_sha, first_seen_at, last_base_sha, last_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo_id, hash) DO UPDATE SET
         first_base_sha = CASE WHEN excluded.first_seen_at < agreement_versions.first_seen_at THEN excluded.first_base_sha ELSE agreement_versions.first_base_sha END,
         first_seen_at = CASE WHEN excluded.first_seen_at < agreement_versions.first_seen_at THEN excluded.first_seen_at ELSE agreement_versions.first_seen_at END,
         last_base_sha = CASE WHEN excluded.last_seen_at >= agreement_versions.last_seen_at THEN excluded.last_base_sha ELSE agreement_versions.last_base_sha END,
         last_seen_at = CASE WHEN excluded.last_seen_at >= agreement_versions.last_seen_at THEN excluded.last_seen_at ELSE agreement_versions.last_seen_at END
       RETURNING id`,
      [repoId, sha256(text), text, baseSha, at, baseSha, at],
    );
    return Number(row!.id);
  }
}
