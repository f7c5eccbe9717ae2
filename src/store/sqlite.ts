/**
 * SQLite behind the store's async interface (better-sqlite3 is synchronous). One connection per
 * store, WAL journal. Statements and transactions take turns within the process; a transaction
 * starts with BEGIN IMMEDIATE, so a second process on the same file waits (busy timeout) rather
 * than interleaving. Meant for one app instance; several instances share PostgreSQL.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { KeyedQueue } from "../util/keyed-queue.js";
import type { Db, Param, Sql } from "./db.js";
import { applyMigrations } from "./migrate.js";

type Statement = Database.Statement<unknown[]>;

/**
 * Connections to the same file within one process take turns through one queue: better-sqlite3
 * waits for a busy lock synchronously, so a second connection blocking on BEGIN IMMEDIATE would
 * otherwise stall the very event loop the first one needs to commit.
 */
const sharedTurns = new Map<string, { queue: KeyedQueue; users: number }>();

function turnsFor(path: string): { queue: KeyedQueue; release: () => void } {
  if (path === ":memory:") return { queue: new KeyedQueue(), release: () => undefined };
  let entry = sharedTurns.get(path);
  if (!entry) sharedTurns.set(path, (entry = { queue: new KeyedQueue(), users: 0 }));
  entry.users += 1;
  const shared = entry;
  return {
    queue: shared.queue,
    release: () => {
      shared.users -= 1;
      if (shared.users === 0 && sharedTurns.get(path) === shared) sharedTurns.delete(path);
    },
  };
}

export async function openSqlite(path: string): Promise<Db> {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 10000");
    // 64 MB of page cache: the roll-up indexes stay in memory for reports and bulk loads.
    db.pragma("cache_size = -65536");
  } catch (error) {
    db.close();
    throw error;
  }
  const sqlite = new SqliteDb(db, turnsFor(path));
  try {
    await sqlite.transaction((tx) => applyMigrations(tx, "sqlite"));
  } catch (error) {
    await sqlite.close();
    throw error;
  }
  return sqlite;
}

class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  readonly maxParams = 32_000;
  private readonly statements = new Map<string, Statement>();
  /** Everything on the file takes turns within the process (key ""); PR locks queue per key. */
  private readonly turns: KeyedQueue;
  private readonly releaseTurns: () => void;
  private readonly locks = new KeyedQueue();
  private readonly direct: Sql;

  constructor(
    private readonly db: Database.Database,
    turns: { queue: KeyedQueue; release: () => void },
  ) {
    this.turns = turns.queue;
    this.releaseTurns = turns.release;
    const self = this;
    this.direct = {
      async all<T>(sql: string, params: readonly Param[] = []) {
        return self.statement(sql).all(...params) as T[];
      },
      async get<T>(sql: string, params: readonly Param[] = []) {
        return self.statement(sql).get(...params) as T | undefined;
      },
      async run(sql: string, params: readonly Param[] = []) {
        const statement = self.statement(sql);
        if (statement.reader) return statement.all(...params).length;
        return statement.run(...params).changes;
      },
    };
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<T>(sql: string, params?: readonly Param[]): Promise<T[]> {
    return this.turns.run("", () => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    return this.turns.run("", () => this.direct.get<T>(sql, params));
  }

  run(sql: string, params?: readonly Param[]): Promise<number> {
    return this.turns.run("", () => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.turns.run("", async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this.direct);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  async close(): Promise<void> {
    await this.turns.run("", async () => {
      if (this.db.open) {
        try {
          this.db.pragma("optimize");
        } catch {
          // Best effort: a read-only or busy file still closes.
        }
        this.db.close();
        this.releaseTurns();
      }
    });
  }
}
