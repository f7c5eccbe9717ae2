/**
 * The dashboard on a big record (issue 11): 200 repositories and 1,000,000 evaluations, each view
 * rendered on the server as a person who can read every repository — on SQLite, and on
 * PostgreSQL when ACCORD_BENCH_POSTGRES_URL (or ACCORD_TEST_POSTGRES_URL) names one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { dashboardHandler, sessionCookieFor } from "../src/dashboard/dashboard.js";
import { openStore, type SqlStore } from "../src/store/index.js";
import { median, ms } from "./stats.js";
import { generateHistory } from "./store.js";

const REPOSITORIES = Array.from({ length: 200 }, (_, i) => `bigorg/service-${String(i).padStart(3, "0")}`);
const SECRET = "bench-dashboard-secret";

/** One GET through the handler, as the server would pass it; the page's status and size. */
async function render(handler: ReturnType<typeof dashboardHandler>, path: string): Promise<{ status: number; bytes: number }> {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  req.url = path;
  req.headers = { host: "bench.local", cookie: sessionCookieFor(SECRET, "reader", "bench-token") };
  const res = new ServerResponse(req);
  let bytes = 0;
  res.write = ((chunk: string | Buffer) => ((bytes += chunk.length), true)) as typeof res.write;
  const end = res.end.bind(res);
  res.end = ((chunk?: string | Buffer) => {
    if (chunk) bytes += chunk.length;
    return end();
  }) as typeof res.end;
  await handler(req, res);
  return { status: res.statusCode, bytes };
}

async function benchOn(label: string, store: SqlStore, print: (line: string) => void): Promise<void> {
  const now = Date.now();
  const started = performance.now();
  let loaded = 0;
  await store.importHistory(async (loader) => {
    loaded = await generateHistory(loader, now, 1_000_000, REPOSITORIES);
  });
  print(`${label}: ${loaded.toLocaleString("en")} evaluations over ${REPOSITORIES.length} repositories loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const readable = new Set(REPOSITORIES);
  const handler = dashboardHandler({
    store,
    endpoints: { web: "https://github.com", api: "https://api.github.com" },
    sessionSecret: SECRET,
    users: { authorizeUrl: () => "", exchange: async () => ({ error: "unused" }), login: async () => "reader", readable: async () => readable },
  });
  for (const [name, path] of [
    ["organisation (200 repositories)", "/dashboard/bigorg?since=30d"],
    ["repository", "/dashboard/bigorg/service-007?since=30d"],
    ["agreement", "/dashboard/bigorg/service-007/agreements/pipelines-both-teams?since=30d"],
    ["organisation, 90 days", "/dashboard/bigorg?since=90d"],
    ["repository, 365 days", "/dashboard/bigorg/service-007?since=365d"],
  ] as const) {
    const first = await render(handler, path);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await render(handler, path);
      times.push(performance.now() - t);
    }
    print(`  ${name.padEnd(34)} median ${ms(median(times)).padStart(9)} (HTTP ${first.status}, ${Math.round(first.bytes / 1024)} KB; target ≤ 300 ms)`);
  }
}

export async function benchDashboard(print: (line: string) => void): Promise<void> {
  print("dashboard: each view rendered on the server, 200 repositories, 1,000,000 evaluations");
  const dir = mkdtempSync(join(tmpdir(), "accord-bench-dashboard-"));
  try {
    const sqlite = await openStore(`sqlite:${join(dir, "accord.db")}`);
    try {
      await benchOn("SQLite", sqlite, print);
    } finally {
      await sqlite.close();
    }
    const url = process.env.ACCORD_BENCH_POSTGRES_URL ?? process.env.ACCORD_TEST_POSTGRES_URL;
    if (!url) {
      print("PostgreSQL: skipped (set ACCORD_BENCH_POSTGRES_URL)");
      return;
    }
    const schema = `accord_bench_dashboard_${process.pid}`;
    const postgres = await openStore(url, { schema });
    try {
      await benchOn("PostgreSQL", postgres, print);
    } finally {
      await postgres.database.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await postgres.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
