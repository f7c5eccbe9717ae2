/** `npm start`: serves the app with Probot's usual variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …) and DATABASE_URL. */
import { run } from "probot";
import { AccordOctokit } from "./github/octokit.js";
import { productionApp } from "./index.js";
import { DEFAULT_DATABASE_URL, openStore, StoreError } from "./store/index.js";
import { redact, redactUrl } from "./util/redact.js";

// Nothing the server prints may carry a secret: every line, from Probot's logger or ours, is redacted.
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? redact(chunk) : Buffer.isBuffer(chunk) ? redact(chunk.toString("utf8")) : chunk, ...rest)) as typeof stream.write;
}

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
await run(productionApp(store), { Octokit: AccordOctokit });
