import { describe, expect, it } from "vitest";
import { toCheckJson } from "../../src/render/json.js";
import { renderText } from "../../src/render/text.js";
import { approved, changed } from "../engine/helpers.js";
import { SCENARIOS, evaluationOf, inputOf } from "./fixtures.js";

describe("toCheckJson: SPEC §4's shape, with additions after SPEC's fields", () => {
  const evaluation = SCENARIOS.failure();
  const json = toCheckJson(evaluation, { platform: [{ login: "carol", reason: "reviewed pipelines/" }, { login: "dave" }] });

  it("has conclusion, agreements and reviewers first; base, head and the rest only when the command gives them", () => {
    expect(Object.keys(json)).toEqual(["conclusion", "agreements", "reviewers"]);
    const context = { base: { ref: "main", sha: "b".repeat(40) }, head: { ref: "HEAD", sha: "h".repeat(40) }, mergeBase: "m".repeat(40), changedFiles: 2, uncommittedFiles: 0, notes: [] };
    const withContext = toCheckJson(evaluation, {}, context);
    expect(Object.keys(withContext)).toEqual(["conclusion", "agreements", "reviewers", "base", "head", "merge_base", "changed_files", "uncommitted_files", "notes"]);
    expect(withContext).toMatchObject({ base: { ref: "main" }, head: { ref: "HEAD" }, changed_files: 2 });
    expect(json.conclusion).toBe("failure");
  });

  it("gives each agreement id, title, outcome, severity, mode and requirements, in file order", () => {
    for (const agreement of json.agreements) expect(Object.keys(agreement).slice(0, 6)).toEqual(["id", "title", "outcome", "severity", "mode", "requirements"]);
    expect(json.agreements.map((a) => [a.id, a.outcome, a.severity, a.mode])).toEqual([
      ["pipelines-both-teams", "waiting", "required", "enforce"],
      ["no-binaries", "fail", "required", "enforce"],
      ["describe", "pass", "advisory", "enforce"],
      ["notebooks-cleared", "pass", "required", "trial"],
      ["docs-linked", "skipped", "required", "enforce"],
    ]);
  });

  it("gives each requirement kind (the `require` key), outcome, message and the files that made it fail", () => {
    const binaries = json.agreements[1]!;
    expect(binaries.requirements).toEqual([
      {
        kind: "forbidden",
        outcome: "fail",
        message: "1 file matches what was agreed to stay out of the repository (`**/*.pkl`): `models/m.pkl`.",
        files: ["models/m.pkl"],
        hint: "Remove it from this PR (`git rm --cached <file>` keeps your local copy) and keep it where the teams agreed, such as a model registry or object storage.",
      },
    ]);
    for (const agreement of json.agreements) for (const requirement of agreement.requirements) expect(Object.keys(requirement)).toEqual(["kind", "outcome", "message", "files", "hint"]);
  });

  it("gives each unmet requirement its how-to-get-there hint, and met ones null", () => {
    expect(json.agreements[0]!.requirements[0]!.hint).toBe("Ask someone in Platform for a review.");
    expect(json.agreements[2]!.requirements[0]!.hint).toBeNull();
  });

  it("gives each agreement its hint, note and waiver, null when there is none", () => {
    expect(json.agreements[1]).toMatchObject({ hint: null, note: null, waiver: null });
    const waived = toCheckJson(SCENARIOS.waived());
    expect(waived.agreements[1]!.waiver).toEqual({ by: "carol", reason: "A 2 KB fixture model for the tests" });
  });

  it("gives empty files when a requirement did not fail", () => {
    expect(json.agreements[0]!.requirements[0]).toMatchObject({ kind: "approvals", outcome: "waiting", files: [] });
    expect(json.agreements[2]!.requirements[0]!.files).toEqual([]);
  });

  it("gives a skipped agreement no requirements", () => {
    expect(json.agreements[4]!.requirements).toEqual([]);
  });

  it("maps each team to the suggested logins", () => {
    expect(json.reviewers).toEqual({ platform: ["carol", "dave"] });
    expect(toCheckJson(evaluation).reviewers).toEqual({});
  });

  it("includes the implicit amendment agreement after the file's own", () => {
    const amended = toCheckJson(evaluationOf({ files: [changed("pipelines/a.py"), changed(".github/agreements.yml")], reviews: [approved("alice")] }));
    expect(amended.agreements.at(-1)).toMatchObject({ id: "amend-agreements", outcome: "waiting", severity: "required", mode: "enforce" });
  });

  it("round-trips through JSON unchanged (no undefined, no class instances)", () => {
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe("renderText: the terminal output of `accord check`", () => {
  it("leads with the conclusion and headline, then one line per agreement", () => {
    const text = renderText(inputOf(SCENARIOS.failure()), { colour: false });
    const lines = text.split("\n");
    expect(lines[0]).toBe("FAILURE: Needs attention: No model binaries in git; then a review from Platform");
    expect(lines).toContain("✘ not met yet           no-binaries — No model binaries in git");
    expect(lines).toContain("✔ met                   describe [advisory] — Every PR says what and how");
    expect(lines).toContain("- does not apply        docs-linked — Docs changes link an issue");
  });

  it("puts what is missing and how to get there under each unmet agreement, and nothing under met ones", () => {
    const text = renderText(inputOf(SCENARIOS.waitingPlatform(), { suggestions: { platform: [{ login: "carol" }] } }), { colour: false });
    expect(text).toContain(
      [
        "… waiting for review    pipelines-both-teams — Pipeline changes are reviewed by both teams",
        "    Waiting for an approval from Platform.",
        "    How to get there: Ask someone in Platform for a review.",
        "    Suggested from Platform: @carol",
        "✔ met ",
      ].join("\n"),
    );
  });

  it("shows waivers", () => {
    expect(renderText(inputOf(SCENARIOS.waived()), { colour: false })).toContain("    waived by @carol: A 2 KB fixture model for the tests");
  });

  it("shows why an agreement could not be checked, and how to get there", () => {
    const listed = Array.from({ length: 3000 }, (_, i) => changed(`src/f${i}.ts`));
    const text = renderText(inputOf(evaluationOf({ files: listed, changedFileCount: 3001 })), { colour: false });
    expect(text).toMatch(/^! could not be checked +pipelines-both-teams — /m);
    expect(text).toContain("    How to get there: Split the PR into smaller ones");
  });

  it("colours only when asked", () => {
    expect(renderText(inputOf(SCENARIOS.success()), { colour: false })).not.toContain("\u001b[");
    expect(renderText(inputOf(SCENARIOS.success()), { colour: true })).toContain("\u001b[32mSUCCESS: All agreements met\u001b[0m");
  });

  it("prints notices at the end", () => {
    expect(renderText(inputOf(SCENARIOS.success(), { notices: ["GITHUB_TOKEN is not set; team members come from `members` only."] }), { colour: false }).endsWith(
      "note: GITHUB_TOKEN is not set; team members come from `members` only.",
    )).toBe(true);
  });
});
