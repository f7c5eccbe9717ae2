/** The durable queue beside the friction record: in the SQLite file, or graphile-worker on PostgreSQL. */
import type { SqlStore } from "../store/store.js";
import { PostgresQueue } from "./postgres-queue.js";
import { SqliteQueue } from "./sqlite-queue.js";
import type { JobQueue, QueueOptions } from "./types.js";

export type * from "./types.js";

export function openQueue(store: SqlStore, options: QueueOptions = {}): JobQueue {
  return store.kind === "postgres" ? new PostgresQueue(store.database, options) : new SqliteQueue(store.database, options);
}
