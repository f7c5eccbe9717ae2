/**
 * Two app processes against one PostgreSQL: they start at once (racing the migrations), then race
 * to claim the same delivery ids and record under the PR lock. Every id must be claimed exactly
 * once, no evaluation doubled, and the lock must keep a non-atomic read-modify-write exact.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { MIGRATIONS } from "../../src/store/schema.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { dropSchema, POSTGRES_SKIPPED, POSTGRES_URL } from "./helpers.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const buildDir = join(root, "node_modules", ".cache", `accord-store-race-${process.pid}`);
const IDS = Array.from({ length: 200 }, (_, i) => `delivery-${i}`);
const REPO = "acme/race";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.skipIf(!POSTGRES_URL)(POSTGRES_URL ? "two app processes sharing one PostgreSQL" : POSTGRES_SKIPPED, () => {
  const schema = `accord_race_${process.pid}`;

  beforeAll(async () => {
    // Plain JavaScript for the child processes: compile the worker and what it imports (no new dependencies).
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, "package.json"), '{"type":"module"}\n');
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "test/store/tsconfig.race.json"), "--outDir", buildDir], {
        cwd: root,
        stdio: "pipe",
      });
    } catch (error) {
      // Type errors elsewhere (reported by `npm run typecheck`) still emit JavaScript; only a missing worker is fatal here.
      if (!existsSync(join(buildDir, "test/store/race-worker.js"))) throw error;
    }
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE "${schema}".race_counter (pr INTEGER PRIMARY KEY, n INTEGER NOT NULL)`);
    await client.query(`INSERT INTO "${schema}".race_counter SELECT g, 0 FROM generate_series(0, 4) g`);
    await client.end();
  }, 120_000);

  afterAll(async () => {
    rmSync(buildDir, { recursive: true, force: true });
    if (POSTGRES_URL) await dropSchema(POSTGRES_URL, schema);
  });

  it("claims every delivery exactly once and never doubles an evaluation", async () => {
    const worker = join(buildDir, "test/store/race-worker.js");
    const outputs = await Promise.all(
      [1, 2].map((seed) => run(process.execPath, [worker, POSTGRES_URL!, schema, JSON.stringify(shuffled(IDS, seed))], { cwd: root, timeout: 90_000 })),
    );
    const results = outputs.map(({ stdout }) => JSON.parse(stdout.trim().split("\n").pop()!) as { claimed: string[]; recordedUnclaimed: number });
    const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
    // Both instances got work, and between them every id exactly once.
    expect(a.claimed.length).toBeGreaterThan(0);
    expect(b.claimed.length).toBeGreaterThan(0);
    expect(a.claimed.filter((id) => b.claimed.includes(id))).toEqual([]);
    expect([...a.claimed, ...b.claimed].sort()).toEqual([...IDS].sort());

    const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path="${schema}"` });
    await client.connect();
    try {
      const evaluations = await client.query<{ n: string; ids: string }>("SELECT COUNT(*) AS n, COUNT(DISTINCT delivery_key) AS ids FROM evaluations");
      expect(Number(evaluations.rows[0]!.n)).toBe(IDS.length);
      expect(Number(evaluations.rows[0]!.ids)).toBe(IDS.length);
      // The roll-ups saw each evaluation once.
      const rolled = await client.query<{ n: string }>("SELECT SUM(evaluations) AS n FROM pull_requests");
      expect(Number(rolled.rows[0]!.n)).toBe(IDS.length);
      const perAgreement = await client.query<{ n: string }>("SELECT SUM(evaluations) AS n FROM pr_agreements WHERE agreement_id = 'pipelines-both-teams'");
      expect(Number(perAgreement.rows[0]!.n)).toBe(IDS.length);
      // The read-modify-write under the PR lock lost no update across the two processes.
      const counters = await client.query<{ n: number }>("SELECT SUM(n)::int AS n FROM race_counter");
      expect(counters.rows[0]!.n).toBe(IDS.length);
      const migrations = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM accord_migrations");
      expect(Number(migrations.rows[0]!.n)).toBe(MIGRATIONS.length);
    } finally {
      await client.end();
    }
    const store = await openStore(POSTGRES_URL, { schema });
    try {
      expect((await store.pullRequest(REPO, 0))?.evaluations).toBe(40);
    } finally {
      await store.close();
    }
  }, 120_000);
});
