/**
 * The job queue inside the SQLite file of the friction record, for the single-instance default:
 * nothing to install, and a job is committed in the same file as the delivery it came from.
 * Taking a job locks it for this process; on start, locks left by a process that died are
 * released (one instance per SQLite file, as the README says), so its jobs run again.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "../store/db.js";
import { acceptDelivery, acceptedAmong, countDead, deadDeliveries, describeFailure, failDelivery, finishDelivery } from "./deliveries.js";
import { DEFAULT_MAX_ATTEMPTS, defaultBackoffMs, type DeadDelivery, type EnqueueResult, type JobQueue, type JobRunner, type QueueHealth, type QueueOptions, type QueuedDelivery } from "./types.js";

interface JobRow {
  id: number;
  deliveryId: string;
  payload: string;
  attempts: number;
  maxAttempts: number;
}

/** A job taken is this process's for this long; a process that hangs longer loses it. */
const LOCK_MS = 10 * 60_000;

export class SqliteQueue implements JobQueue {
  readonly kind = "sqlite" as const;
  private readonly instance = randomUUID();
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempts: number) => number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private runner: JobRunner | undefined;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: QueueOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;
    this.pollMs = options.pollMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  async enqueue(delivery: QueuedDelivery): Promise<EnqueueResult> {
    const now = this.now();
    const result = await this.db.transaction(async (tx) => {
      const accepted = await acceptDelivery(tx, delivery, now);
      if (accepted === "duplicate") return accepted;
      await tx.run(
        `INSERT INTO queue_jobs (delivery_id, group_key, payload, run_at, attempts, max_attempts, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)
         ON CONFLICT (delivery_id) DO UPDATE SET run_at = excluded.run_at, attempts = 0, locked_by = NULL, locked_until = NULL, last_error = NULL`,
        [delivery.id, delivery.group, JSON.stringify(delivery), now, this.maxAttempts, now],
      );
      return accepted;
    });
    if (result !== "duplicate") this.pump();
    return result;
  }

  async start(runner: JobRunner): Promise<void> {
    this.runner = runner;
    this.stopped = false;
    // One instance per SQLite file: a lock still held at start was held by a process that died.
    await this.db.run("UPDATE queue_jobs SET locked_by = NULL, locked_until = NULL WHERE locked_by IS NOT NULL");
    this.timer = setInterval(() => this.pump(), this.pollMs);
    this.timer.unref();
    this.pump();
  }

  async stop(graceMs = 30_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.race([Promise.allSettled([...this.running]), sleep(graceMs)]);
  }

  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      if (this.running.size === 0 && !this.pumping) {
        const due = await this.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM queue_jobs WHERE run_at <= ?", [this.now()]);
        if (Number(due?.n ?? 0) === 0 || this.stopped || !this.runner) return;
        this.pump();
      }
      if (this.now() > deadline) throw new Error("the queue did not drain in time");
      await sleep(5);
    }
  }

  async health(): Promise<QueueHealth> {
    const now = this.now();
    const row = await this.db.get<{ waiting: number; running: number; retrying: number; oldest: number | null }>(
      `SELECT SUM(CASE WHEN locked_by IS NULL AND run_at <= ? THEN 1 ELSE 0 END) AS waiting,
              SUM(CASE WHEN locked_by IS NOT NULL THEN 1 ELSE 0 END) AS running,
              SUM(CASE WHEN locked_by IS NULL AND run_at > ? THEN 1 ELSE 0 END) AS retrying,
              MIN(CASE WHEN locked_by IS NULL AND run_at <= ? THEN run_at END) AS oldest
         FROM queue_jobs`,
      [now, now, now],
    );
    return {
      waiting: Number(row?.waiting ?? 0),
      running: Number(row?.running ?? 0),
      retrying: Number(row?.retrying ?? 0),
      dead: await countDead(this.db),
      oldestWaitingMs: row?.oldest === null || row?.oldest === undefined ? null : now - Number(row.oldest),
    };
  }

  dead(limit = 50): Promise<DeadDelivery[]> {
    return deadDeliveries(this.db, limit);
  }

  accepted(ids: readonly string[]): Promise<Set<string>> {
    return acceptedAmong(this.db, ids);
  }

  /** Starts due jobs while there is room; one pump at a time, and once more if asked meanwhile. */
  private pump(): void {
    if (!this.runner || this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.pumpAgain = false;
          while (!this.stopped && this.running.size < this.concurrency) {
            const job = await this.take();
            if (!job) break;
            const run = this.execute(job).finally(() => {
              this.running.delete(run);
              this.pump();
            });
            this.running.add(run);
          }
        } while (this.pumpAgain && !this.stopped);
      } catch (error) {
        this.options.log?.error({ err: error }, "the job queue could not take a job; trying again shortly");
      } finally {
        this.pumping = false;
      }
    })();
  }

  /** The oldest due job whose pull request has no job running, locked for this process. */
  private take(): Promise<JobRow | undefined> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const job = await tx.get<JobRow>(
        `SELECT j.id, j.delivery_id AS "deliveryId", j.payload, j.attempts, j.max_attempts AS "maxAttempts" FROM queue_jobs j
          WHERE j.locked_by IS NULL AND j.run_at <= ?
            AND NOT EXISTS (SELECT 1 FROM queue_jobs k WHERE k.group_key = j.group_key AND k.locked_by IS NOT NULL AND k.locked_until > ?)
          ORDER BY j.run_at, j.id LIMIT 1`,
        [now, now],
      );
      if (!job) return undefined;
      await tx.run("UPDATE queue_jobs SET locked_by = ?, locked_until = ?, attempts = attempts + 1 WHERE id = ?", [this.instance, now + LOCK_MS, job.id]);
      return { ...job, attempts: Number(job.attempts) + 1, maxAttempts: Number(job.maxAttempts) };
    });
  }

  private async execute(job: JobRow): Promise<void> {
    const delivery = JSON.parse(job.payload) as QueuedDelivery;
    const final = job.attempts >= job.maxAttempts;
    try {
      await this.runner!(delivery, { number: job.attempts, final });
      await this.db.transaction(async (tx) => {
        await tx.run("DELETE FROM queue_jobs WHERE id = ?", [job.id]);
        await finishDelivery(tx, delivery.id, job.attempts, this.now());
      });
    } catch (error) {
      const reason = describeFailure(error);
      await this.db.transaction(async (tx) => {
        if (final) await tx.run("DELETE FROM queue_jobs WHERE id = ?", [job.id]);
        else await tx.run("UPDATE queue_jobs SET locked_by = NULL, locked_until = NULL, last_error = ?, run_at = ? WHERE id = ?", [reason, this.now() + this.backoffMs(job.attempts), job.id]);
        await failDelivery(tx, delivery.id, job.attempts, reason, final, this.now());
      });
      this.options.log?.[final ? "error" : "warn"]({ delivery: delivery.id, attempt: job.attempts, err: error }, final ? "job failed for good; its delivery is dead" : "job failed; it will be tried again");
    }
  }
}
