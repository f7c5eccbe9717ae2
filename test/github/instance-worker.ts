/**
 * One Accord app process for the two-instance test: a Probot app with the PostgreSQL store,
 * talking to the loopback GitHub at argv[2]. Deliveries arrive as lines of JSON on stdin; each
 * answers one line on stdout once the shared queue has run what it was given.
 */
import { createInterface } from "node:readline";
import { Probot, ProbotOctokit } from "probot";
import { accordApp, type AccordHandle } from "../../src/github/app.js";
import { GitHubCaches } from "../../src/github/gather.js";
import { openStore } from "../../src/store/index.js";

const [baseUrl, databaseUrl, schema] = process.argv.slice(2) as [string, string, string];
const store = await openStore(databaseUrl, { schema });
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));
const probot = new Probot({ githubToken: "test", baseUrl, Octokit, logLevel: "fatal" });
let handle!: AccordHandle;
await probot.load(accordApp({ appId: 123, caches: new GitHubCaches(), store, queue: { pollMs: 50 }, onReady: (ready) => (handle = ready) }));
process.stdout.write("ready\n");

const pending: Promise<void>[] = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const delivery = JSON.parse(line) as { id: string; name: string; payload: Record<string, unknown> };
  pending.push(
    probot
      .receive(delivery as never)
      .then(() => handle.drain())
      .then(() => void process.stdout.write(`${JSON.stringify({ id: delivery.id, ok: true })}\n`))
      .catch((error: unknown) => void process.stdout.write(`${JSON.stringify({ id: delivery.id, ok: false, error: String(error) })}\n`)),
  );
}
await Promise.all(pending);
await store.close();
