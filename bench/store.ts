/**
 * The friction store: the overhead of recording one evaluation, and the report over 1,000,000
 * generated evaluations (target ≤ 300 ms on SQLite). PostgreSQL too when ACCORD_TEST_POSTGRES_URL is set.
 * Figures are printed, never asserted.
 *
 * The history: one repository, ~100,000 pull requests over 365 days, 4–16 evaluations each
 * (1,000,000 in all), 8 agreements of the usual kinds, review requests, reviews and waivers.
 * It is bulk-loaded in one transaction through the store's own roll-up code.
 */
import { statSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { conclude } from "../src/engine/outcome.js";
import type { PullRequestFacts } from "../src/engine/facts.js";
import type { AgreementResult, Evaluation, Outcome } from "../src/engine/result.js";
import { buildReport } from "../src/report/build.js";
import { renderReport } from "../src/report/render.js";
import type { HistoryLoader } from "../src/store/bulk.js";
import { openStore, type SqlStore } from "../src/store/index.js";
import { median, ms, percentile } from "./stats.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const BENCH_REPO = "bench/monorepo";
const REPO = BENCH_REPO;
const TARGET_EVALUATIONS = 1_000_000;
const TEAM_MEMBERS = { "data-science": ["ds1", "ds2", "ds3", "ds4"], platform: ["pf1", "pf2", "pf3"] };
const DIRS = Array.from({ length: 40 }, (_, i) => `${["pipelines", "models", "services", "notebooks", "src"][i % 5]}/area${i}`);

/** A small seeded generator, so every run loads the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  id: string;
  title: string;
  severity: "required" | "advisory";
  mode: "enforce" | "trial";
  /** Share of PRs it applies to, and of those where it starts unmet. */
  applies: number;
  unmet: number;
  /** Of the unmet, the share that ends waived rather than met. */
  waived: number;
  waiting?: boolean;
}

const SPECS: Spec[] = [
  { id: "pipelines-both-teams", title: "Pipeline changes are reviewed by both teams", severity: "required", mode: "enforce", applies: 0.3, unmet: 1, waived: 0.08, waiting: true },
  { id: "no-pickles", title: "No pickled models in git", severity: "required", mode: "enforce", applies: 1, unmet: 0.03, waived: 0.5 },
  { id: "small-changes", title: "Changes stay reviewable", severity: "advisory", mode: "enforce", applies: 1, unmet: 0.15, waived: 0.05 },
  { id: "conventional-title", title: "Titles follow the convention", severity: "required", mode: "trial", applies: 1, unmet: 0.2, waived: 0 },
  { id: "description-sections", title: "Descriptions say what and how", severity: "required", mode: "enforce", applies: 1, unmet: 0.1, waived: 0.2 },
  { id: "notebooks-cleared", title: "Notebooks are committed without outputs", severity: "required", mode: "enforce", applies: 0.1, unmet: 0.3, waived: 0.1 },
  { id: "model-card", title: "Models ship with a model card", severity: "required", mode: "enforce", applies: 0.05, unmet: 0, waived: 0 },
  { id: "legacy-infra", title: "Legacy infra changes need platform", severity: "required", mode: "enforce", applies: 0, unmet: 0, waived: 0 },
];

const REASONS = ["Hotfix for the release", "Release blocker", "Generated file", "Reviewed offline", "Vendored code"];

function result(spec: Spec, outcome: Outcome, unwaived: Outcome, scope: string[], pendingTeams: string[]): AgreementResult {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    mode: spec.mode,
    outcome,
    unwaivedOutcome: unwaived,
    requirements:
      pendingTeams.length > 0
        ? [
            {
              kind: "approvals",
              outcome: "waiting",
              message: "",
              files: [],
              annotations: [],
              pending: pendingTeams.map((team) => ({ team, teamName: team === "platform" ? "Platform" : "Data Science", needed: 1, have: 0 })),
            },
          ]
        : [],
    implicit: false,
    scope,
  };
}

/** Generates the history PR by PR into the loader; returns the number of evaluations. */
export async function generateHistory(loader: HistoryLoader, now: number, target = TARGET_EVALUATIONS, repos: readonly string[] = [REPO]): Promise<number> {
  const rand = random(42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const start = now - 365 * DAY;
  let evaluations = 0;
  let serial = 0;
  while (evaluations < target) {
    serial += 1;
    // Pull requests take turns among the repositories; each repository numbers its own from 1.
    const repo = repos[(serial - 1) % repos.length]!;
    const number = Math.ceil(serial / repos.length);
    const count = Math.min(target - evaluations, 4 + Math.floor(rand() * 13));
    // Pull requests open in time order, as a live store fills up (a little jitter, never backwards by much).
    const opened = start + Math.floor((evaluations / target) * (365 * DAY - 20 * DAY) + rand() * 6 * HOUR);
    const author = rand() < 0.6 ? pick(TEAM_MEMBERS["data-science"]) : pick(TEAM_MEMBERS.platform);
    const dirs = [pick(DIRS), pick(DIRS)];
    const scope = [`${dirs[0]}/a.py`, `${dirs[1]}/b.py`];
    await loader.pullRequestEvent({ repo, number, kind: "opened", at: opened, author, title: `feat: change ${number}` });

    // Per agreement: does it apply, is it unmet at first, when does that end, and how.
    const plans = SPECS.map((spec) => {
      const applies = rand() < spec.applies;
      const unmet = applies && rand() < spec.unmet;
      const resolvedAt = unmet ? 1 + Math.floor(rand() * (count - 1)) : 0;
      const waived = unmet && rand() < spec.waived;
      return { spec, applies, unmet, resolvedAt, waived };
    });
    let at = opened;
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      at += Math.floor((0.5 + rand() * 11.5) * HOUR);
      times.push(at);
    }
    const pipelines = plans[0]!;
    if (pipelines.applies) {
      const requested = times[0]! + HOUR;
      await loader.reviewRequest({ repo, number, requester: author, reviewer: pick(TEAM_MEMBERS.platform), reviewerTeams: ["platform"], suggestionRank: 1, at: requested });
      const reviewedAt = Math.min(times[pipelines.resolvedAt]!, requested + Math.floor(rand() * 72 * HOUR));
      await loader.review({ repo, number, reviewer: pick(TEAM_MEMBERS.platform), state: "APPROVED", reviewerTeams: ["platform"], at: reviewedAt });
      await loader.review({ repo, number, reviewer: pick(TEAM_MEMBERS["data-science"]), state: "APPROVED", reviewerTeams: ["data-science"], at: times[pipelines.resolvedAt]! });
    }
    for (const plan of plans) {
      if (plan.waived) {
        await loader.waiver({ repo, number, agreementId: plan.spec.id, by: pick(TEAM_MEMBERS.platform), reason: pick(REASONS), at: times[plan.resolvedAt]! - 1 });
      }
    }
    const facts: PullRequestFacts = {
      title: `feat: change ${number}`,
      body: "## What\nA change.\n## How\nTests.\n",
      author,
      labels: [],
      draft: false,
      baseBranch: "main",
      files: scope.map((path) => ({ path, status: "modified", additions: 12, deletions: 3 })),
      reviews: [],
      teamMembers: TEAM_MEMBERS,
    };
    for (let i = 0; i < count; i++) {
      const agreements = plans.map((plan) => {
        if (!plan.applies) return result(plan.spec, "skipped", "skipped", [], []);
        const stillUnmet = plan.unmet && i < plan.resolvedAt;
        const unwaived: Outcome = plan.unmet && (stillUnmet || plan.waived) ? (plan.spec.waiting ? "waiting" : "fail") : "pass";
        const outcome: Outcome = unwaived !== "pass" && plan.waived && i >= plan.resolvedAt ? "waived" : unwaived;
        const pending = unwaived === "waiting" && outcome === "waiting" ? ["platform", "data-science"] : [];
        return result(plan.spec, outcome, unwaived, scope, pending);
      });
      const evaluation: Evaluation = { conclusion: conclude(agreements), agreements };
      await loader.evaluation({
        repo,
        number,
        headSha: (number * 31 + i).toString(16).padStart(40, "0"),
        at: times[i]!,
        evaluation,
        ...(i === 0 || i === count - 1 ? { facts } : {}),
      });
    }
    await loader.pullRequestEvent({ repo, number, kind: rand() < 0.85 ? "merged" : "closed", at: times[count - 1]! + HOUR });
    await loader.finishPullRequest(repo, number);
    evaluations += count;
  }
  return evaluations;
}

async function timeAsync(runs: number, fn: () => Promise<unknown>, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const begin = performance.now();
    await fn();
    times.push(performance.now() - begin);
  }
  return times;
}

const us = (milliseconds: number) => `${Math.round(milliseconds * 1000).toLocaleString("en")} µs`;

async function benchOne(label: string, store: SqlStore, print: (line: string) => void, sizeOf?: () => string): Promise<void> {
  const now = Date.now();
  const loadStart = performance.now();
  let loaded = 0;
  await store.importHistory(async (loader) => {
    loaded = await generateHistory(loader, now);
  });
  const loadSeconds = (performance.now() - loadStart) / 1000;
  print(`${label}: ${loaded.toLocaleString("en")} generated evaluations loaded in ${loadSeconds.toFixed(1)} s (one transaction)${sizeOf ? `, ${sizeOf()}` : ""}`);

  const report = async (days: number) => {
    const window = { since: new Date(now - days * DAY), until: new Date(now) };
    return renderReport(buildReport(await store.reportData(REPO, window)), "markdown");
  };
  for (const days of [30, 90, 365]) {
    const times = await timeAsync(days === 365 ? 3 : 7, () => report(days), 1);
    const note = days === 30 ? " (default window; target ≤ 300 ms)" : days === 365 ? " (every evaluation in the window)" : "";
    print(`  report, last ${days} days   median ${ms(median(times))} over ${times.length} runs${note}`);
  }

  // The live path, on top of the million: one evaluation with facts and a delivery id, as the app records it.
  const rand = random(7);
  const facts: PullRequestFacts = {
    title: "feat: live",
    body: "## What\nx\n## How\ny\n",
    author: "ds1",
    labels: [],
    draft: false,
    baseBranch: "main",
    files: [{ path: "pipelines/area0/run.py", status: "modified", additions: 4, deletions: 1 }],
    reviews: [],
    teamMembers: TEAM_MEMBERS,
  };
  let n = 0;
  const record = async () => {
    n += 1;
    const number = 1_000_000 + Math.floor(rand() * 200);
    const agreements = SPECS.map((spec, i) =>
      i === 0 ? result(spec, "waiting", "waiting", ["pipelines/area0/run.py"], ["platform"]) : result(spec, "pass", "pass", ["pipelines/area0/run.py"], []),
    );
    await store.recordEvaluation({
      repo: REPO,
      number,
      headSha: n.toString(16).padStart(40, "0"),
      deliveryId: `bench-${label}-${n}`,
      evaluation: { conclusion: conclude(agreements), agreements },
      facts,
    });
  };
  const recordTimes = await timeAsync(400, record, 20);
  print(`  record one evaluation      median ${us(median(recordTimes))}, p90 ${us(percentile(recordTimes, 90))} (${recordTimes.length} runs: 8 agreements, facts, delivery id)`);
  let d = 0;
  const claimTimes = await timeAsync(400, () => store.claimDelivery(`claim-${label}-${d++}`), 20);
  print(`  claim a delivery           median ${us(median(claimTimes))}`);
  const lockedTimes = await timeAsync(200, () => store.withPullRequestLock(REPO, 1_000_001, record), 10);
  print(`  lock + record              median ${us(median(lockedTimes))}`);
}

export async function benchStore(print: (line: string) => void): Promise<void> {
  print("store: the friction record");
  const dir = mkdtempSync(join(tmpdir(), "accord-bench-store-"));
  const path = join(dir, "accord.db");
  try {
    const store = await openStore(`sqlite:${path}`);
    try {
      await benchOne("SQLite", store, print, () => `${Math.round(statSync(path).size / 1024 / 1024)} MB on disk`);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const url = process.env.ACCORD_TEST_POSTGRES_URL;
  if (!url) {
    print("PostgreSQL: skipped (set ACCORD_TEST_POSTGRES_URL, e.g. `. .ci/postgres.sh && start_postgres`)");
    return;
  }
  const schema = `accord_bench_${process.pid}`;
  const store = await openStore(url, { schema });
  try {
    await benchOne("PostgreSQL", store, print);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
