/**
 * `GET /metrics` in Prometheus text format (SPEC §5): deliveries taken in, jobs run, how long
 * jobs take, GitHub requests by kind and the rate limit GitHub says is left. One registry per
 * app, so tests and several apps in one process never mix their figures.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { JobQueue } from "../queue/types.js";

export class Metrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter({ name: "accord_deliveries_total", help: "Webhook deliveries received, by event and what intake did with them", labelNames: ["event", "result"] as const, registers: [this.registry] });
  readonly jobs = new Counter({ name: "accord_jobs_total", help: "Jobs run by this instance, by outcome (done, retry, dead)", labelNames: ["outcome"] as const, registers: [this.registry] });
  readonly jobSeconds = new Histogram({
    name: "accord_job_duration_seconds",
    help: "Time from taking a job to finishing it",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly jobLatency = new Histogram({
    name: "accord_delivery_to_done_seconds",
    help: "Time from a delivery's arrival to its job finishing",
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly githubRequests = new Counter({ name: "accord_github_requests_total", help: "Requests made to GitHub, by kind (read, write) and status class", labelNames: ["kind", "status"] as const, registers: [this.registry] });
  readonly rateLimitRemaining = new Gauge({ name: "accord_github_rate_limit_remaining", help: "Requests GitHub says are left this hour, by installation and resource", labelNames: ["installation", "resource"] as const, registers: [this.registry] });
  readonly redeliveries = new Counter({ name: "accord_redeliveries_requested_total", help: "Deliveries Accord asked GitHub to send again after finding them failed in the delivery log", registers: [this.registry] });

  constructor(queue?: JobQueue) {
    collectDefaultMetrics({ register: this.registry, prefix: "accord_process_" });
    if (queue) {
      new Gauge({
        name: "accord_queue_jobs",
        help: "Jobs in the durable queue, by state (waiting, running, retrying, dead)",
        labelNames: ["state"] as const,
        registers: [this.registry],
        async collect() {
          const health = await queue.health();
          for (const state of ["waiting", "running", "retrying", "dead"] as const) this.set({ state }, health[state]);
        },
      });
      new Gauge({
        name: "accord_queue_oldest_waiting_seconds",
        help: "Age of the oldest job due and not yet taken",
        registers: [this.registry],
        async collect() {
          this.set(((await queue.health()).oldestWaitingMs ?? 0) / 1000);
        },
      });
    }
  }

  /** Counts one GitHub answer and keeps the rate limit it reports. */
  githubResponse(kind: "read" | "write", status: number, installation: number, headers: Record<string, unknown>): void {
    this.githubRequests.inc({ kind, status: `${Math.floor(status / 100)}xx` });
    const remaining = Number(headers["x-ratelimit-remaining"]);
    if (Number.isFinite(remaining)) this.rateLimitRemaining.set({ installation: String(installation), resource: String(headers["x-ratelimit-resource"] ?? "core") }, remaining);
  }
}
