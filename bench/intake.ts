/**
 * Durable intake at organisation scale (issue 9), measured as served: the built server in a
 * child process (SQLite default store, durable queue, recovery on) against a loopback GitHub
 * that signs and sends webhooks, keeps the delivery log and redelivers on request — beside a bare
 * Probot app (bare-server.ts) making the same reads and writes, in the same run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { DEFAULT_PR_SHAS, startStub, WebhookSender, type StubRepository } from "./github-stub.js";
import { ms, percentile } from "./stats.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const SECRET = "bench-secret";
const AGREEMENT = readFileSync(new URL("../../config/examples/minimal.yml", import.meta.url), "utf8");
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

const sleep = (msecs: number) => new Promise((resolve) => setTimeout(resolve, msecs));
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The built Accord server, or the bare app, as a child process talking to the stub. */
async function serve(kind: "accord" | "bare", stubUrl: string, dataDir: string, port?: number): Promise<Served> {
  const listen = port ?? (await freePort());
  const script = kind === "accord" ? join(here, "..", "src", "server.js") : join(here, "bare-server.js");
  const child = spawn(process.execPath, ["--optimize-for-size", script], {
    cwd: dataDir,
    stdio: ["ignore", process.env.ACCORD_BENCH_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
    env: {
      PATH: process.env.PATH!,
      APP_ID: "123",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(listen),
      HOST: "127.0.0.1",
      GHE_HOST: new URL(stubUrl).host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: (process.env.ACCORD_BENCH_LOG_LEVEL ?? "error") as "error",
      DATABASE_URL: `sqlite:${join(dataDir, "accord.db")}`,
    },
  });
  const url = `http://127.0.0.1:${listen}`;
  for (let i = 0; i < 400; i++) {
    if (await fetch(`${url}/ping`).then((r) => r.ok, () => false)) break;
    await sleep(25);
  }
  return {
    url: `${url}/api/github/webhooks`,
    child,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", () => resolve()), child.kill("SIGTERM")))),
  };
}

function repositories(count: number): StubRepository[] {
  return Array.from({ length: count }, (_, i) => ({ owner: `org${i}`, repo: "service", agreement: AGREEMENT, files: [{ filename: `src/mod${i}/a.py`, status: "modified", additions: 3, deletions: 1 }] }));
}

function opened(i: number, installation: number): Record<string, unknown> {
  return {
    action: "opened",
    number: 2,
    installation: { id: installation },
    repository: { id: 9000 + i, name: "service", owner: { login: `org${i}` }, full_name: `org${i}/service` },
    pull_request: { number: 2, state: "open", draft: false, title: "feat: x", user: { login: "alice" }, base: { sha: DEFAULT_PR_SHAS.base, ref: "main" }, head: { sha: DEFAULT_PR_SHAS.head } },
    sender: { login: "alice", type: "User" },
  };
}

interface Run {
  latencies: number[];
  answers: number[];
  lastVerdictMs: number;
}

/** Sends one `opened` per repository at once and waits for every check run. */
async function burst(kind: "accord" | "bare", count: number, installationOf: (i: number) => number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), `accord-bench-${kind}-`));
  let target = "";
  const sender = new WebhookSender(SECRET, () => target);
  const stub = await startStub(repositories(count), 0, sender);
  const served = await serve(kind, stub.url, dataDir);
  target = served.url;
  try {
    const startedWall = Date.now();
    const sentAt: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        sentAt[i] = Date.now();
        const t = performance.now();
        await sender.send("pull_request", opened(i, installationOf(i)), `${kind}-${i}-${Date.now()}`);
        return performance.now() - t;
      }),
    );
    const verdict = (i: number) => stub.fakes.get(`org${i}`)!.checkRuns[0]?.at;
    for (let tries = 0; tries < 24_000 && !Array.from({ length: count }, (_, i) => verdict(i)).every(Boolean); tries++) await sleep(25);
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !verdict(i));
    if (missing.length > 0) console.error(`${kind}: no check run for ${missing.length} of ${count} pull requests (e.g. org${missing[0]}: ${stub.fakes.get(`org${missing[0]}`)!.calls.map((c) => c.operation ?? c.method).join(", ") || "no calls"})`);
    const latencies = Array.from({ length: count }, (_, i) => (verdict(i) ?? Number.NaN) - sentAt[i]!);
    return { latencies, answers, lastVerdictMs: Math.max(...Array.from({ length: count }, (_, i) => verdict(i) ?? Number.NaN)) - startedWall };
  } finally {
    await served.stop();
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function intakeOneInstallation(print: (line: string) => void, count = 60): Promise<void> {
  const run = await burst("accord", count, () => 77);
  print(`Accord last check run after ${ms(run.lastVerdictMs)}; webhook answer p99 ${ms(percentile(run.answers, 99))}`);
}

export async function intakeLatency(print: (line: string) => void): Promise<void> {
  print("Webhook → check run, as served (HTTP webhooks, Probot's throttling on, Accord with its durable queue on SQLite)");
  print("  40 PRs on 40 installations, all at once:");
  const bare = await burst("bare", 40, (i) => 1000 + i);
  const accord = await burst("accord", 40, (i) => 1000 + i);
  for (const [label, run] of [["bare Probot app", bare], ["Accord", accord]] as const) {
    print(`    ${label.padEnd(18)} p50 ${ms(percentile(run.latencies, 50)).padStart(9)}   p95 ${ms(percentile(run.latencies, 95)).padStart(9)}   webhook answer p99 ${ms(percentile(run.answers, 99))}`);
  }
  print(`    ratio p95 Accord / bare: ${(percentile(accord.latencies, 95) / percentile(bare.latencies, 95)).toFixed(2)} (target ≤ 1.5)`);

  print("  60 PRs opened at once in one installation:");
  const bareOne = await burst("bare", 60, () => 77);
  const accordOne = await burst("accord", 60, () => 77);
  for (const [label, run] of [["bare Probot app", bareOne], ["Accord", accordOne]] as const) {
    print(`    ${label.padEnd(18)} last check run after ${ms(run.lastVerdictMs).padStart(9)}   webhook answer p99 ${ms(percentile(run.answers, 99))}`);
  }
  print(`    ratio Accord / bare: ${(accordOne.lastVerdictMs / bareOne.lastVerdictMs).toFixed(2)} (target ≤ 1.5); Accord's webhook answer p99 ${ms(percentile(accordOne.answers, 99))} (target ≤ 1 s)`);
}

/** SIGKILL mid-run and restart; then deliveries made while the app was down, with nothing resent by the bench. */
export async function intakeDurability(print: (line: string) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-crash-"));
  let target = "";
  const sender = new WebhookSender(SECRET, () => target);
  const stub = await startStub(repositories(50), 0, sender);
  const port = await freePort();
  const verdicts = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => stub.fakes.get(`org${from + k}`)!.checkRuns.length > 0).filter(Boolean).length;
  try {
    let served = await serve("accord", stub.url, dataDir, port);
    target = served.url;
    await Promise.all(Array.from({ length: 40 }, (_, i) => sender.send("pull_request", opened(i, 1000 + i), `crash-${i}`)));
    while (verdicts(0, 40) < 10) await sleep(5);
    const atKill = verdicts(0, 40);
    served.child.kill("SIGKILL");
    await new Promise((resolve) => served.child.once("exit", resolve));
    const restartedAt = performance.now();
    served = await serve("accord", stub.url, dataDir, port);
    for (let i = 0; i < 12_000 && verdicts(0, 40) < 40; i++) await sleep(25);
    print(`Crash: 40 deliveries, SIGKILL after ${atKill} verdicts, restart: ${verdicts(0, 40)} of 40 verdicts, ${ms(performance.now() - restartedAt)} after the restart (target 40 of 40)`);

    // Down: GitHub's attempts fail and land in the delivery log; nothing is resent by this bench.
    await served.stop();
    await Promise.all(Array.from({ length: 10 }, (_, k) => sender.send("pull_request", opened(40 + k, 1040 + k), `missed-${k}`)));
    const failed = sender.log.filter((attempt) => attempt.guid.startsWith("missed-") && attempt.status_code === 0).length;
    const started = performance.now();
    served = await serve("accord", stub.url, dataDir, port);
    for (let i = 0; i < 8_000 && verdicts(40, 50) < 10; i++) await sleep(25);
    print(`Missed deliveries: ${failed} failed while the app was down; ${verdicts(40, 50)} of 10 verdicts ${ms(performance.now() - started)} after its restart, through the delivery log (target 10 of 10 within 3 minutes)`);
    await served.stop();
  } finally {
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
