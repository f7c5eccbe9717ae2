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
  const setting = (name: string) => (process.env[name] ? { value: Number(process.env[name]) } : undefined);
  const concurrency = setting("ACCORD_CONCURRENCY");
  const workerTimeout = setting("ACCORD_WORKER_TIMEOUT_MS");
  const interval = setting("ACCORD_RECOVERY_INTERVAL_MS");
  const firstScan = setting("ACCORD_RECOVERY_FIRST_SCAN_MS");
  return accordApp({
    suggest: createReviewerSuggester(),
    store: store ?? (() => openStore(process.env.DATABASE_URL)),
    queue: { ...(concurrency ? { concurrency: concurrency.value } : {}), ...(workerTimeout ? { workerTimeoutMs: workerTimeout.value } : {}) },
    recovery: { ...(interval ? { intervalMs: interval.value } : {}), ...(firstScan ? { firstScanMs: firstScan.value } : {}) },
    ...(onReady ? { onReady } : {}),
  });
}

export default productionApp();
