/**
 * The Probot app: routes each webhook delivery to a job and hands it to the pipeline, which
 * runs it once, in order per pull request. Nothing else happens here.
 */
import type { Context, Probot } from "probot";
import type { FrictionStore } from "../store/types.js";
import { TtlCache } from "./cache.js";
import type { GitHub } from "./client.js";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, routeWebhook } from "./events.js";
import { GitHubCaches } from "./gather.js";
import { Pipeline } from "./pipeline.js";
import type { RefreshDeps } from "./refresh.js";

export interface AccordAppOptions {
  appId?: number;
  caches?: GitHubCaches;
  suggest?: RefreshDeps["suggest"];
  /** The friction record, or how to open it when the app loads (SQLite is created on first start). */
  store?: FrictionStore | (() => Promise<FrictionStore>);
  now?: () => number;
  previewLimits?: RefreshDeps["previewLimits"];
}

/** Every event Accord acts on (SPEC §2). */
export const HANDLED_EVENTS = [
  ...PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
  "pull_request.closed",
  "pull_request.review_requested",
  ...REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const),
  "issue_comment.created",
  "check_run.rerequested",
] as const;

export function accordApp(options: AccordAppOptions = {}) {
  return async (app: Probot): Promise<void> => {
    const store = typeof options.store === "function" ? await options.store() : options.store;
    const appId = options.appId ?? Number(process.env.APP_ID ?? 0);
    // One client per installation, reused: its write queue is the installation's, and its token refreshes itself.
    const clients = new TtlCache<Promise<GitHub>>(1_000, 10 * 60_000);
    const clientFor = (installationId: number): Promise<GitHub> => {
      const key = String(installationId);
      let client = clients.get(key);
      if (!client) {
        client = app.auth(installationId) as Promise<GitHub>;
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

    app.on([...HANDLED_EVENTS], async (context: Context) => {
      const routed = routeWebhook(context.name, context.payload, appId);
      if ("malformed" in routed) {
        context.log.warn({ event: context.name, delivery: context.id, problem: routed.malformed }, "webhook payload is missing fields Accord needs; ignored");
        return;
      }
      if ("ignored" in routed) return;
      // Closing a PR and people's review requests are only recorded: without a record there is nothing to do.
      if (routed.job.kind === "record" && !store) return;
      await pipeline.run(routed.job, context.id);
    });

    app.on(["installation.created", "installation.deleted", "installation_repositories.added"], async (context) => {
      context.log.info({ action: context.payload.action, installation: context.payload.installation.id }, "installation changed");
    });
  };
}
