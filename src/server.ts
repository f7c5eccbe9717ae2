/** `npm start`: serves the app with Probot's usual variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …) and DATABASE_URL. */
import { run } from "probot";
import { AccordOctokit } from "./github/octokit.js";
import { productionApp } from "./index.js";
import { DEFAULT_DATABASE_URL, openStore, StoreError } from "./store/index.js";

// Opened before Probot starts: the SQLite file exists from the first start, and a wrong
// DATABASE_URL stops the server with a plain message instead of failing on the first webhook.
let store;
try {
  store = await openStore(process.env.DATABASE_URL);
} catch (error) {
  const message = error instanceof StoreError ? error.message : String(error);
  console.error(`accord: cannot open the friction record (${process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL}): ${message}`);
  process.exit(1);
}
await run(productionApp(store), { Octokit: AccordOctokit });
