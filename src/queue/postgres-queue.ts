/**
 * The job queue on PostgreSQL, for several instances: graphile-worker (chosen over pg-boss,
 * whose versions that run on Node 20 poll for jobs, and over a queue of our own) takes jobs as
 * soon as they are added (LISTEN/NOTIFY), runs the jobs of one named queue — one pull request —
 * one at a time across every instance, retries with exponential backoff and keeps a job that
 * failed for good with its last error. Its `add_job` runs inside our own transaction, so a
 * delivery is recorded and queued together or not at all.
 *
 * graphile-worker frees the jobs of a worker that died only after four hours; so every instance
 * writes a heartbeat for its workers, and any instance unlocks the jobs of workers whose
 * heartbeat stopped (`forceUnlockWorkers`): after a SIGKILL, another instance — or the restarted
 * one — takes them within a minute.
 */
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Logger, makeWorkerUtils, run, type Runner, type Task, type WorkerEvents, type WorkerUtils } from "graphile-worker";
import type { Db } from "../store/db.js";
import { acceptDelivery, acceptedAmong, countDead, deadDeliveries, describeFailure, failDelivery, finishDelivery } from "./deliveries.js";
import { DEFAULT_MAX_ATTEMPTS, type DeadDelivery, type EnqueueResult, type JobQueue, type JobRunner, type QueueHealth, type QueueOptions, type QueuedDelivery } from "./types.js";

const TASK = "accord";
/** A worker silent this long is taken for dead and its jobs are given to others (heartbeats come four times as often). */
export const WORKER_TIMEOUT_MS = 45_000;

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class PostgresQueue implements JobQueue {
  readonly kind = "postgres" as const;
  private readonly instance = randomUUID();
  private readonly workerSchema: string;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private utils: Promise<WorkerUtils> | undefined;
  private runner: Runner | undefined;
  private readonly workers = new Set<string>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: QueueOptions = {},
  ) {
    if (!db.postgres) throw new Error("PostgresQueue needs a PostgreSQL store");
    // Beside the store's schema when it has one (tests give each run its own).
    this.workerSchema = db.postgres.schema ? `${db.postgres.schema}_worker` : "graphile_worker";
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.now = options.now ?? Date.now;
  }

  private logger(): Logger {
    const log = this.options.log;
    return new Logger(() => (level, message, meta) => {
      if (level === "error") log?.error({ ...meta }, `job queue: ${message}`);
      else if (level === "warning") log?.warn({ ...meta }, `job queue: ${message}`);
    });
  }

  /** graphile-worker's schema, migrated once (safe when several instances start at once). */
  private prepared(): Promise<WorkerUtils> {
    this.utils ??= (async () => {
      // graphile-worker's first migration (which makeWorkerUtils runs) creates its schema without a
      // lock: instances starting together on a fresh database would collide, so they take turns.
      const client = await this.db.postgres!.pool.connect();
      const key = `accord-queue-migrate:${this.workerSchema}`;
      try {
        await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
        const utils = await makeWorkerUtils({ pgPool: this.db.postgres!.pool, schema: this.workerSchema, logger: this.logger() });
        await utils.migrate();
        return utils;
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]).catch(() => undefined);
        client.release();
      }
    })();
    this.utils.catch(() => (this.utils = undefined));
    return this.utils;
  }

  async enqueue(delivery: QueuedDelivery): Promise<EnqueueResult> {
    await this.prepared();
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const accepted = await acceptDelivery(tx, delivery, now);
      if (accepted === "duplicate") return accepted;
      await tx.get(
        `SELECT id FROM ${quoteIdent(this.workerSchema)}.add_job(?::text, ?::json, queue_name => ?::text, max_attempts => ?::smallint, job_key => ?::text, job_key_mode => 'replace')`,
        [TASK, JSON.stringify(delivery), delivery.group, this.maxAttempts, delivery.id],
      );
      return accepted;
    });
  }

  async start(runJob: JobRunner): Promise<void> {
    const utils = await this.prepared();
    const task: Task = async (payload, helpers) => {
      const delivery = payload as QueuedDelivery;
      const attempt = { number: helpers.job.attempts, final: helpers.job.attempts >= helpers.job.max_attempts };
      try {
        await runJob(delivery, attempt);
        await finishDelivery(this.db, delivery.id, attempt.number, this.now());
      } catch (error) {
        await failDelivery(this.db, delivery.id, attempt.number, describeFailure(error), attempt.final, this.now()).catch(() => undefined);
        this.options.log?.[attempt.final ? "error" : "warn"]({ delivery: delivery.id, attempt: attempt.number, err: error }, attempt.final ? "job failed for good; its delivery is dead" : "job failed; it will be tried again");
        throw error;
      }
    };
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    events.on("worker:create", ({ worker }) => {
      this.workers.add(worker.workerId);
      void this.heartbeat();
    });
    events.on("worker:release", ({ worker }) => this.workers.delete(worker.workerId));
    await this.unlockSilentWorkers(utils);
    this.runner = await run({
      pgPool: this.db.postgres!.pool,
      schema: this.workerSchema,
      concurrency: this.options.concurrency ?? 16,
      pollInterval: this.options.pollMs ?? 2_000,
      noHandleSignals: true,
      taskList: { [TASK]: task },
      events,
      logger: this.logger(),
    });
    const timeout = this.options.workerTimeoutMs ?? WORKER_TIMEOUT_MS;
    this.timers = [setInterval(() => void this.heartbeat(), timeout / 4), setInterval(() => void this.unlockSilentWorkers(utils), timeout / 3)];
    for (const timer of this.timers) timer.unref();
  }

  private async heartbeat(): Promise<void> {
    const now = this.now();
    for (const id of this.workers) {
      await this.db
        .run("INSERT INTO queue_workers (worker_id, instance, heartbeat_at) VALUES (?, ?, ?) ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at", [id, this.instance, now])
        .catch((error: unknown) => this.options.log?.warn({ err: error }, "job queue heartbeat not written"));
    }
  }

  /** Gives the jobs of workers whose heartbeat stopped (their process died) back to the queue. */
  private async unlockSilentWorkers(utils: WorkerUtils): Promise<void> {
    try {
      const silent = await this.db.all<{ id: string }>("SELECT worker_id AS id FROM queue_workers WHERE heartbeat_at < ?", [this.now() - (this.options.workerTimeoutMs ?? WORKER_TIMEOUT_MS)]);
      const ids = silent.map((row) => row.id).filter((id) => !this.workers.has(id));
      if (ids.length === 0) return;
      await utils.forceUnlockWorkers(ids);
      for (const id of ids) await this.db.run("DELETE FROM queue_workers WHERE worker_id = ?", [id]);
      this.options.log?.info({ workers: ids.length }, "jobs of stopped workers given back to the queue");
    } catch (error) {
      this.options.log?.warn({ err: error }, "could not check for stopped queue workers");
    }
  }

  async stop(graceMs = 30_000): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    const runner = this.runner;
    this.runner = undefined;
    if (runner) {
      const stopped = await Promise.race([runner.stop().then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) this.options.log?.warn({ graceMs }, "jobs still running at shutdown are left to be taken again");
    }
    if (this.workers.size > 0) {
      await this.db.run(`DELETE FROM queue_workers WHERE instance = ?`, [this.instance]).catch(() => undefined);
      this.workers.clear();
    }
    const utils = this.utils;
    this.utils = undefined;
    if (utils) await Promise.resolve((await utils).release()).catch(() => undefined);
  }

  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    await this.prepared();
    for (;;) {
      // Running jobs count too: a job taken for its last attempt already has attempts = max_attempts.
      const row = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(this.workerSchema)}.jobs WHERE locked_at IS NOT NULL OR (run_at <= now() AND attempts < max_attempts)`);
      if (Number(row?.n ?? 0) === 0) return;
      if (this.now() > deadline) throw new Error("the queue did not drain in time");
      await sleep(20);
    }
  }

  async health(): Promise<QueueHealth> {
    await this.prepared();
    const row = await this.db.get<{ waiting: number; running: number; retrying: number; oldest: number | null }>(
      `SELECT COUNT(*) FILTER (WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts) AS waiting,
              COUNT(*) FILTER (WHERE locked_at IS NOT NULL) AS running,
              COUNT(*) FILTER (WHERE locked_at IS NULL AND run_at > now() AND attempts < max_attempts) AS retrying,
              EXTRACT(EPOCH FROM now() - MIN(run_at) FILTER (WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts)) * 1000 AS oldest
         FROM ${quoteIdent(this.workerSchema)}.jobs`,
    );
    return {
      waiting: Number(row?.waiting ?? 0),
      running: Number(row?.running ?? 0),
      retrying: Number(row?.retrying ?? 0),
      dead: await countDead(this.db),
      oldestWaitingMs: row?.oldest === null || row?.oldest === undefined ? null : Math.round(Number(row.oldest)),
    };
  }

  dead(limit = 50): Promise<DeadDelivery[]> {
    return deadDeliveries(this.db, limit);
  }

  accepted(ids: readonly string[]): Promise<Set<string>> {
    return acceptedAmong(this.db, ids);
  }
}
