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

export async function startStub(repositories: StubRepository[], port = 0, sender?: WebhookSender): Promise<{ url: string; fakes: Map<string, FakeGitHub>; close: () => Promise<void> }> {
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
