/**
 * The durable intake's queue (SPEC §5): a webhook is verified, written here and answered at
 * once; workers take jobs from here. A process that dies mid-job loses nothing: the job is taken
 * again after a restart or by another instance. One pull request's jobs run one at a time; one
 * delivery is accepted once; failed jobs retry with backoff and end dead, with the reason.
 */
import type { Job } from "../github/events.js";

export interface QueuedDelivery {
  /** `X-GitHub-Delivery`. */
  id: string;
  /** `pull_request.opened`, for people reading the queue. */
  event: string;
  job: Job;
  /** Jobs with the same group run one at a time (one pull request's). */
  group: string;
  /** When the webhook arrived (ms), for the delivery-to-done latency. */
  receivedAt?: number;
}

export interface Attempt {
  /** 1 for the first try. */
  number: number;
  /** No retry follows when this one fails. */
  final: boolean;
}

export type JobRunner = (delivery: QueuedDelivery, attempt: Attempt) => Promise<void>;

export type EnqueueResult =
  /** New: queued. */
  | "queued"
  /** Accepted before and not dead (queued, running or done): nothing to do. */
  | "duplicate"
  /** Accepted before, died; taken again (GitHub's "Redeliver", or Accord's recovery). */
  | "requeued";

export interface QueueHealth {
  /** Jobs due now and not taken. */
  waiting: number;
  running: number;
  /** Jobs that failed and wait for their next attempt. */
  retrying: number;
  /** Deliveries whose retries are spent. */
  dead: number;
  /** Age of the oldest job due and not taken, in ms; null when none waits. */
  oldestWaitingMs: number | null;
}

export interface DeadDelivery {
  id: string;
  event: string | null;
  attempts: number;
  error: string | null;
  at: string;
}

export interface QueueOptions {
  /** Jobs run at once by this instance (default 16: jobs mostly wait on GitHub). */
  concurrency?: number;
  /** Tries before a job is dead (default 8: about half an hour of backoff). */
  maxAttempts?: number;
  /** Wait before the attempt after `attempts` failures; default e^attempts seconds (graphile-worker's). */
  backoffMs?: (attempts: number) => number;
  /** How often to look for jobs that became due (retries), in ms. */
  pollMs?: number;
  /** PostgreSQL: a worker silent this long is taken for dead and its jobs go to others (default 45 s). */
  workerTimeoutMs?: number;
  now?: () => number;
  log?: { info(details: Record<string, unknown>, message: string): void; warn(details: Record<string, unknown>, message: string): void; error(details: Record<string, unknown>, message: string): void };
}

export interface JobQueue {
  readonly kind: "sqlite" | "postgres";
  enqueue(delivery: QueuedDelivery): Promise<EnqueueResult>;
  start(runner: JobRunner): Promise<void>;
  /** Stops taking jobs and waits up to `graceMs` for running ones; what is left is taken again later. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves once no job is due or running (tests and benchmarks). */
  drain(timeoutMs?: number): Promise<void>;
  health(): Promise<QueueHealth>;
  dead(limit?: number): Promise<DeadDelivery[]>;
  /** Which of these delivery ids were accepted (for recovery from GitHub's delivery log). */
  accepted(ids: readonly string[]): Promise<Set<string>>;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const defaultBackoffMs = (attempts: number) => Math.round(Math.exp(Math.min(attempts, 10)) * 1000);
