/** Applies the migrations not yet recorded, in order, inside the caller's (locked) transaction. */
import type { Sql } from "./db.js";
import { createMigrationsTable, MIGRATIONS, MIGRATIONS_TABLE } from "./schema.js";
import type { StoreKind } from "./types.js";

export async function applyMigrations(tx: Sql, dialect: StoreKind): Promise<number[]> {
  await tx.run(createMigrationsTable(dialect));
  const applied = new Set((await tx.all<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE}`)).map((row) => Number(row.version)));
  const newest = Math.max(0, ...applied);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (newest > known) {
    throw new Error(`The database was set up by a newer Accord (schema version ${newest}; this one knows up to ${known}). Upgrade Accord to use it.`);
  }
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements(dialect)) await tx.run(statement);
    await tx.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`, [migration.version, migration.name, Date.now()]);
    done.push(migration.version);
  }
  return done;
}
