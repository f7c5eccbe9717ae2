/**
 * A loopback GitHub for benchmarks: one FakeGitHub per repository behind a plain HTTP server,
 * answering at once. Runs in a child process so the app's memory is measured alone.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGitHub } from "../testing/fake-github.js";

export interface StubRepository {
  owner: string;
  repo: string;
  agreement: string;
  files: { filename: string; status: string; additions: number; deletions: number }[];
  /** Generate this many changed files in the stub instead of sending `files` (large PRs). */
  fileCount?: number;
  teams?: Record<string, string[]>;
}

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

export async function startStub(repositories: StubRepository[], port = 0): Promise<{ url: string; fakes: Map<string, FakeGitHub>; close: () => Promise<void> }> {
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
    const fake = fakes.get(ownerOf(path.split("?")[0]!, body) ?? "");
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
