/** The little the store needs from a database: queries with `?` placeholders, transactions, a lock. */
import type pg from "pg";
import type { StoreKind } from "./types.js";

export type Param = string | number | null | Buffer;

export interface Sql {
  all<T>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /**
   * Inserts many rows at once where the database has a faster way than a long VALUES list
   * (PostgreSQL: one array per column, unnested). `suffix` is the ON CONFLICT clause, if any.
   */
  insertMany?(table: string, columns: readonly string[], rows: readonly (readonly Param[])[], suffix: string): Promise<void>;
}

export interface Db extends Sql {
  readonly dialect: StoreKind;
  /** Runs `fn` in one transaction; on PostgreSQL on one connection, on SQLite exclusively within the process. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Holds a lock for this key while `fn` runs, without a transaction around it. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Largest number of parameters one statement may carry. */
  readonly maxParams: number;
  /** PostgreSQL: the connection pool and the schema Accord's tables live in (for the job queue, which shares them). */
  readonly postgres?: { pool: pg.Pool; schema: string | undefined };
  close(): Promise<void>;
}


/**
 * `INSERT … VALUES (…), (…) ON CONFLICT (…) DO UPDATE SET …` in as few statements as the
 * parameter limit allows. `update` maps a column to its SQL (may use `excluded.col`); absent: DO NOTHING.
 */
export async function insertRows(
  sql: Sql,
  maxParams: number,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly Param[])[],
  conflict?: { keys: readonly string[]; update?: Record<string, string> },
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(maxParams / columns.length));
  const tuple = `(${columns.map(() => "?").join(",")})`;
  let suffix = "";
  if (conflict) {
    const set = conflict.update ? Object.entries(conflict.update).map(([column, value]) => `${column} = ${value}`) : [];
    suffix = ` ON CONFLICT (${conflict.keys.join(",")}) ${set.length > 0 ? `DO UPDATE SET ${set.join(", ")}` : "DO NOTHING"}`;
  }
  if (sql.insertMany && rows.length >= 200) {
    for (let start = 0; start < rows.length; start += 50_000) await sql.insertMany(table, columns, rows.slice(start, start + 50_000), suffix);
    return;
  }
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: Param[] = [];
    for (const row of chunk) params.push(...row);
    await sql.run(`INSERT INTO ${table} (${columns.join(",")}) VALUES ${chunk.map(() => tuple).join(",")}${suffix}`, params);
  }
}

/** The larger of two nullable values, NULL only when both are (portable: SQLite's max() and PostgreSQL's GREATEST() differ on NULL). */
export const sqlMax = (a: string, b: string) => `CASE WHEN ${b} IS NULL THEN ${a} WHEN ${a} IS NULL OR ${b} > ${a} THEN ${b} ELSE ${a} END`;
export const sqlMin = (a: string, b: string) => `CASE WHEN ${b} IS NULL THEN ${a} WHEN ${a} IS NULL OR ${b} < ${a} THEN ${b} ELSE ${a} END`;
