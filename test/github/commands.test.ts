import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/github/commands.js";
import { decodeCommentData } from "../../src/github/waivers.js";
import { BOT, FakeGitHub } from "../helpers/fake-github.js";
import { useFakeGitHub } from "../helpers/app-setup.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");

const fakeGitHub = useFakeGitHub(AGREEMENTS, [{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
let fake: FakeGitHub;
beforeEach(() => {
  fake = fakeGitHub();
});

/** A real issue_comment example, turned into a comment on the fake's pull request. */
function commentEvent(author: string, body: string) {
  const comment = fake.addUserComment(author, body);
  const payload = examplePayload("issue_comment", "created", fake);
  payload.issue.number = fake.pr.number;
  payload.issue.pull_request = { url: `https://api.github.com/repos/${fake.owner}/${fake.repo}/pulls/${fake.pr.number}` };
  payload.comment.id = comment.id;
  payload.comment.body = body;
  payload.comment.user.login = author;
  payload.sender.login = author;
  payload.sender.type = "User";
  return { payload, comment };
}

const botComment = () => fake.comments.find((c) => c.author === BOT && c.body.includes("accord:summary"));
/** Accord's replies to commands, without the hidden marker that lets it edit them in place. */
const replies = () => fake.comments.filter((c) => c.author === BOT && !c.body.includes("accord:summary")).map((c) => ({ ...c, body: c.body.replace(/^<!-- accord:reply:\w+ -->\n/, "") }));

describe("parseCommand", () => {
  it("reads the first line only and keeps multi-line reasons", () => {
    expect(parseCommand("/accord waive no-binaries fixture needed\nby the tests")).toEqual({ kind: "waive", id: "no-binaries", reason: "fixture needed\nby the tests" });
    expect(parseCommand("please /accord check")).toBeUndefined();
    expect(parseCommand("/accord waive no-binaries")).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/needs a reason/) });
    expect(parseCommand("/accord frobnicate")).toMatchObject({ kind: "invalid", problem: "`/accord frobnicate` is not a command Accord knows." });
    expect(parseCommand("/ACCORD Check")).toEqual({ kind: "check" });
  });
});

describe("/accord commands on a pull request", () => {
  it("waives for a member of a waivable_by team, keeps the waiver across pushes, and acknowledges with a reaction", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });

    const { payload, comment } = commentEvent("carol", "/accord waive no-binaries the 2 KB fixture is needed by the tests");
    await deliver(probot, "issue_comment", payload);
    expect(fake.reactions).toContainEqual({ commentId: comment.id, content: "+1" });
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
    expect(fake.checkRuns.at(-1)!.output.title).toBe("All agreements met (1 waived)");
    const data = decodeCommentData(botComment()!.body);
    expect(data.waivers).toEqual([expect.objectContaining({ agreementId: "no-binaries", by: "carol", reason: "the 2 KB fixture is needed by the tests" })]);
    expect(botComment()!.body).toMatch(/Waived by @carol: “the 2 KB fixture is needed by the tests”/);

    fake.pr.headSha = "2222222222222222222222222222222222222222";
    await deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake));
    expect(fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha).at(-1)).toMatchObject({ conclusion: "success" });
  });

  it("refuses a waiver from someone outside the waivable_by teams, saying who may", async () => {
    const { probot } = createTestApp(fake);
    const { payload, comment } = commentEvent("bob", "/accord waive no-binaries please");
    await deliver(probot, "issue_comment", payload);
    expect(fake.reactions).toContainEqual({ commentId: comment.id, content: "confused" });
    expect(replies().at(-1)!.body).toBe("@bob `no-binaries` can be waived by members of Platform. If it should not hold for this pull request, ask one of them to comment `/accord waive no-binaries <reason>`.");
    expect(botComment()).toBeUndefined();
  });

  it("never lets the author waive their own pull request, even from a waiving team, and says why", async () => {
    // Fails on the code before this change: carol is in Platform, so her own waiver was accepted.
    fake.pr.author = "carol";
    const { probot } = createTestApp(fake);
    const { payload, comment } = commentEvent("carol", "/accord waive no-binaries I know what I am doing");
    await deliver(probot, "issue_comment", payload);
    expect(fake.reactions).toContainEqual({ commentId: comment.id, content: "confused" });
    expect(replies().at(-1)!.body).toBe(
      "@carol A waiver is a second person's decision, so the author of a pull request cannot waive agreements on it. `no-binaries` can be waived by members of Platform. If it should not hold for this pull request, ask one of them to comment `/accord waive no-binaries <reason>`.",
    );
    expect(fake.checkRuns).toEqual([]);
  });

  it("lets a waiver hold only while its giver may still give it under the file in force", async () => {
    // Fails on the code before this change: the waiver stayed in force after its giver left the team.
    const { probot } = createTestApp(fake);
    await deliver(probot, "issue_comment", commentEvent("carol", "/accord waive no-binaries fixture").payload);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
    // carol leaves Platform: the base file in force no longer lets her waive.
    fake.pr.baseSha = "3333333333333333333333333333333333333333";
    fake.setAgreement(AGREEMENTS.replace("members: [carol, dave]", "members: [dave]"), fake.pr.baseSha);
    await deliver(probot, "pull_request", examplePayload("pull_request", "synchronize", fake));
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });
    expect(decodeCommentData(botComment()!.body).waivers).toEqual([]);
  });

  it("refuses to waive an agreement nobody may waive", async () => {
    const { probot } = createTestApp(fake);
    const { payload } = commentEvent("carol", "/accord waive pipelines-both-teams urgent");
    await deliver(probot, "issue_comment", payload);
    expect(replies().at(-1)!.body).toBe(
      "@carol Nobody can waive `pipelines-both-teams`: the agreement file names no `waivable_by` team for it. If it should be waivable, the teams can add one in `.github/agreements.yml`.",
    );
  });

  it("answers report, explain and help in one comment per command, edited in place, so repeating them cannot flood the PR", async () => {
    // Fails on the code before this change: every command added a comment.
    const { probot } = createTestApp(fake);
    for (let i = 0; i < 3; i++) {
      await deliver(probot, "issue_comment", commentEvent("alice", "/accord explain no-binaries").payload);
      await deliver(probot, "issue_comment", commentEvent("alice", "/accord help").payload);
      await deliver(probot, "issue_comment", commentEvent("bob", "/accord waive no-binaries please").payload);
    }
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord explain pipelines-both-teams").payload);
    expect(replies()).toHaveLength(3);
    expect(replies().find((c) => c.body.startsWith("### Pipeline changes"))).toBeDefined();
    // Asking the same again writes nothing: the reply already says it.
    const writes = fake.writes.length;
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord explain pipelines-both-teams").payload);
    expect(fake.writes.slice(writes).map((call) => `${call.method} ${call.path}`)).toEqual([expect.stringMatching(/^POST .*\/reactions$/)]);
  });

  it("unwaives", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "issue_comment", commentEvent("carol", "/accord waive no-binaries fixture").payload);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "success" });
    await deliver(probot, "issue_comment", commentEvent("dave", "/accord unwaive no-binaries").payload);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });
    expect(decodeCommentData(botComment()!.body).waivers).toEqual([]);
  });

  it("explains an agreement with its title, context and requirements", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord explain no-binaries").payload);
    const body = replies().at(-1)!.body;
    expect(body).toMatch(/^### No model binaries in git \(`no-binaries`\)/);
    expect(body).toMatch(/> Models go to the registry\./);
    expect(body).toMatch(/- no added or modified file matching `\*\*\/\*\.pkl`/);
    expect(body).toMatch(/\*\*Can be waived by:\*\* Platform/);
  });

  it("answers an unknown id with the ids that exist", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord explain nope").payload);
    expect(replies().at(-1)!.body).toBe("@alice There is no agreement `nope` here. The ids are: `pipelines-both-teams`, `no-binaries`.");
  });

  it("answers an unknown command briefly with what works and who may waive", async () => {
    const { probot } = createTestApp(fake);
    const { payload, comment } = commentEvent("alice", "/accord merge-it-now");
    await deliver(probot, "issue_comment", payload);
    expect(fake.reactions).toContainEqual({ commentId: comment.id, content: "confused" });
    const body = replies().at(-1)!.body;
    expect(body).toMatch(/^@alice `\/accord merge-it-now` is not a command Accord knows\./);
    expect(body).toMatch(/`\/accord check` checks the pull request again/);
    expect(body).toMatch(/Waivable here: `no-binaries` \(Platform\)\./);
  });

  it("re-checks on /accord check", async () => {
    const { probot } = createTestApp(fake);
    await deliver(probot, "issue_comment", commentEvent("alice", "/accord check").payload);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.reactions.at(-1)!.content).toBe("+1");
  });

  it("ignores comments from bots and comments that are not commands", async () => {
    const { probot } = createTestApp(fake);
    const bot = commentEvent("dependabot[bot]", "/accord check");
    bot.payload.sender.type = "Bot";
    await deliver(probot, "issue_comment", bot.payload);
    await deliver(probot, "issue_comment", commentEvent("alice", "LGTM, thanks!").payload);
    expect(fake.calls).toEqual([]);
  });
});
