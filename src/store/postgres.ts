/**
 * PostgreSQL behind the store's interface; several app instances may share one database.
 * Queries go through one pool. A pull request's lock is a lease row, not a held connection:
 * taking it is one statement, holding it costs nothing while GitHub is being called (so one
 * instance can work on any number of pull requests at once), and every wait is bounded — a
 * holder that dies or hangs loses the lease when it expires, and a waiter gives up in time.
 */
import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { KeyedQueue } from "../util/keyed-queue.js";
import type { Db, Param, Sql } from "./db.js";
import { applyMigrations } from "./migrate.js";

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** BIGINT and NUMERIC (e.g. SUM over BIGINT) as JavaScript numbers: times in ms and counts fit well within 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => (value === null ? null : Number(value));
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface PostgresOptions {
  /** A schema to keep Accord's tables in (created when missing); default: the connection's search path. */
  schema?: string;
  /** Query connections per instance (default 20). */
  poolSize?: number;
  /** How a pull request's lease behaves (defaults: LEASE_DEFAULTS). */
  lease?: Partial<LeaseOptions>;
}

export interface LeaseOptions {
  /** A lease not renewed for this long is free for others (its holder died or hangs). */
  ttlMs: number;
  /** The holder renews its lease this often while its work runs… */
  renewMs: number;
  /** …but for no longer than this: work that outlasts it loses the lease. */
  maxHoldMs: number;
  /** A waiter gives up after this long, with an error that says so. */
  maxWaitMs: number;
}

export const LEASE_DEFAULTS: LeaseOptions = { ttlMs: 60_000, renewMs: 15_000, maxHoldMs: 10 * 60_000, maxWaitMs: 2 * 60_000 };

export class LockTimeoutError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`another worker has held ${key} for over ${Math.round(waitedMs / 1000)} s; try again later`);
    this.name = "LockTimeoutError";
  }
}

/** `?` placeholders to `$1, $2, …` (the store's SQL never has `?` inside string literals). */
const converted = new Map<string, string>();
function toPositional(sql: string): string {
  let out = converted.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (converted.size > 1000) converted.clear();
    converted.set(sql, out);
  }
  return out;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Statements run as named prepared statements: each connection parses and plans one once, not
 * on every call (the store runs the same few statements over and over).
 */
const statementNames = new Map<string, string>();
function prepared(sql: string, params: readonly Param[]): pg.QueryConfig<Param[]> {
  const text = toPositional(sql);
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `accord_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    if (statementNames.size > 1000) statementNames.clear();
    statementNames.set(text, name);
  }
  return { name, text, values: params as Param[] };
}

function sqlOn(client: pg.Pool | pg.PoolClient, columnTypes: ColumnTypes): Sql {
  return {
    async all<T>(sql: string, params: readonly Param[] = []) {
      return (await client.query(prepared(sql, params))).rows as T[];
    },
    async get<T>(sql: string, params: readonly Param[] = []) {
      return (await client.query(prepared(sql, params))).rows[0] as T | undefined;
    },
    async run(sql: string, params: readonly Param[] = []) {
      return (await client.query(prepared(sql, params))).rowCount ?? 0;
    },
    async insertMany(table, columns, rows, suffix) {
      const types = await columnTypes(client, table);
      const arrays = columns.map((_, i) => rows.map((row) => row[i] ?? null));
      const casts = columns.map((column, i) => {
        const type = types.get(column);
        if (!type) throw new Error(`no column ${table}.${column}`);
        return `$${i + 1}::${type}[]`;
      });
      await client.query({ text: `INSERT INTO ${table} (${columns.join(",")}) SELECT * FROM unnest(${casts.join(",")})${suffix}`, values: arrays });
    },
  };
}

type ColumnTypes = (client: pg.Pool | pg.PoolClient, table: string) => Promise<Map<string, string>>;

/** Column types per table, read once from the catalog (for the unnest casts). */
function columnTypeCache(): ColumnTypes {
  const known = new Map<string, Map<string, string>>();
  return async (client, table) => {
    let types = known.get(table);
    if (!types) {
      const { rows } = await client.query<{ column_name: string; udt_name: string }>(
        "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
        [table],
      );
      types = new Map(rows.map((row) => [row.column_name, row.udt_name]));
      known.set(table, types);
    }
    return types;
  };
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const config: pg.PoolConfig = {
    connectionString: url,
    types,
    connectionTimeoutMillis: 10_000,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  };
  // Room for the job queue (16 jobs at once, each taking and finishing through the pool) beside the record.
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 20 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const db = new PostgresDb(pool, { ...LEASE_DEFAULTS, ...options.lease }, options.schema);
  try {
    await db.transaction(async (tx) => {
      // Two instances starting at once: the second waits here, then finds the migrations applied.
      await tx.run("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [`accord-migrations:${options.schema ?? ""}`]);
      if (options.schema) await tx.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      await applyMigrations(tx, "postgres");
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

class PostgresDb implements Db {
  readonly dialect = "postgres" as const;
  readonly maxParams = 30_000;
  private readonly direct: Sql;
  private readonly columnTypes = columnTypeCache();
  private readonly locks = new KeyedQueue();
  private closed = false;

  readonly postgres: { pool: pg.Pool; schema: string | undefined };

  constructor(
    private readonly pool: pg.Pool,
    private readonly lease: LeaseOptions,
    schema: string | undefined,
  ) {
    this.postgres = { pool, schema };
    this.direct = sqlOn(pool, this.columnTypes);
  }

  all<T>(sql: string, params?: readonly Param[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  run(sql: string, params?: readonly Param[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  /** Retried (a few times) when PostgreSQL picks it as a deadlock victim or a serialization failure: the work is all in the transaction. */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 4 || (code !== "40P01" && code !== "40001")) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 5 + Math.random() * 10));
      }
    }
  }

  private async attempt<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await fn(sqlOn(client, this.columnTypes));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * One waiter per key per process (the in-process queue), then the key's lease row: other
   * instances wait by polling, with backoff, for at most `maxWaitMs`.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, async () => {
      const holder = randomUUID();
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        const now = Date.now();
        const taken = await this.direct.run(
          `INSERT INTO pr_leases (key, holder, expires_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at WHERE pr_leases.expires_at < ?`,
          [key, holder, now + this.lease.ttlMs, now],
        );
        if (taken === 1) break;
        if (now - started >= this.lease.maxWaitMs) throw new LockTimeoutError(key, now - started);
        await sleep(Math.min(1_000, 25 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
      }
      const renew = setInterval(() => {
        if (Date.now() - started > this.lease.maxHoldMs) return clearInterval(renew);
        this.direct.run("UPDATE pr_leases SET expires_at = ? WHERE key = ? AND holder = ?", [Date.now() + this.lease.ttlMs, key, holder]).catch(() => undefined);
      }, this.lease.renewMs);
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        // Not ours any more if it expired and someone took it; then this deletes nothing.
        await this.direct.run("DELETE FROM pr_leases WHERE key = ? AND holder = ?", [key, holder]).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
