/**
 * The friction store (SPEC §3), named by DATABASE_URL:
 * - `sqlite:PATH` (default `sqlite:./data/accord.db`): a file created on first use, no set-up;
 * - `postgres://…` (or `postgresql://…`): shared by several app instances.
 * Migrations apply themselves when the store opens.
 */
import { isAbsolute, resolve } from "node:path";
import { SqlStore } from "./store.js";
import type { StoreKind } from "./types.js";

export type * from "./types.js";
export { emptyReportData } from "./types.js";
export { SqlStore } from "./store.js";
export type { HistoryLoader } from "./bulk.js";

export const DEFAULT_DATABASE_URL = "sqlite:./data/accord.db";

/** A problem with the store the user can fix (bad URL, unreachable database), in plain words. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
  }
}

export type DatabaseTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string; where: string };

/** Reads DATABASE_URL; relative SQLite paths are taken from `cwd`. */
export function parseDatabaseUrl(databaseUrl: string | undefined, cwd: string = process.cwd()): DatabaseTarget {
  const url = databaseUrl === undefined || databaseUrl.trim() === "" ? DEFAULT_DATABASE_URL : databaseUrl.trim();
  if (url.startsWith("sqlite:")) {
    let path = url.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new StoreError("DATABASE_URL `sqlite:` needs a file path, e.g. `sqlite:./data/accord.db`.");
    if (path === ":memory:") return { kind: "sqlite", path };
    return { kind: "sqlite", path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    let where = "PostgreSQL";
    try {
      const parsed = new URL(url);
      where = `PostgreSQL at ${parsed.hostname || "localhost"}:${parsed.port || "5432"}${parsed.pathname.length > 1 ? ` (database ${decodeURIComponent(parsed.pathname.slice(1))})` : ""}`;
    } catch {
      throw new StoreError("DATABASE_URL is not a valid postgres:// URL.");
    }
    return { kind: "postgres", url, where };
  }
  throw new StoreError("DATABASE_URL must be `sqlite:PATH` (e.g. `sqlite:./data/accord.db`) or `postgres://user@host:port/database`.");
}

export interface OpenStoreOptions {
  /** Base for a relative SQLite path (default: the process's working directory). */
  cwd?: string;
  /** PostgreSQL only: keep the tables in this schema (created when missing). */
  schema?: string;
  /** PostgreSQL only: query connections per instance. */
  poolSize?: number;
  /** The clock, for tests. */
  now?: () => number;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET", "ENETUNREACH"]);

function describeOpenError(target: DatabaseTarget, error: unknown): StoreError {
  const e = error as { code?: string; message?: string };
  const why = e.code && NETWORK_CODES.has(e.code) ? e.code : (e.message ?? String(error));
  if (target.kind === "postgres") return new StoreError(`Could not reach ${target.where}: ${why}. Check DATABASE_URL and that the server is running.`, { cause: error });
  return new StoreError(`Could not open the SQLite database ${target.path}: ${why}.`, { cause: error });
}

export async function openStore(databaseUrl?: string, options: OpenStoreOptions = {}): Promise<SqlStore> {
  const target = parseDatabaseUrl(databaseUrl, options.cwd);
  try {
    // Each database's driver loads only when used: the GitHub Action carries no native SQLite module.
    const db =
      target.kind === "sqlite"
        ? await (await import("./sqlite.js")).openSqlite(target.path)
        : await (await import("./postgres.js")).openPostgres(target.url, {
            ...(options.schema !== undefined ? { schema: options.schema } : {}),
            ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
          });
    return new SqlStore(db, options.now);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw describeOpenError(target, error);
  }
}

export const storeKindOf = (databaseUrl: string | undefined): StoreKind => parseDatabaseUrl(databaseUrl).kind;
