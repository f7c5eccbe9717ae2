/**
 * `npm start`: serves the app with Probot's usual variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET,
 * …) and DATABASE_URL, from the build made at install (no compiling at start).
 * - Logs are JSON lines unless printed to a terminal (LOG_FORMAT overrides), and never carry a secret.
 * - SIGTERM: stop taking webhooks and jobs, let running jobs finish (within 30 s), close the record.
 */
import { run } from "probot";
import type { AccordHandle } from "./github/app.js";
import { AccordOctokit } from "./github/octokit.js";
import { productionApp } from "./index.js";
import { DEFAULT_DATABASE_URL, openStore, StoreError } from "./store/index.js";
import { redact, redactUrl } from "./util/redact.js";

/** SIGTERM to exit: what a container runtime allows before killing. */
const SHUTDOWN_MS = 30_000;

// Nothing the server prints may carry a secret: every line, from Probot's logger or ours, is redacted.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? redact(chunk) : Buffer.isBuffer(chunk) ? redact(chunk.toString("utf8")) : chunk, ...rest)) as typeof stream.write;
}
process.env.LOG_FORMAT ??= process.stdout.isTTY ? "pretty" : "json";

// Opened before Probot starts: the SQLite file exists from the first start, and a wrong
// DATABASE_URL stops the server with a plain message instead of failing on the first webhook.
let store;
try {
  store = await openStore(process.env.DATABASE_URL);
} catch (error) {
  const message = error instanceof StoreError ? error.message : String(error);
  console.error(`accord: cannot open the friction record (${redactUrl(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)}): ${message}`);
  process.exit(1);
}
let handle: AccordHandle | undefined;
const server = await run(
  productionApp(store, (ready) => (handle = ready)),
  { Octokit: AccordOctokit },
);

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  console.error(JSON.stringify({ level: 30, time: started, msg: "SIGTERM: finishing running jobs, taking no new ones" }));
  setTimeout(() => process.exit(1), SHUTDOWN_MS).unref();
  void (async () => {
    await server.stop().catch(() => undefined);
    await handle?.stop(SHUTDOWN_MS - 3_000).catch(() => undefined);
    await store.close().catch(() => undefined);
    console.error(JSON.stringify({ level: 30, time: Date.now(), msg: `stopped in ${Date.now() - started} ms` }));
    process.exit(0);
  })();
});
