/** Both backends for the store's contract tests, and a small scenario of agreements and PR facts. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { formatProblem, parseAgreements } from "../../src/agreement/parse.js";
import type { AgreementFile } from "../../src/agreement/schema.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { ChangedFile, PullRequestFacts, Review, Waiver } from "../../src/engine/facts.js";
import type { Evaluation } from "../../src/engine/result.js";
import { openStore, type SqlStore } from "../../src/store/index.js";

export const POSTGRES_URL = process.env.ACCORD_TEST_POSTGRES_URL;
export const POSTGRES_SKIPPED =
  "PostgreSQL store tests skipped: ACCORD_TEST_POSTGRES_URL is not set (run `. .ci/postgres.sh && start_postgres` first, as .ci/run does)";

export interface Backend {
  name: "sqlite" | "postgres";
  available: boolean;
  /** A fresh, empty database (SQLite file in a temp dir; PostgreSQL schema). */
  fresh(): Promise<Target>;
}

export interface Target {
  url: string;
  schema?: string;
  open(now?: () => number): Promise<SqlStore>;
  drop(): Promise<void>;
}

let counter = 0;

export const sqliteBackend: Backend = {
  name: "sqlite",
  available: true,
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), "accord-store-"));
    const url = `sqlite:${join(dir, "nested", "accord.db")}`;
    return {
      url,
      open: (now) => openStore(url, now ? { now } : {}),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresBackend: Backend = {
  name: "postgres",
  available: POSTGRES_URL !== undefined,
  async fresh() {
    const url = POSTGRES_URL!;
    const schema = `accord_t${process.pid}_${Date.now().toString(36)}_${counter++}`;
    return {
      url,
      schema,
      open: (now) => openStore(url, { schema, ...(now ? { now } : {}) }),
      drop: () => dropSchema(url, schema),
    };
  },
};

export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The job queue keeps its tables in a schema beside the store's.
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_worker" CASCADE`);
  } finally {
    await client.end();
  }
}

export const BACKENDS = [sqliteBackend, postgresBackend];

// ---------------------------------------------------------------------------------------------

export const AGREEMENTS_YAML = `version: 1
teams:
  data-science:
    members: [alice, bob]
    name: Data Science
  platform:
    members: [carol, dave]
    name: Platform
agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams
    waivable_by: [platform]
    when:
      paths: ["pipelines/**"]
    require:
      approvals:
        - { team: data-science }
        - { team: platform }
  - id: no-pickles
    title: No pickled models in git
    require:
      forbidden: ["**/*.pkl"]
  - id: conventional-title
    title: Titles follow the convention
    mode: trial
    require:
      title: { pattern: "^(feat|fix|chore|docs): " }
  - id: notebooks-cleared
    title: Notebooks are committed without outputs
    when:
      paths: ["**/*.ipynb"]
    require:
      notebooks: { outputs: cleared }
`;

export function agreementsFrom(yaml: string): AgreementFile {
  const parsed = parseAgreements(yaml);
  if (!parsed.ok) throw new Error(`test agreement file is invalid:\n${parsed.problems.map(formatProblem).join("\n")}`);
  return parsed.file;
}

export const FILE = agreementsFrom(AGREEMENTS_YAML);

export const TEAM_MEMBERS = { "data-science": ["alice", "bob"], platform: ["carol", "dave"] };

export function changed(path: string, status: ChangedFile["status"] = "modified"): ChangedFile {
  return { path, status, additions: 3, deletions: 1 };
}

export function facts(overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    title: "feat: a change",
    body: "## What\nA change.\n",
    author: "alice",
    labels: [],
    draft: false,
    baseBranch: "main",
    files: [changed("src/app.py")],
    reviews: [],
    teamMembers: TEAM_MEMBERS,
    ...overrides,
  };
}

export const approved = (reviewer: string): Review => ({ reviewer, state: "APPROVED" });

export function evaluated(f: PullRequestFacts, waivers: Waiver[] = [], file: AgreementFile = FILE): Evaluation {
  return evaluate(file, f, { waivers });
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A fixed "now" for reports: 2026-03-01T00:00:00Z. */
export const NOW = Date.parse("2026-03-01T00:00:00Z");
