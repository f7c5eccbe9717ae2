/**
 * A loopback GitHub for benchmarks: one FakeGitHub per repository behind a plain HTTP server,
 * answering at once. Runs in a child process so the app's memory is measured alone.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGitHub, type FakeHookDelivery } from "../test/fakes/fake-github.js";

export interface StubRepository {
  owner: string;
  repo: string;
  agreement: string;
  files: { filename: string; status: string; additions: number; deletions: number }[];
  /** Generate this many changed files in the stub instead of sending `files` (large PRs). */
  fileCount?: number;
  teams?: Record<string, string[]>;
}

/** The base and head every stub repository's pull request starts with. */
export const DEFAULT_PR_SHAS = { base: new FakeGitHub().pr.baseSha, head: new FakeGitHub().pr.headSha };

/** A large PR's files, made where they are served so they need not cross the process boundary. */
export function generatedFiles(count: number): StubRepository["files"] {
  return Array.from({ length: count }, (_, i) => ({ filename: `${["pipelines", "infra", "src", "docs", "models"][i % 5]}/area${i % 37}/module${i % 11}/file_${i}.${["py", "ts", "md", "yaml"][i % 4]}`, status: "modified", additions: (i % 30) + 1, deletions: i % 5 }));
}

function ownerOf(path: string, body: unknown): string | undefined {
  const rest = /^\/repos\/([^/]+)\//.exec(path);
  if (rest) return rest[1];
  const { query = "", variables = {} } = (body ?? {}) as { query?: string; variables?: Record<string, unknown> };
  return (variables.owner as string | undefined) ?? (variables.org as string | undefined) ?? /(?:repository|organization)\((?:owner|login): "([^"]+)"/.exec(query)?.[1];
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : undefined;
}

/**
 * GitHub's side of webhooks: signs and sends each delivery to the app (through `target`, e.g. a
 * round-robin over instances), and keeps the delivery log the app reads — every attempt with its
 * status code (0 when the app could not be reached) — and sends a delivery again when asked.
 */
export class WebhookSender {
  readonly log: FakeHookDelivery[] = [];
  private nextId = 1;

  constructor(
    private readonly secret: string,
    private readonly target: () => string,
  ) {}

  async send(event: string, payload: Record<string, unknown>, guid: string, url = this.target(), redelivery = false): Promise<number> {
    const body = JSON.stringify(payload);
    const started = Date.now();
    let status = 0;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": guid,
          "x-hub-signature-256": `sha256=${createHmac("sha256", this.secret).update(body).digest("hex")}`,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    const installation = payload.installation as { id?: number } | undefined;
    const repository = payload.repository as { id?: number } | undefined;
    this.log.unshift({
      id: this.nextId++,
      guid,
      delivered_at: new Date(started).toISOString(),
      redelivery,
      duration: (Date.now() - started) / 1000,
      status: status >= 200 && status < 300 ? "OK" : status === 0 ? "failed to connect to host" : `HTTP ${status}`,
      status_code: status,
      event,
      action: typeof payload.action === "string" ? payload.action : null,
      installation_id: installation?.id ?? null,
      repository_id: repository?.id ?? null,
      payload,
    });
    return status;
  }

  /** GitHub's `POST /app/hook/deliveries/{id}/attempts`: the same delivery, sent again. */
  redeliver(id: number): boolean {
    const attempt = this.log.find((entry) => entry.id === id);
    if (!attempt) return false;
    void this.send(attempt.event, attempt.payload as Record<string, unknown>, attempt.guid, this.target(), true);
    return true;
  }
}

/**
 * GitHub's sign-in for a GitHub App's OAuth client, as the dashboard meets it: the authorize
 * page (approves at once as `signsIn`), the code-for-token exchange (errors as HTTP 200 with
 * `error`, like GitHub), and the user's installations and the repositories they can read.
 */
export class FakeOAuth {
  /** Who the next sign-in is. */
  signsIn = "alice";
  /** Repositories (`owner/name`) each person can read where the app is installed. */
  readable = new Map<string, string[]>();
  /** Tokens GitHub no longer accepts (expired or revoked). */
  readonly revoked = new Set<string>();

  /** Every token this person signed in with stops working, as when a token expires. */
  expire(login: string): void {
    for (const [token, owner] of this.tokens) if (owner === login) this.revoked.add(token);
  }
  private readonly codes = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private next = 1;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** `[status, body, headers]` for the OAuth and user routes; undefined for any other. */
  handle(method: string, path: string, body: unknown, headers: Record<string, string | string[] | undefined>): [number, unknown, Record<string, string>] | undefined {
    const url = new URL(path, "http://stub");
    if (method === "GET" && url.pathname === "/login/oauth/authorize") {
      if (url.searchParams.get("client_id") !== this.clientId) return [404, "unknown client", { "content-type": "text/plain" }];
      const code = `code${this.next++}`;
      this.codes.set(code, this.signsIn);
      const back = new URL(url.searchParams.get("redirect_uri")!);
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return [302, "", { location: back.href }];
    }
    if (method === "POST" && url.pathname === "/login/oauth/access_token") {
      const given = (body ?? {}) as { client_id?: string; client_secret?: string; code?: string };
      const login = given.code ? this.codes.get(given.code) : undefined;
      if (given.client_id !== this.clientId || given.client_secret !== this.clientSecret) return [200, { error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." }, {}];
      if (!login) return [200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." }, {}];
      this.codes.delete(given.code!);
      const token = `ghu_${login}${this.next++}xxxxxxxxxxxx`;
      this.tokens.set(token, login);
      return [200, { access_token: token, token_type: "bearer", scope: "" }, {}];
    }
    if (method !== "GET" || !url.pathname.startsWith("/user")) return undefined;
    const token = String(headers.authorization ?? "").replace(/^(bearer|token)\s+/i, "");
    const login = this.tokens.get(token);
    if (!login || this.revoked.has(token)) return [401, { message: "Bad credentials" }, {}];
    if (url.pathname === "/user") return [200, { login }, {}];
    if (url.pathname === "/user/installations") return [200, { total_count: 1, installations: [{ id: 1 }] }, {}];
    if (url.pathname === "/user/installations/1/repositories") {
      const repos = this.readable.get(login) ?? [];
      const perPage = Number(url.searchParams.get("per_page") ?? "30");
      const page = Number(url.searchParams.get("page") ?? "1");
      const shown = repos.slice((page - 1) * perPage, page * perPage).map((full) => ({ full_name: full }));
      const link: Record<string, string> = page * perPage < repos.length ? { link: `<http://${String(headers.host)}/api/v3/user/installations/1/repositories?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return [200, { total_count: repos.length, repositories: shown }, link];
    }
    return [404, { message: "Not Found" }, {}];
  }
}

export async function startStub(repositories: StubRepository[], port = 0, sender?: WebhookSender, oauth?: FakeOAuth): Promise<{ url: string; fakes: Map<string, FakeGitHub>; close: () => Promise<void> }> {
  const fakes = new Map<string, FakeGitHub>();
  for (const spec of repositories) {
    const fake = new FakeGitHub();
    fake.owner = spec.owner;
    fake.repo = spec.repo;
    fake.setAgreement(spec.agreement);
    fake.setFiles(spec.fileCount ? generatedFiles(spec.fileCount) : spec.files);
    for (const [slug, members] of Object.entries(spec.teams ?? {})) fake.teams.set(slug, members);
    fakes.set(spec.owner, fake);
  }
  const server = createServer(async (request, response) => {
    const path = (request.url ?? "/").replace(/^\/api\/v3/, "");
    const body = await readBody(request);
    const route = path.split("?")[0]!;
    const signIn = oauth?.handle(request.method ?? "GET", path, body, request.headers);
    if (signIn) {
      const [status, answer, headers] = signIn;
      response.writeHead(status, { "content-type": "application/json", ...headers });
      return void response.end(typeof answer === "string" ? answer : JSON.stringify(answer));
    }
    // The app's own endpoints (JWT): installation tokens, and the delivery log when a sender keeps one.
    if (request.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(route)) {
      response.writeHead(201, { "content-type": "application/json" });
      return void response.end(JSON.stringify({ token: `ghs_stub${route.split("/")[3]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" }));
    }
    if (sender && route === "/app/hook/deliveries") {
      const params = new URL(path, "http://stub").searchParams;
      const perPage = Math.min(100, Number(params.get("per_page") ?? "30"));
      const start = Number(params.get("cursor") ?? "0");
      const page = sender.log.slice(start, start + perPage).map(({ payload: _payload, ...attempt }) => attempt);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (start + perPage < sender.log.length) headers.link = `<http://stub/app/hook/deliveries?per_page=${perPage}&cursor=${start + perPage}>; rel="next"`;
      response.writeHead(200, headers);
      return void response.end(JSON.stringify(page));
    }
    if (sender && request.method === "POST" && /^\/app\/hook\/deliveries\/\d+\/attempts$/.test(route)) {
      const found = sender.redeliver(Number(route.split("/")[4]));
      response.writeHead(found ? 202 : 404, { "content-type": "application/json" });
      return void response.end("{}");
    }
    const fake = fakes.get(ownerOf(route, body) ?? "");
    const [status, answer, headers] = fake ? fake.handle(request.method ?? "GET", path, request.headers, body) : [404, { message: "unknown repository" }, {}];
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(status === 304 ? undefined : JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, fakes, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// As a child process: `{ repositories }` in, `{ url }` out; `{ count: true }` asks for call counts.
if (process.send && process.argv[2] === "--child") {
  process.on("message", async (message: { repositories?: StubRepository[]; calls?: boolean; bump?: { owner: string; headSha: string } }) => {
    if (message.repositories) {
      const stub = await startStub(message.repositories);
      (globalThis as { stub?: typeof stub }).stub = stub;
      process.send!({ url: stub.url });
    } else if (message.calls) {
      const stub = (globalThis as { stub?: Awaited<ReturnType<typeof startStub>> }).stub!;
      process.send!({ calls: [...stub.fakes.values()].reduce((sum, fake) => sum + fake.calls.length, 0) });
    }
  });
}
