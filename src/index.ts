/** The app function as deployed, for `probot run ./dist/index.js`; tests build their own with `accordApp`. */
import { accordApp, type AccordHandle } from "./github/app.js";
import { createReviewerSuggester } from "./github/suggest.js";
import { openStore, type FrictionStore } from "./store/index.js";

export { accordApp } from "./github/app.js";

/**
 * DATABASE_URL names the friction record; unset, a SQLite file under ./data is created on first
 * start. Deliveries go through the durable queue beside it, and missed ones are asked for again.
 */
export function productionApp(store?: FrictionStore, onReady?: (handle: AccordHandle) => void) {
  return accordApp({
    suggest: createReviewerSuggester(),
    store: store ?? (() => openStore(process.env.DATABASE_URL)),
    recovery: {},
    ...(process.env.ACCORD_CONCURRENCY ? { queue: { concurrency: Number(process.env.ACCORD_CONCURRENCY) } } : {}),
    ...(onReady ? { onReady } : {}),
  });
}

export default productionApp();
