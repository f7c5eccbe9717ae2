/**
 * The Probot app: routes each webhook delivery to a job. With a friction record the job is
 * written to the durable queue and the webhook answered at once (SPEC §5); workers hand jobs to
 * the pipeline, which runs each once, in order per pull request. Without a record (tests, the
 * GitHub Action) the pipeline runs the job before answering.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { dashboardHandler } from "../dashboard/dashboard.js";
import { endpointsFromEnv } from "../dashboard/github-user.js";
import { operationsHandler } from "../ops/http.js";
import { Metrics } from "../ops/metrics.js";
import { openQueue, type JobQueue, type QueueOptions } from "../queue/index.js";
import { SqlStore } from "../store/store.js";
import type { FrictionStore } from "../store/types.js";
import { TtlCache } from "./cache.js";
import type { GitHub } from "./client.js";
import { HANDLED_EVENTS, jobKey, routeWebhook } from "./events.js";
import { GitHubCaches } from "./gather.js";
import { Pipeline } from "./pipeline.js";
import { DeliveryRecovery, type RecoveryOptions } from "./recovery.js";
import { ReadPath, type ReadOptions } from "./reads.js";
import type { RefreshDeps } from "./refresh.js";

export interface AccordAppOptions {
  appId?: number;
  caches?: GitHubCaches;
  suggest?: RefreshDeps["suggest"];
  /** The friction record, or how to open it when the app loads (SQLite is created on first start). */
  store?: FrictionStore | (() => Promise<FrictionStore>);
  now?: () => number;
  previewLimits?: RefreshDeps["previewLimits"];
  /** How GraphQL reads are limited (REDIS_URL shares the limit between instances). */
  reads?: ReadOptions;
  /** The durable queue's settings; `false` runs jobs inline even with a record. */
  queue?: QueueOptions | false;
  /** Asking GitHub for deliveries that never arrived (SPEC §5); off unless given (the server turns it on). */
  recovery?: RecoveryOptions;
  /** Called once the app is loaded, with what the server (and tests) need to reach inside it. */
  onReady?: (handle: AccordHandle) => void;
}

/** What the server needs from a loaded app: its queue (for /healthz, /metrics, shutdown). */
export interface AccordHandle {
  queue?: JobQueue;
  store?: FrictionStore;
  metrics: Metrics;
  recovery?: DeliveryRecovery;
  /** Resolves once every job due has run (tests, benchmarks). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops taking jobs and lets running ones finish within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** An answer to GitHub other than 200: Probot's webhook middleware sends `status`. */
class IntakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "IntakeError";
  }
}

export function accordApp(options: AccordAppOptions = {}) {
  return async (app: Probot, server?: ApplicationFunctionOptions): Promise<void> => {
    const store = typeof options.store === "function" ? await options.store() : options.store;
    const appId = options.appId ?? Number(process.env.APP_ID ?? 0);
    const queue = store instanceof SqlStore && options.queue !== false ? openQueue(store, { log: app.log, ...(options.queue || {}) }) : undefined;
    const metrics = new Metrics(queue);
    const reads = new ReadPath({ ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}), ...options.reads });
    // One client per installation, reused: its write queue is the installation's, its reads are
    // not spaced like writes, and its token refreshes itself.
    const clients = new TtlCache<Promise<GitHub>>(1_000, 10 * 60_000);
    const clientFor = (installationId: number): Promise<GitHub> => {
      const key = String(installationId);
      let client = clients.get(key);
      if (!client) {
        client = (app.auth(installationId) as Promise<GitHub>).then((writes) =>
          reads.split(app, installationId, writes, (kind, status, installation, headers) => metrics.githubResponse(kind, status, installation, headers)),
        );
        client.catch(() => clients.delete(key));
        clients.set(key, client);
      }
      return client;
    };
    const pipeline = new Pipeline({
      appId,
      caches: options.caches ?? new GitHubCaches(),
      clientFor,
      log: app.log,
      ...(options.suggest ? { suggest: options.suggest } : {}),
      ...(store ? { store } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.previewLimits ? { previewLimits: options.previewLimits } : {}),
    });

    if (queue) {
      await queue.start(async (delivery, attempt) => {
        const stopTimer = metrics.jobSeconds.startTimer();
        try {
          await pipeline.run(delivery.job, delivery.id, { queued: true, final: attempt.final });
          metrics.jobs.inc({ outcome: "done" });
          if (delivery.receivedAt) metrics.jobLatency.observe((Date.now() - delivery.receivedAt) / 1000);
        } catch (error) {
          metrics.jobs.inc({ outcome: attempt.final ? "dead" : "retry" });
          throw error;
        } finally {
          stopTimer();
        }
      });
    }
    const recovery = queue && store instanceof SqlStore && options.recovery ? new DeliveryRecovery(app, store, queue, appId, { onRedelivery: () => metrics.redeliveries.inc(), ...options.recovery }) : undefined;
    recovery?.start();
    const operations = operationsHandler(
      {
        ...(queue ? { queue } : {}),
        ping: async () => {
          if (store instanceof SqlStore) await store.database.get("SELECT 1 AS one");
        },
      },
      metrics,
    );
    // Probot's setup page registers the app with the address it was opened at, ending in `/`;
    // deliveries posted there are taken like those at the webhook path.
    let webhooks: ReturnType<Probot["getNodeMiddleware"]> | undefined;
    const rootWebhooks = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
      if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== "/" || !req.headers["x-github-event"]) return false;
      req.url = app.webhookPath;
      webhooks ??= app.getNodeMiddleware();
      return (await webhooks)(req, res);
    };
    // The friction dashboard (SPEC §7): sign-in through the app's OAuth client.
    const dashboard = store
      ? dashboardHandler({
          store,
          endpoints: endpointsFromEnv(process.env),
          ...(process.env.GITHUB_CLIENT_ID ? { clientId: process.env.GITHUB_CLIENT_ID } : {}),
          ...(process.env.GITHUB_CLIENT_SECRET ? { clientSecret: process.env.GITHUB_CLIENT_SECRET } : {}),
          ...(process.env.DASHBOARD_SESSION_SECRET ? { sessionSecret: process.env.DASHBOARD_SESSION_SECRET } : {}),
          ...(process.env.ACCORD_DASHBOARD_ACCESS_TTL_MS ? { accessTtlMs: Number(process.env.ACCORD_DASHBOARD_ACCESS_TTL_MS) } : {}),
        })
      : undefined;
    const home = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
      if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/" || !dashboard) return false;
      res.writeHead(302, { location: "/dashboard" }).end();
      return true;
    };
    try {
      server?.addHandler(operations);
      server?.addHandler(rootWebhooks);
      if (dashboard) {
        server?.addHandler(dashboard);
        server?.addHandler(home);
      }
    } catch {
      // Loaded without a server (tests call probot.load): no HTTP routes to add.
    }

    app.on([...HANDLED_EVENTS], async (context: Context) => {
      const routed = routeWebhook(context.name, context.payload, appId);
      const event = `${context.name}.${String((context.payload as { action?: unknown }).action ?? "")}`;
      // Refused before it reaches the queue: GitHub's delivery log shows the reason.
      if ("malformed" in routed) {
        metrics.deliveries.inc({ event, result: "refused" });
        throw new IntakeError(400, `Accord cannot use this payload: ${routed.malformed}`);
      }
      if ("ignored" in routed) return void metrics.deliveries.inc({ event, result: "ignored" });
      // Closing a PR and people's review requests are only recorded: without a record there is nothing to do.
      if (routed.job.kind === "record" && !store) return;
      if (!queue) {
        metrics.deliveries.inc({ event, result: "inline" });
        await pipeline.run(routed.job, context.id);
        return;
      }
      try {
        const result = await queue.enqueue({ id: context.id, event, job: routed.job, group: jobKey(routed.job), receivedAt: Date.now() });
        metrics.deliveries.inc({ event, result });
        context.log.debug({ delivery: context.id, result }, "delivery accepted");
      } catch (error) {
        // Nothing is lost: GitHub records the failure, and recovery asks for it again once the record is back.
        metrics.deliveries.inc({ event, result: "unavailable" });
        context.log.error({ err: error, delivery: context.id }, "the friction record cannot take deliveries right now");
        throw new IntakeError(503, "Accord's database is unavailable; the delivery was not accepted and will be asked for again");
      }
    });

    options.onReady?.({
      ...(queue ? { queue } : {}),
      ...(store ? { store } : {}),
      ...(recovery ? { recovery } : {}),
      metrics,
      drain: (timeoutMs) => queue?.drain(timeoutMs) ?? Promise.resolve(),
      stop: async (graceMs) => {
        await recovery?.stop();
        await queue?.stop(graceMs);
        await reads.close();
      },
    });

    app.on(["installation.created", "installation.deleted", "installation_repositories.added"], async (context) => {
      context.log.info({ action: context.payload.action, installation: context.payload.installation.id }, "installation changed");
    });
  };
}
