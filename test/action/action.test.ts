/**
 * The GitHub Action end to end, the way Actions runs it (issue 10, item 6): the committed bundle
 * started with GITHUB_EVENT_PATH, GITHUB_EVENT_NAME, GITHUB_REPOSITORY, GITHUB_API_URL,
 * GITHUB_GRAPHQL_URL and INPUT_* against the loopback fake GitHub, with real webhook payloads:
 * pull_request_target opened and synchronize, a review, an `/accord waive` comment. And the
 * bundle must be what the sources build today.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startStub } from "../../bench/github-stub.js";
import { BOT, type FakeGitHub } from "../fakes/fake-github.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, any>[] }[];
const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const dir = mkdtempSync(join(tmpdir(), "accord-action-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stub: Awaited<ReturnType<typeof startStub>>;
let fake: FakeGitHub;
beforeEach(async () => {
  stub = await startStub([{ owner: "acme", repo: "models", agreement: AGREEMENTS, files: [{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }] }]);
  fake = stub.fakes.get("acme")!;
});
afterEach(() => stub.close());

function example(name: string, action: string): Record<string, any> {
  const payload = structuredClone(examples.find((e) => e.name === name)!.examples.find((e) => e.action === action)!);
  payload.repository.name = "models";
  payload.repository.owner.login = "acme";
  payload.repository.full_name = "acme/models";
  delete payload.installation;
  if (payload.pull_request) {
    payload.pull_request.number = fake.pr.number;
    payload.pull_request.base.sha = fake.pr.baseSha;
    payload.pull_request.head.sha = fake.pr.headSha;
    payload.pull_request.state = "open";
    payload.pull_request.draft = false;
  }
  return payload;
}

let run = 0;
/** Runs the committed bundle as the Actions runner would, for one event. */
function runAction(eventName: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const eventPath = join(dir, `event-${++run}.json`);
  writeFileSync(eventPath, JSON.stringify(payload));
  const child = spawn(process.execPath, [join(root, "action", "index.mjs")], {
    env: {
      PATH: process.env.PATH!,
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: "acme/models",
      GITHUB_API_URL: stub.url,
      GITHUB_GRAPHQL_URL: `${stub.url}/graphql`,
      GITHUB_RUN_ID: String(1000 + run),
      GITHUB_RUN_ATTEMPT: "1",
      INPUT_TOKEN: "ghs_workflowtoken",
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

const latestRun = () => fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha).at(-1);

describe("the GitHub Action", () => {
  it("writes the same check run and comment as the app, and fails the step exactly when the verdict is a failure", async () => {
    const opened = await runAction("pull_request_target", example("pull_request", "opened"));
    expect(opened.code).toBe(1);
    expect(latestRun()).toMatchObject({ name: "Team agreements", status: "completed", conclusion: "failure" });
    expect(latestRun()!.output.title).toBe("Needs attention: No model binaries in git");
    expect(fake.comments.filter((c) => c.author === BOT)).toHaveLength(1);
    expect(opened.output).toMatch(/Accord's verdict: failure/);

    // carol (Platform) waives it with a comment: the verdict turns green and the step passes.
    const comment = fake.addUserComment("carol", "/accord waive no-binaries the 2 KB fixture is needed by the tests");
    const created = example("issue_comment", "created");
    created.issue.number = fake.pr.number;
    created.issue.pull_request = { url: "x" };
    created.comment.id = comment.id;
    created.comment.body = comment.body;
    created.comment.user.login = "carol";
    created.sender.login = "carol";
    created.sender.type = "User";
    const waived = await runAction("issue_comment", created);
    expect(waived.code).toBe(0);
    expect(latestRun()).toMatchObject({ conclusion: "success" });
    expect(fake.reactions).toContainEqual({ commentId: comment.id, content: "+1" });

    // A push: the waiver, kept in the comment without a database, still holds.
    fake.pr.headSha = "6".repeat(40);
    const pushed = await runAction("pull_request_target", { ...example("pull_request", "synchronize"), pull_request: { ...example("pull_request", "synchronize").pull_request, head: { sha: fake.pr.headSha } } });
    expect(pushed.code).toBe(0);
    expect(latestRun()).toMatchObject({ head_sha: fake.pr.headSha, conclusion: "success" });
    expect(fake.comments.filter((c) => c.author === BOT && c.body.includes("accord:summary"))).toHaveLength(1);
  }, 60_000);

  it("waits for reviews, and counts an approval from a review event", async () => {
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 2, deletions: 1 }]);
    const opened = await runAction("pull_request_target", example("pull_request", "opened"));
    expect(opened.code).toBe(0);
    expect(latestRun()).toMatchObject({ status: "in_progress" });
    fake.reviews = [
      { author: "bob", state: "APPROVED" },
      { author: "carol", state: "APPROVED" },
    ];
    const review = example("pull_request_review", "submitted");
    review.review.state = "approved";
    review.review.user.login = "carol";
    const reviewed = await runAction("pull_request_review", review);
    expect(reviewed.code).toBe(0);
    expect(latestRun()).toMatchObject({ status: "completed", conclusion: "success" });
  }, 60_000);

  it("re-checks from a relayed review on a fork's pull request (workflow_run), finding the PR from the head commit", async () => {
    fake.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
    const relayed = await runAction("workflow_run", {
      action: "completed",
      workflow_run: { name: "Accord review relay", conclusion: "success", head_sha: fake.pr.headSha, pull_requests: [] },
      repository: example("pull_request", "opened").repository,
    });
    expect(relayed.code).toBe(0);
    expect(fake.calls.some((c) => c.path.includes(`/commits/${fake.pr.headSha}/pulls`))).toBe(true);
    expect(latestRun()).toMatchObject({ conclusion: "success" });
  }, 60_000);

  it("names the permission to add when the token may not write check runs, and exits by the verdict", async () => {
    fake.failures.push({ match: /POST \/repos\/acme\/models\/check-runs/, status: 403, message: "Resource not accessible by integration" });
    fake.failures.push({ match: /POST \/repos\/acme\/models\/check-runs/, status: 403, message: "Resource not accessible by integration" });
    const failing = await runAction("pull_request_target", example("pull_request", "opened"));
    expect(failing.output).toMatch(/::error::The workflow's token may not do what Accord needs: add `checks: write` under `permissions:`/);
    expect(failing.code).toBe(1);
    fake.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
    fake.failures.push({ match: /POST \/repos\/acme\/models\/check-runs/, status: 403, message: "Resource not accessible by integration" });
    fake.failures.push({ match: /POST \/repos\/acme\/models\/check-runs/, status: 403, message: "Resource not accessible by integration" });
    const passing = await runAction("pull_request_target", example("pull_request", "opened"));
    expect(passing.output).toMatch(/add `checks: write`/);
    expect(passing.code).toBe(0);
  }, 60_000);

  it("starts in well under a second", async () => {
    const started = Date.now();
    const result = await runAction("push", { ref: "refs/heads/main" });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/nothing to do/);
    // Generous: the point is that nothing compiles or installs at start.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("the committed bundle", () => {
  it("is what the sources build today (run `npm run build:action` after changing them)", () => {
    const fresh = join(dir, "index.mjs");
    const script = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts["build:action"] as string;
    const args = script.replace(/^esbuild /, "").replace("--outfile=action/index.mjs", `--outfile=${fresh}`);
    execFileSync("sh", ["-c", `${join(root, "node_modules", ".bin", "esbuild")} ${args}`], { cwd: root, stdio: "pipe" });
    expect(readFileSync(fresh, "utf8") === readFileSync(join(root, "action", "index.mjs"), "utf8")).toBe(true);
  }, 60_000);
});
