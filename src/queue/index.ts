/** The durable queue beside the friction record: in the SQLite file, or graphile-worker on PostgreSQL. */
import type { SqlStore } from "../store/store.js";
import { PostgresQueue } from "./postgres-queue.js";
import { SqliteQueue } from "./sqlite-queue.js";
import type { JobQueue, QueueOptions } from "./types.js";

export type * from "./types.js";

/** The queue beside a store; it stops (finishing or handing back its running jobs) before the store closes. */
export function openQueue(store: SqlStore, options: QueueOptions = {}): JobQueue {
  const queue = store.kind === "postgres" ? new PostgresQueue(store.database, options) : new SqliteQueue(store.database, options);
  store.beforeClose(() => queue.stop(5_000));
  return queue;
}
