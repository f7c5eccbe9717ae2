/**
 * The deliveries table: every accepted webhook delivery and where it stands. Shared by both
 * queues, so "processed once", the dead-letter list and recovery read the same rows.
 */
import type { Sql } from "../store/db.js";
import type { DeadDelivery, EnqueueResult, QueuedDelivery } from "./types.js";

/** Records a delivery as queued; says whether it is new, a duplicate, or a dead one taken again. */
export async function acceptDelivery(tx: Sql, delivery: QueuedDelivery, now: number): Promise<EnqueueResult> {
  const inserted = await tx.run("INSERT INTO deliveries (id, at, state, event) VALUES (?, ?, 'queued', ?) ON CONFLICT (id) DO NOTHING", [delivery.id, now, delivery.event]);
  if (inserted === 1) return "queued";
  const revived = await tx.run("UPDATE deliveries SET state = 'queued', attempts = 0, last_error = NULL, finished_at = NULL WHERE id = ? AND state = 'dead'", [delivery.id]);
  return revived === 1 ? "requeued" : "duplicate";
}

export async function finishDelivery(sql: Sql, id: string, attempts: number, now: number): Promise<void> {
  await sql.run("UPDATE deliveries SET state = 'done', attempts = ?, last_error = NULL, finished_at = ? WHERE id = ?", [attempts, now, id]);
}

export async function failDelivery(sql: Sql, id: string, attempts: number, error: string, dead: boolean, now: number): Promise<void> {
  await sql.run("UPDATE deliveries SET state = ?, attempts = ?, last_error = ?, finished_at = ? WHERE id = ?", [dead ? "dead" : "queued", attempts, error.slice(0, 2000), dead ? now : null, id]);
}

export async function deadDeliveries(sql: Sql, limit: number): Promise<DeadDelivery[]> {
  const rows = await sql.all<{ id: string; event: string | null; attempts: number; error: string | null; at: number }>(
    `SELECT id, event, attempts, last_error AS "error", finished_at AS "at" FROM deliveries WHERE state = 'dead' ORDER BY finished_at DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({ id: row.id, event: row.event, attempts: Number(row.attempts), error: row.error, at: new Date(Number(row.at)).toISOString() }));
}

export async function countDead(sql: Sql): Promise<number> {
  const row = await sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries WHERE state = 'dead'");
  return Number(row?.n ?? 0);
}

export async function acceptedAmong(sql: Sql, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const rows = await sql.all<{ id: string }>(`SELECT id FROM deliveries WHERE id IN (${chunk.map(() => "?").join(",")})`, chunk);
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** One line for a failure, for the dead-letter list. */
export function describeFailure(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  return typeof status === "number" ? `HTTP ${status}: ${message}` : message;
}
