/**
 * The operations endpoints the server adds beside Probot's (SPEC §5):
 * - `GET /healthz`: 200 with the queue's depth and the age of the oldest waiting job while the
 *   store answers; 503 with the reason when it does not (a load balancer stops sending work);
 * - `GET /metrics`: Prometheus text format.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JobQueue } from "../queue/types.js";
import type { Metrics } from "./metrics.js";

export interface HealthSource {
  queue?: JobQueue;
  /** Reaches the store; throws when it cannot. */
  ping(): Promise<void>;
}

export function operationsHandler(health: HealthSource, metrics: Metrics) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" || (path !== "/healthz" && path !== "/metrics")) return false;
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": metrics.registry.contentType }).end(await metrics.registry.metrics());
      return true;
    }
    try {
      await health.ping();
      const queue = health.queue ? await health.queue.health() : undefined;
      const body = {
        status: "ok",
        store: "reachable",
        ...(queue
          ? { queue: { waiting: queue.waiting, running: queue.running, retrying: queue.retrying, dead: queue.dead, oldestWaitingSeconds: queue.oldestWaitingMs === null ? null : Math.round(queue.oldestWaitingMs / 100) / 10 } }
          : {}),
      };
      res.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      res.writeHead(503, { "content-type": "application/json" }).end(`${JSON.stringify({ status: "unavailable", store: "unreachable", reason })}\n`);
    }
    return true;
  };
}
