/**
 * Reads are not throttled like writes (SPEC §5). Probot's throttling plugin sends every request
 * to `/graphql` — queries included — through its write limiter, one per second per installation,
 * so each GraphQL read waited its turn like a comment. GitHub counts a query against its points,
 * not as a content-creating request.
 *
 * So each installation gets a second client, made by Probot's own factory with the same token
 * but without the throttling plugin: its requests are bounded in concurrency per installation
 * (shared by every instance through Redis when REDIS_URL is set) and not spaced, and GitHub's
 * secondary-limit answers are honoured by waiting the `retry-after` it asks for. GraphQL
 * queries go through it; REST requests and mutations stay on the throttled client, whose write
 * queue keeps GitHub's guidance for content-creating requests.
 */
import Bottleneck from "bottleneck";
import type { Probot } from "probot";
import { setTimeout as sleep } from "node:timers/promises";
import type { GitHub } from "./client.js";

export interface ReadOptions {
  /** GraphQL queries in flight at once per installation (default 8; GitHub allows 100 concurrent requests). */
  maxConcurrent?: number;
  /** Share the limit between instances (a `redis://` URL). */
  redisUrl?: string;
  /** Retries after a secondary rate limit (default 2). */
  secondaryRetries?: number;
  /** Upper bound on one wait GitHub asks for, in seconds (default 60). */
  maxRetryAfterSeconds?: number;
  /** Seconds are multiplied by this (tests shorten waits). */
  retryAfterUnitMs?: number;
}

/** Told about every answer GitHub gave an installation's clients (for /metrics). */
export type GitHubObserver = (kind: "read" | "write", status: number, installationId: number, headers: Record<string, unknown>) => void;

const isRead = (options: { method?: string; url?: string; query?: unknown }) =>
  options.method === "GET" || options.method === "HEAD" || (options.url === "/graphql" && !/^\s*mutation\b/.test(String(options.query ?? "")));

/** Requests that get tokens (as Probot's throttling names them): never limited like reads. */
function isAuthRequest(method: string | undefined, url: string | undefined): boolean {
  const path = new URL(url ?? "", "http://github.test").pathname.replace(/^\/api\/v3/, "");
  return (method === "POST" && (/^\/app\/installations\/[^/]+\/access_tokens$/.test(path) || /^\/applications\/[^/]+\/token$/.test(path) || path === "/login/oauth/access_token")) || (method === "PATCH" && /^\/applications\/[^/]+\/token\/scoped$/.test(path));
}

function observe(client: GitHub, installationId: number, observer: GitHubObserver | undefined): void {
  if (!observer) return;
  client.hook.after("request", (response, options) => observer(isRead(options as never) ? "read" : "write", response.status, installationId, response.headers as Record<string, unknown>));
  client.hook.error("request", (error, options) => {
    const e = error as { status?: number; response?: { headers?: Record<string, unknown> } };
    observer(isRead(options as never) ? "read" : "write", e.status ?? 0, installationId, e.response?.headers ?? {});
    throw error;
  });
}

interface RequestError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

/** GitHub's secondary rate limit: 403 or 429 with `retry-after`, or a message that says so. */
export function secondaryRetryAfter(error: unknown): number | undefined {
  const e = error as RequestError | null;
  if (!e || (e.status !== 403 && e.status !== 429)) return undefined;
  const header = Number(e.response?.headers?.["retry-after"]);
  if (Number.isFinite(header) && header >= 0) return header;
  return /secondary rate limit/i.test(e.message ?? "") ? 60 : undefined;
}

export class ReadPath {
  private readonly group: Bottleneck.Group;
  private readonly connection: Bottleneck.IORedisConnection | undefined;

  constructor(private readonly options: ReadOptions = {}) {
    const maxConcurrent = options.maxConcurrent ?? 8;
    if (options.redisUrl) {
      this.connection = new Bottleneck.IORedisConnection({ clientOptions: options.redisUrl } as unknown as Bottleneck.IORedisConnectionOptions);
      this.connection.on("error", () => undefined);
      this.group = new Bottleneck.Group({ maxConcurrent, id: "accord-reads", datastore: "ioredis", connection: this.connection, clearDatastore: false, timeout: 2 * 60_000 });
    } else {
      this.group = new Bottleneck.Group({ maxConcurrent });
    }
  }

  /**
   * `writes` (the installation's throttled client) with its GraphQL queries sent through an
   * unthrottled twin, limited by this read path.
   */
  async split(app: Probot, installationId: number, writes: GitHub, observer?: GitHubObserver): Promise<GitHub> {
    const appClient = await app.auth();
    const reads = (await appClient.auth({
      type: "installation",
      installationId,
      factory: ({ octokit, octokitOptions, ...otherOptions }: { octokit: GitHub; octokitOptions: Record<string, unknown> } & Record<string, unknown>) =>
        new (octokit.constructor as new (options: Record<string, unknown>) => GitHub)({
          ...octokitOptions,
          throttle: { enabled: false },
          log: writes.log,
          auth: { ...(octokitOptions.auth as Record<string, unknown>), otherOptions, installationId },
        }),
    })) as GitHub;
    const limiter = this.group.key(String(installationId));
    const retries = this.options.secondaryRetries ?? 2;
    const unit = this.options.retryAfterUnitMs ?? 1_000;
    reads.hook.wrap("request", async (request, options) => {
      // Minting the installation token goes through this client too, from inside a read that
      // holds a slot: it must not wait for a slot itself, or a full limiter never drains.
      if (isAuthRequest(options.method, options.url)) return request(options);
      for (let attempt = 0; ; attempt++) {
        try {
          return await limiter.schedule(async () => request(options));
        } catch (error) {
          const wait = secondaryRetryAfter(error);
          if (wait === undefined || attempt >= retries) throw error;
          writes.log.warn(`GitHub's secondary rate limit hit on ${options.method} ${options.url}; retrying in ${wait}s.`);
          await sleep(Math.min(wait, this.options.maxRetryAfterSeconds ?? 60) * unit);
        }
      }
    });
    observe(writes, installationId, observer);
    observe(reads, installationId, observer);
    const graphql = ((query: string | Record<string, unknown>, parameters?: Record<string, unknown>) => {
      const text = typeof query === "string" ? query : String(query.query ?? "");
      // Mutations are writes: they keep the throttled client's spacing.
      return /^\s*mutation\b/.test(text) ? writes.graphql(query as string, parameters) : reads.graphql(query as string, parameters);
    }) as GitHub["graphql"];
    return Object.create(writes, { graphql: { value: graphql } }) as GitHub;
  }

  async close(): Promise<void> {
    await this.group.disconnect?.(false)?.catch?.(() => undefined);
    await this.connection?.disconnect(false).catch(() => undefined);
  }
}
