import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type SqlStore } from "../../src/store/index.js";
import { BOT, FakeGitHub } from "../helpers/fake-github.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const REPO = "Codertocat/Hello-World";

let fake: FakeGitHub;
let store: SqlStore;
let dir: string;
beforeEach(async () => {
  nock.disableNetConnect();
  fake = new FakeGitHub();
  fake.setAgreement(AGREEMENTS);
  fake.setFiles([{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
  fake.install();
  dir = mkdtempSync(join(tmpdir(), "accord-friction-"));
  store = await openStore(`sqlite:${join(dir, "accord.db")}`);
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function commentEvent(author: string, body: string) {
  const comment = fake.addUserComment(author, body);
  const payload = examplePayload("issue_comment", "created", fake);
  payload.issue.number = fake.pr.number;
  payload.issue.pull_request = { url: "x" };
  payload.comment.id = comment.id;
  payload.comment.body = body;
  payload.sender.login = author;
  payload.sender.type = "User";
  return payload;
}

describe("the friction record behind the app", () => {
  it("records the evaluation before writing to GitHub, so a failed write loses nothing", async () => {
    fake.failures.push({ match: /POST \/repos\/.*\/check-runs/, status: 502 }, { match: /POST \/repos\/.*\/check-runs/, status: 502 });
    const { probot } = createTestApp(fake, { store });
    await expect(deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake))).rejects.toThrow();
    const history = await store.evaluationHistory(REPO, fake.pr.number);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ headSha: fake.pr.headSha });
    expect((await store.pullRequest(REPO, fake.pr.number))?.number).toBe(fake.pr.number);
  });

  it("handles a delivery once across two app instances sharing the store", async () => {
    const first = createTestApp(fake, { store });
    const second = createTestApp(fake, { store });
    const payload = examplePayload("pull_request", "opened", fake);
    await Promise.all([deliver(first.probot, "pull_request", payload, "shared-id"), deliver(second.probot, "pull_request", payload, "shared-id")]);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.comments.filter((c) => c.author === BOT)).toHaveLength(1);
    expect(await store.evaluationHistory(REPO, fake.pr.number)).toHaveLength(1);
  });

  it("keeps waivers in the store: they survive pushes and unwaive removes them", async () => {
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "issue_comment", commentEvent("carol", "/accord waive no-binaries the fixture is needed by the tests"));
    expect(await store.activeWaivers(REPO, fake.pr.number)).toEqual([expect.objectContaining({ agreementId: "no-binaries", by: "carol", reason: "the fixture is needed by the tests" })]);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
    fake.pr.headSha = "4".repeat(40);
    await deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake));
    expect(fake.checkRuns.at(-1)).toMatchObject({ head_sha: fake.pr.headSha, conclusion: "success" });
    await deliver(probot, "issue_comment", commentEvent("dave", "/accord unwaive no-binaries"));
    expect(await store.activeWaivers(REPO, fake.pr.number)).toEqual([]);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });
  });

  it("answers /accord report with the repository's friction report", async () => {
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord report"));
    const reply = fake.comments.filter((c) => c.author === BOT && !c.body.includes("accord:summary")).at(-1)!;
    expect(reply.body).toMatch(/no-binaries/);
    expect(fake.reactions.at(-1)!.content).toBe("+1");
  });

  it("records reviews and closings without writing to GitHub", async () => {
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    const writes = fake.writes.length;
    fake.pr.state = "CLOSED";
    const closed = examplePayload("pull_request", "closed", fake);
    closed.pull_request.merged = true;
    await deliver(probot, "pull_request", closed);
    expect(fake.writes.length).toBe(writes);
    expect((await store.pullRequest(REPO, fake.pr.number))?.mergedAt).toBeTruthy();
  });

  it("replays a proposed agreement file over recently recorded pull requests", async () => {
    const { probot } = createTestApp(fake, { store });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    fake.pr.number = 3;
    fake.pr.headSha = "5".repeat(40);
    fake.comments = [];
    fake.setFiles([{ filename: ".github/agreements.yml", status: "modified", additions: 1, deletions: 1 }]);
    fake.setAgreement(AGREEMENTS.replace('forbidden: ["**/*.pkl"]', 'forbidden: ["**/*.pkl", "**/*.yml"]'), fake.pr.headSha);
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    const summary = fake.checkRuns.at(-1)!.output.summary;
    expect(summary).toMatch(/Replayed over the last 1 recorded pull requests/);
    expect(summary).toMatch(/\| `no-binaries` \| changed \| 1 \/ 0 \| 1 \/ 0 \|/);
  });

  it("uses its own record of approvals for reviewer suggestions", async () => {
    const { evaluate } = await import("../../src/engine/index.js");
    const { parseAgreements } = await import("../../src/agreement/parse.js");
    const parsed = parseAgreements(AGREEMENTS);
    if (!parsed.ok) throw new Error("fixture");
    const facts = { title: "t", body: "", author: "bob", labels: [], draft: false, baseBranch: "master", files: [{ path: "pipelines/train.py", status: "modified" as const, additions: 1, deletions: 0 }], reviews: [], teamMembers: { "data-science": ["alice", "bob"], platform: ["carol", "dave"] } };
    const at = Date.now() - 5 * 24 * 3_600_000;
    await store.recordEvaluation({ repo: REPO, number: 5, headSha: "a".repeat(40), evaluation: evaluate(parsed.file, facts), facts, at });
    await store.recordReview({ repo: REPO, number: 5, reviewer: "dave", state: "APPROVED", at: at + 1000 });
    expect(await store.recentApprovals(REPO, at - 1)).toEqual([expect.objectContaining({ number: 5, reviewers: ["dave"], paths: ["pipelines/train.py"] })]);

    const { createReviewerSuggester } = await import("../../src/github/suggest.js");
    fake.setFiles([{ filename: "pipelines/train.py", status: "modified", additions: 2, deletions: 0 }]);
    const { probot } = createTestApp(fake, { store, suggest: createReviewerSuggester() });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.checkRuns.at(-1)!.output.summary).toMatch(/@dave \(reviewed 1 change to `?pipelines\/train\.py`?/);
  });

  it("opens one Agreement health issue with `report: weekly`, and updates it at most weekly", async () => {
    fake.setAgreement(`${AGREEMENTS.replace("agreements:", "settings:\n  report: weekly\nagreements:")}`);
    let now = Date.parse("2026-11-27T12:00:00Z");
    const { probot } = createTestApp(fake, { store, now: () => now });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.issues).toHaveLength(1);
    expect(fake.issues[0]!.title).toBe("Agreement health");
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(fake.calls.filter((c) => c.operation === "AccordHealthIssue")).toHaveLength(1);
    now += 8 * 24 * 3_600_000;
    fake.issues[0]!.updatedAt = "2026-11-27T12:00:00Z";
    await deliver(probot, "pull_request", examplePayload("pull_request", "edited", fake));
    expect(fake.issues).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === "PATCH" && /\/issues\/\d+$/.test(c.path))).toHaveLength(1);
  });
});
