/**
 * The GitHub App's economy and speed (issue 3): API calls per event, webhook → check-run
 * latency beside a bare Probot app, and memory after 10,000 events — all against a loopback
 * GitHub that answers at once.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Probot, ProbotOctokit } from "probot";
import { accordApp } from "../src/github/app.js";
import { GitHubCaches } from "../src/github/gather.js";
import { createReviewerSuggester } from "../src/github/suggest.js";
import { FakeGitHub } from "../test/fakes/fake-github.js";
import { startStub, type StubRepository } from "./github-stub.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const MONOREPO = readFileSync(new URL("../../config/examples/monorepo.yml", import.meta.url), "utf8");
const QuietOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));

function hundredFiles(): StubRepository["files"] {
  return Array.from({ length: 100 }, (_, i) => ({ filename: `${["pipelines", "infra", "src", "docs"][i % 4]}/mod${i % 9}/file${i}.${i % 4 === 3 ? "md" : "py"}`, status: "modified", additions: 3, deletions: 1 }));
}

let deliveryCounter = 0;
async function deliver(probot: Probot, name: string, payload: Record<string, unknown>): Promise<void> {
  await probot.receive({ id: `bench-${++deliveryCounter}`, name, payload } as never);
}

/** The pull request a payload points at: the fake's own, unless the fake lives in another process. */
interface PullRequestPoint {
  repo: string;
  pr: { number: number; baseSha: string; headSha: string; author: string };
}

/** Every stub repository starts with FakeGitHub's default pull request. */
const DEFAULT_PR: PullRequestPoint["pr"] = new FakeGitHub().pr;

function pullRequestPayload(action: string, owner: string, installation: number, target: PullRequestPoint): Record<string, unknown> {
  return {
    action,
    number: target.pr.number,
    installation: { id: installation },
    repository: { name: target.repo, owner: { login: owner }, full_name: `${owner}/${target.repo}` },
    pull_request: { number: target.pr.number, state: "open", draft: false, base: { sha: target.pr.baseSha, ref: "main" }, head: { sha: target.pr.headSha } },
    sender: { login: target.pr.author, type: "User" },
  };
}

function setSizes(fake: FakeGitHub, sha: string): void {
  for (const file of fake.files) fake.blobs.set(`${sha}:${file.filename}`, { size: 2048 });
}

export async function callsPerEvent(print: (line: string) => void): Promise<void> {
  const stub = await startStub([{ owner: "acme", repo: "models", agreement: MONOREPO, files: hundredFiles(), teams: { "data-science": ["alice", "bob", "erin"], platform: ["carol", "dave", "frank"] } }]);
  try {
    const fake = stub.fakes.get("acme")!;
    fake.pr.baseRef = "main";
    fake.pr.title = "feat: retrain the ranking pipeline";
    fake.pr.body = "## What\nRetrains the ranking model with the new features.\n## How\nRan the pipeline on staging and compared metrics.\n- [x] tests";
    setSizes(fake, fake.pr.headSha);
    const probot = new Probot({ githubToken: "bench", baseUrl: stub.url, Octokit: QuietOctokit, logLevel: "fatal" });
    await probot.load(accordApp({ appId: fake.appId, caches: new GitHubCaches(), suggest: createReviewerSuggester() }));
    const measure = async (label: string, target: string, action: string, prepare?: () => void) => {
      prepare?.();
      const mark = fake.calls.length;
      await deliver(probot, "pull_request", pullRequestPayload(action, "acme", 1, fake));
      const calls = fake.callsSince(mark);
      const writes = calls.filter((c) => c.method !== "GET" && c.path !== "/graphql").length;
      print(`  ${label.padEnd(42)} ${String(calls.length).padStart(2)} calls (${calls.length - writes} reads, ${writes} writes; target ${target})`);
    };
    print("GitHub API calls per event, 100-file PR, monorepo example (teams from GitHub, suggestions, requests), token minting excluded");
    await measure("opened, cold caches", "≤ 8", "opened");
    await measure("labeled, warm, nothing visible changes", "≤ 2", "labeled");
    await measure("synchronize, warm, result unchanged", "≤ 2", "synchronize", () => {
      fake.pr.headSha = "1".repeat(40);
      setSizes(fake, fake.pr.headSha);
    });
    await measure("synchronize, warm, result changed", "≤ 4", "synchronize", () => {
      // The push makes a changed file too large: the verdict and the comment change.
      fake.pr.headSha = "2".repeat(40);
      setSizes(fake, fake.pr.headSha);
      fake.blobs.set(`${fake.pr.headSha}:${fake.files[0]!.filename}`, { size: 6 * 2 ** 20 });
    });
    await measure("synchronize, a new file in a new folder", "(no target)", "synchronize", () => {
      // New paths: their sizes and their folder's review history are read once, then cached.
      fake.pr.headSha = "3".repeat(40);
      fake.setFiles([...fake.files.slice(1), { filename: "models/ranker.pkl", status: "added", additions: 0, deletions: 0 }]);
      setSizes(fake, fake.pr.headSha);
    });
  } finally {
    await stub.close();
  }
}

/** A child process serving the loopback GitHub, so its memory and CPU are not the app's. */
async function childStub(repositories: StubRepository[]): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(`${here}github-stub.js`, ["--child"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message: { url: string }) => resolve(message.url));
    child.once("error", reject);
    child.send({ repositories });
  });
  return { url, child };
}

/**
 * Memory bounded by size, not by count (issue 8): 2,000 events on PRs of 1,000–3,000 files over
 * 400 repositories, so the file-list and content caches fill and must evict by bytes.
 */
export async function memoryLargePullRequests(print: (line: string) => void): Promise<void> {
  const repositories: StubRepository[] = Array.from({ length: 400 }, (_, i) => ({ owner: `big${i}`, repo: "mono", agreement: MONOREPO, files: [], fileCount: 1000 + (i % 3) * 1000, teams: { "data-science": ["alice", "bob"], platform: ["carol", "dave"] } }));
  const { url, child } = await childStub(repositories);
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const caches = new GitHubCaches();
    const probot = new Probot({ githubToken: "bench", baseUrl: url, Octokit: QuietOctokit, logLevel: "fatal" });
    await probot.load(accordApp({ appId: 123, caches }));
    gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const start = performance.now();
    const events = 2_000;
    const inFlight = 20;
    for (let batch = 0; batch < events; batch += inFlight) {
      await Promise.all(
        Array.from({ length: inFlight }, (_, j) => {
          const repo = (batch + j) % repositories.length;
          return deliver(probot, "pull_request", pullRequestPayload(batch < repositories.length ? "opened" : "synchronize", `big${repo}`, 7000 + repo, { repo: "mono", pr: DEFAULT_PR }));
        }),
      );
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - start) / 1000;
    gc?.();
    const after = process.memoryUsage();
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    print(`Memory, large PRs: ${events.toLocaleString("en")} events on PRs of 1,000–3,000 files over ${repositories.length} repositories in ${seconds.toFixed(1)} s`);
    print(`  RSS before ${mb(before)}, after ${mb(after.rss)}, peak ${mb(peak)} (target ≤ 200 MB); heap used ${mb(after.heapUsed)}${gc ? "" : " — run with --expose-gc for a settled figure"}`);
    print(`  caches (estimated): file lists ${mb(caches.fileLists.bytes)} in ${caches.fileLists.size} lists, contents ${mb(caches.blobs.bytes)}, agreement texts ${mb(caches.agreementAtSha.bytes)}`);
  } finally {
    child.kill();
  }
}

export async function memory(print: (line: string) => void): Promise<void> {
  const repositories: StubRepository[] = Array.from({ length: 200 }, (_, i) => ({ owner: `team${i}`, repo: "app", agreement: MONOREPO, files: hundredFiles().slice(0, 30), teams: { "data-science": ["alice", "bob"], platform: ["carol", "dave"] } }));
  const { url, child } = await childStub(repositories);
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const probot = new Probot({ githubToken: "bench", baseUrl: url, Octokit: QuietOctokit, logLevel: "fatal" });
    await probot.load(accordApp({ appId: 123, caches: new GitHubCaches(), suggest: createReviewerSuggester() }));
    gc?.();
    const before = process.memoryUsage().rss;
    const start = performance.now();
    const events = 10_000;
    const inFlight = Number(process.env.ACCORD_BENCH_IN_FLIGHT ?? 50);
    for (let batch = 0; batch < events; batch += inFlight) {
      await Promise.all(
        Array.from({ length: inFlight }, (_, j) => {
          const repo = (batch + j) % 200;
          return deliver(probot, "pull_request", pullRequestPayload(batch === 0 ? "opened" : "labeled", `team${repo}`, 5000 + repo, { repo: "app", pr: DEFAULT_PR }));
        }),
      );
      if (process.env.ACCORD_BENCH_TRACE && batch % 2000 < inFlight) {
        gc?.();
        console.error(`after ${batch} events: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`);
      }
    }
    const seconds = (performance.now() - start) / 1000;
    gc?.();
    const after = process.memoryUsage();
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    print(`Memory: ${events.toLocaleString("en")} events over 200 repositories in ${seconds.toFixed(1)} s`);
    print(`  RSS before ${mb(before)}, after ${mb(after.rss)} (target ≤ 150 MB); heap used ${mb(after.heapUsed)} of ${mb(after.heapTotal)}, external ${mb(after.external)}${gc ? "" : " — run with --expose-gc for a settled figure"}`);
  } finally {
    child.kill();
  }
}

/** Node flags `npm start` runs the server with (package.json): V8 keeps a heap near the live set. */
export const SERVER_NODE_FLAGS = ["--optimize-for-size"];

/** Runs `memory` (or the large-PR variant) in a child process started as the server is, so the figure is the deployed one. */
export async function memoryAsServed(print: (line: string) => void, variant: "--memory-child" | "--memory-large-child" = "--memory-child"): Promise<void> {
  const child = fork(`${here}main.js`, [variant], { execArgv: ["--expose-gc", ...SERVER_NODE_FLAGS], stdio: ["ignore", "pipe", "inherit", "ipc"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await new Promise((resolve) => child.once("exit", resolve));
  for (const line of output.trimEnd().split("\n")) print(line);
  print(`  (server flags: ${SERVER_NODE_FLAGS.join(" ")}; without them V8 keeps about 230 MB RSS for the same 26 MB of live heap)`);
}
