/**
 * Missed deliveries come back by themselves (SPEC §5). GitHub never redelivers a failed webhook
 * on its own; it keeps each delivery's attempts for three days. On start and every few minutes,
 * Accord reads the app's delivery log back to where the last scan stopped, groups attempts by
 * `guid` (the `X-GitHub-Delivery` every attempt shares), and asks GitHub to send again each
 * delivery none of whose attempts succeeded and that Accord never accepted — a bounded number
 * per scan. After an outage longer than GitHub keeps deliveries, a bounded sweep re-checks open
 * pull requests whose head commit has no Accord check run.
 *
 * Cost: one request per 100 deliveries read (one per scan when little happened: 12 an hour at
 * the default 5-minute interval), one per redelivery, all on the app's own (JWT) rate limit;
 * the sweep, only after a long outage, one request per 100 installations and per 100
 * repositories, and one query per repository.
 */
import type { Probot } from "probot";
import type { JobQueue } from "../queue/types.js";
import type { SqlStore } from "../store/store.js";
import type { GitHub } from "./client.js";
import { HANDLED_EVENT_NAMES, jobKey, type Job } from "./events.js";

export interface RecoveryOptions {
  /** Between scans (default 5 minutes). */
  intervalMs?: number;
  /** First scan after start (default 5 s: let the server settle). */
  firstScanMs?: number;
  /** GitHub keeps deliveries this long (3 days on github.com, 7 on GitHub Enterprise Server). */
  retentionMs?: number;
  /** Pages of 100 deliveries read per scan at most (default 10). */
  maxPages?: number;
  /** Redeliveries asked for per scan at most (default 50). */
  maxRedeliveries?: number;
  /** A delivery is asked for again at most this often (default 3 times, 10 minutes apart). */
  maxRequestsPerDelivery?: number;
  retryRequestAfterMs?: number;
  /** The sweep's bounds: repositories and pull requests looked at. */
  sweepRepositories?: number;
  sweepPullRequests?: number;
  now?: () => number;
  onRedelivery?: () => void;
}

interface DeliveryAttempt {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
}

export interface ScanResult {
  read: number;
  failed: number;
  redelivered: number;
  swept?: number;
}

const DAY = 24 * 3_600_000;
const STATE_NEWEST = "deliveries.newest";
const STATE_SCANNED = "deliveries.scanned_at";

export class DeliveryRecovery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ScanResult | undefined> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly app: Probot,
    private readonly store: SqlStore,
    private readonly queue: JobQueue,
    private readonly appId: number,
    private readonly options: RecoveryOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const tick = () => void this.scan().catch((error: unknown) => this.app.log.warn({ err: error }, "missed-delivery recovery failed; it will try again"));
    this.timer = setTimeout(function again(this: DeliveryRecovery) {
      tick();
      this.timer = setTimeout(again.bind(this), this.options.intervalMs ?? 5 * 60_000);
      this.timer.unref();
    }.bind(this), this.options.firstScanMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One scan (one instance at a time across the deployment). */
  scan(): Promise<ScanResult | undefined> {
    this.running ??= this.store
      .withPullRequestLock("accord:recovery", 0, () => this.scanOnce())
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async state(key: string): Promise<number | undefined> {
    const row = await this.store.database.get<{ value: string }>("SELECT value FROM recovery_state WHERE key = ?", [key]);
    return row ? Number(row.value) : undefined;
  }

  private async setState(key: string, value: number): Promise<void> {
    await this.store.database.run("INSERT INTO recovery_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", [key, String(value), this.now()]);
  }

  private async scanOnce(): Promise<ScanResult> {
    const now = this.now();
    const retention = this.options.retentionMs ?? 3 * DAY;
    const lastScanned = await this.state(STATE_SCANNED);
    const newestSeen = await this.state(STATE_NEWEST);
    // Read back to the newest delivery the last scan saw, less a margin for attempts still in flight.
    const since = Math.max(now - retention, (newestSeen ?? 0) - 10 * 60_000);
    const github = (await this.app.auth()) as GitHub;
    const attempts: DeliveryAttempt[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (this.options.maxPages ?? 10); page++) {
      const response = await github.request("GET /app/hook/deliveries", { per_page: 100, ...(cursor ? { cursor } : {}) });
      const items = response.data as DeliveryAttempt[];
      attempts.push(...items.filter((item) => Date.parse(item.delivered_at) >= since));
      cursor = nextCursor(String(response.headers.link ?? ""));
      if (!cursor || items.length === 0 || Date.parse(items.at(-1)!.delivered_at) < since) break;
    }

    const byGuid = new Map<string, DeliveryAttempt[]>();
    for (const attempt of attempts) {
      if (!HANDLED_EVENT_NAMES.has(attempt.action ? `${attempt.event}.${attempt.action}` : attempt.event)) continue;
      const list = byGuid.get(attempt.guid);
      if (list) list.push(attempt);
      else byGuid.set(attempt.guid, [attempt]);
    }
    const failed = [...byGuid.entries()].filter(([, list]) => !list.some((attempt) => attempt.status_code >= 200 && attempt.status_code < 300));
    const accepted = await this.queue.accepted(failed.map(([guid]) => guid));
    let redelivered = 0;
    for (const [guid, list] of failed) {
      if (accepted.has(guid)) continue;
      if (redelivered >= (this.options.maxRedeliveries ?? 50)) break;
      const latest = list.reduce((a, b) => (Date.parse(a.delivered_at) >= Date.parse(b.delivered_at) ? a : b));
      if (!(await this.mayAskAgain(guid, Date.parse(latest.delivered_at), now))) continue;
      await github.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: latest.id });
      await this.store.database.run(
        "INSERT INTO redeliveries (guid, delivery_id, requested_at, requests) VALUES (?, ?, ?, 1) ON CONFLICT (guid) DO UPDATE SET delivery_id = excluded.delivery_id, requested_at = excluded.requested_at, requests = redeliveries.requests + 1",
        [guid, latest.id, now],
      );
      this.options.onRedelivery?.();
      redelivered += 1;
    }
    const newest = attempts.reduce((max, attempt) => Math.max(max, Date.parse(attempt.delivered_at)), newestSeen ?? 0);
    if (newest > 0) await this.setState(STATE_NEWEST, newest);
    await this.setState(STATE_SCANNED, now);
    const result: ScanResult = { read: attempts.length, failed: failed.length, redelivered };
    // Down for longer than GitHub keeps deliveries: some were lost for good; look at open PRs instead.
    if (lastScanned !== undefined && now - lastScanned > retention) result.swept = await this.sweep();
    if (redelivered > 0 || result.swept) this.app.log.info({ ...result }, "missed deliveries asked for again");
    await this.store.database.run("DELETE FROM redeliveries WHERE requested_at < ?", [now - retention]);
    return result;
  }

  /**
   * A delivery is asked for again a few times at most: at once when GitHub's attempt after the
   * last request failed too, else only after a while (the redelivery may still be on its way).
   */
  private async mayAskAgain(guid: string, latestAttemptAt: number, now: number): Promise<boolean> {
    const row = await this.store.database.get<{ requested_at: number; requests: number }>("SELECT requested_at, requests FROM redeliveries WHERE guid = ?", [guid]);
    if (!row) return true;
    if (Number(row.requests) >= (this.options.maxRequestsPerDelivery ?? 3)) return false;
    return latestAttemptAt > Number(row.requested_at) || now - Number(row.requested_at) >= (this.options.retryRequestAfterMs ?? 10 * 60_000);
  }

  /** Queues a re-check of open pull requests whose head commit has no check run from this app. */
  private async sweep(): Promise<number> {
    const appClient = (await this.app.auth()) as GitHub;
    const maxRepositories = this.options.sweepRepositories ?? 200;
    const maxPullRequests = this.options.sweepPullRequests ?? 500;
    let repositories = 0;
    let queued = 0;
    const installations = (await appClient.request("GET /app/installations", { per_page: 100 })).data as { id: number }[];
    for (const installation of installations) {
      if (repositories >= maxRepositories || queued >= maxPullRequests) break;
      const github = (await this.app.auth(installation.id)) as GitHub;
      const repos = ((await github.request("GET /installation/repositories", { per_page: 100 })).data as { repositories: { id: number; name: string; owner: { login: string } }[] }).repositories;
      for (const repo of repos) {
        if (repositories++ >= maxRepositories || queued >= maxPullRequests) break;
        const answer = await github.graphql<{ repository: { pullRequests: { nodes: { number: number; headRefOid: string; baseRefOid: string; commits: { nodes: { commit: { checkSuites: { totalCount: number } | null } }[] } }[] } } | null }>(
          SWEEP_QUERY,
          { owner: repo.owner.login, name: repo.name, appId: this.appId },
        );
        for (const pr of answer.repository?.pullRequests.nodes ?? []) {
          if ((pr.commits.nodes[0]?.commit.checkSuites?.totalCount ?? 0) > 0 || queued >= maxPullRequests) continue;
          const job: Job = { kind: "refresh", ref: { installationId: installation.id, owner: repo.owner.login, repo: repo.name, repoId: repo.id, number: pr.number, baseSha: pr.baseRefOid, headSha: pr.headRefOid } };
          const result = await this.queue.enqueue({ id: `sweep:${repo.id}:${pr.number}:${pr.headRefOid}`, event: "sweep", job, group: jobKey(job) });
          if (result !== "duplicate") queued += 1;
        }
      }
    }
    return queued;
  }
}

const SWEEP_QUERY = `query AccordSweep($owner: String!, $name: String!, $appId: Int!) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {
      nodes { number headRefOid baseRefOid commits(last: 1) { nodes { commit { checkSuites(first: 1, filterBy: { appId: $appId }) { totalCount } } } } }
    }
  }
}`;

/** The `cursor` of the `rel="next"` link, which the delivery log pages by. */
export function nextCursor(link: string): string | undefined {
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return new URL(match[1]!, "https://api.github.com").searchParams.get("cursor") ?? undefined;
  }
  return undefined;
}
