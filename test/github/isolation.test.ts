/**
 * Failures stay where they happen (issue 8, SPEC §2 "The verdict is the last word"): side features
 * fail on their own, a delivery that failed is handled when it comes again, and "Re-run" works on
 * a fork's check run, which names no pull request.
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { SqlStore } from "../../src/store/index.js";
import type { SuggestionRequest } from "../../src/github/refresh.js";
import { useFakeGitHub, useTempStore } from "../helpers/app-setup.js";
import type { FakeGitHub } from "../helpers/fake-github.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const WEEKLY = AGREEMENTS.replace("agreements:", "settings:\n  report: weekly\nagreements:");

const fakeGitHub = useFakeGitHub(AGREEMENTS, [{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
let fake: FakeGitHub;
const tempStore = useTempStore();
let store: SqlStore;
beforeEach(() => {
  fake = fakeGitHub();
  store = tempStore();
});

const runs = () => fake.checkRuns.filter((run) => run.head_sha === fake.pr.headSha);

describe("side features never overwrite a verdict", () => {
  it("leaves the successful check run alone when the health-issue search answers 403", async () => {
    // Fails on the code before this change: a second, failing check run followed the successful one.
    fake.setAgreement(WEEKLY);
    fake.failures.push({ match: /POST \/graphql AccordHealthIssue/, status: 403, message: "Resource not accessible by integration" });
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ status: "completed", conclusion: "success" });
    expect(fake.issues).toEqual([]);
  });

  it("writes the verdict with a note when reviewer suggestions fail", async () => {
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 3, deletions: 1 }]);
    const suggest = async (_request: SuggestionRequest): Promise<never> => {
      throw Object.assign(new Error("Forbidden"), { status: 403 });
    };
    const { probot } = createTestApp(fake, { store, suggest });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ status: "in_progress" });
    expect(runs()[0]!.output.title).toBe("Waiting for reviews from Data Science and Platform");
    expect(runs()[0]!.output.summary).toMatch(/Reviewer suggestions are not available this time \(GitHub is rate-limiting this installation \(HTTP 403\)\); the agreements were checked as usual\./);
  });

  it("previews an amendment without the replay when the record cannot be read, and says so", async () => {
    fake.setFiles([{ filename: ".github/agreements.yml", status: "modified", additions: 1, deletions: 0 }]);
    fake.setAgreement(AGREEMENTS.replace('forbidden: ["**/*.pkl"]', 'forbidden: ["**/*.pkl", "**/*.onnx"]'), fake.pr.headSha);
    const broken = Object.assign(Object.create(store) as SqlStore, {
      recentPullRequestFacts: async () => {
        throw new Error("connection reset");
      },
    });
    const { probot } = createTestApp(fake, { store: broken });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    const summary = runs()[0]!.output.summary;
    expect(summary).toMatch(/If it were in force, this PR would stand at/);
    expect(summary).toMatch(/The replay over recent pull requests is not available this time \(connection reset\)\./);
  });
});

describe("a delivery that failed is handled when it comes again", () => {
  it("processes GitHub's redelivery of the same X-GitHub-Delivery after a failed attempt (with and without a record)", async () => {
    // Fails on the code before this change: the in-memory dedupe entry stayed, and the redelivery made 0 calls.
    for (const withStore of [false, true]) {
      fake.checkRuns = [];
      fake.failures.push({ match: /POST \/graphql AccordPullRequest/, status: 502 });
      const { probot } = createTestApp(fake, withStore ? { store } : {});
      const payload = examplePayload("pull_request", "opened", fake);
      await expect(deliver(probot, "pull_request", payload, `redelivered-${withStore}`)).rejects.toThrow();
      expect(runs().at(-1)!.output.title).toBe("Could not check the agreements this time");
      const mark = fake.calls.length;
      await deliver(probot, "pull_request", payload, `redelivered-${withStore}`);
      expect(fake.callsSince(mark).length).toBeGreaterThan(0);
      expect(runs().at(-1)).toMatchObject({ conclusion: "success" });
      // Once it succeeded, the same delivery again is a duplicate: nothing more.
      const done = fake.calls.length;
      await deliver(probot, "pull_request", payload, `redelivered-${withStore}`);
      expect(fake.calls.length).toBe(done);
    }
  });
});

describe("Re-run on a fork's check run", () => {
  const rerequested = () => {
    const payload = examplePayload("check_run", "rerequested", fake);
    payload.check_run.app.id = fake.appId;
    payload.check_run.head_sha = fake.pr.headSha;
    payload.check_run.pull_requests = [];
    return payload;
  };

  it("finds the pull request from the head SHA in the record", async () => {
    // Fails on the code before this change: an empty pull_requests list was ignored.
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    fake.checkRuns = [];
    await deliver(probot, "check_run", rerequested());
    expect(runs()).toHaveLength(1);
    expect(fake.calls.some((call) => call.path.includes("/pulls?") || /\/commits\/\w+\/pulls/.test(call.path))).toBe(false);
  });

  it("asks GitHub for the pull request at that commit when the record has not seen it", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "check_run", rerequested());
    expect(fake.calls[0]!.path).toMatch(new RegExp(`/commits/${fake.pr.headSha}/pulls`));
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({ conclusion: "success" });
  });
});
