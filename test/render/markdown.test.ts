import { describe, expect, it } from "vitest";
import { parseAgreements } from "../../src/agreement/parse.js";
import type { AgreementResult, Evaluation } from "../../src/engine/result.js";
import { COMMENT_MARKER, GITHUB_TEXT_LIMIT, agreementTable, fit, renderComment, renderConfigProblems, renderSummary } from "../../src/render/markdown.js";
import { OUTCOME_WORDS, attentionOrder } from "../../src/render/report-model.js";
import { BLAME, changed, facts } from "../engine/helpers.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { agreementsFrom } from "../engine/helpers.js";
import { SCENARIOS, evaluationOf, inputOf } from "./fixtures.js";

/** The table rows of a summary, as [outcome words, id]. */
function rows(markdown: string): [string, string][] {
  return markdown
    .split("\n")
    .filter((line) => /^\| \S+ \| .* `[a-z0-9-]+` \|/.test(line))
    .map((line) => {
      const cells = line.split(" | ");
      return [cells[2]!.replace(/ \|$/, ""), /`([a-z0-9-]+)`/.exec(cells[1]!)![1]!];
    });
}

/** The section of a summary about one agreement, from its heading to the next. */
function sectionOf(markdown: string, title: string): string {
  const start = markdown.search(new RegExp(`^#### \\S+ ${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
  expect(start, `no section for ${title}`).toBeGreaterThan(-1);
  const heading = markdown.slice(start).split("\n")[0]!;
  const rest = markdown.slice(start + heading.length);
  const end = rest.search(/\n#{3,4} |\n<sub>Commands/);
  return heading + (end === -1 ? rest : rest.slice(0, end));
}

describe("renderSummary: the check run's summary", () => {
  it("lists every applicable agreement with its outcome, in file order, met ones included", () => {
    const summary = renderSummary(inputOf(SCENARIOS.failure()));
    expect(rows(summary)).toEqual([
      ["waiting for review", "pipelines-both-teams"],
      ["not met yet", "no-binaries"],
      ["met (advisory)", "describe"],
      ["met (on trial)", "notebooks-cleared"],
    ]);
    expect(summary).toContain("| ⏳ | Pipeline changes are reviewed by both teams `pipelines-both-teams` | waiting for review |");
    expect(summary).toContain("| ✅ | Every PR says what and how `describe` | met (advisory) |");
  });

  it("keeps met items listed when everything is met", () => {
    const summary = renderSummary(inputOf(SCENARIOS.success()));
    expect(rows(summary).map(([words]) => words)).toEqual(["met", "met", "met (advisory)", "met (on trial)"]);
    expect(summary).not.toContain("### How to get there");
  });

  it("names agreements that do not apply, without a row", () => {
    const summary = renderSummary(inputOf(SCENARIOS.success()));
    expect(summary).toContain("<sub>Not applicable here: `docs-linked`</sub>");
    expect(rows(summary).map(([, id]) => id)).not.toContain("docs-linked");
  });

  it("says so when no agreement applies", () => {
    const evaluation: Evaluation = { conclusion: "success", agreements: [] };
    expect(renderSummary(inputOf(evaluation))).toContain("No agreement applies to this pull request.");
  });

  it("gives each unmet agreement a `How to get there` line, most blocking first", () => {
    const evaluation = SCENARIOS.failure();
    const summary = renderSummary(inputOf(evaluation));
    const unmet = evaluation.agreements.filter((a) => ["fail", "waiting", "error"].includes(a.outcome));
    expect(unmet.length).toBeGreaterThan(1);
    for (const agreement of unmet) expect(sectionOf(summary, agreement.title)).toContain("**How to get there:**");
    expect(summary.indexOf("#### ❌ No model binaries in git")).toBeLessThan(summary.indexOf("#### ⏳ Pipeline changes are reviewed by both teams"));
  });

  it("shows what was agreed in the teams' own words, what is missing, and how to get there", () => {
    const section = sectionOf(renderSummary(inputOf(SCENARIOS.waitingPlatform())), "Pipeline changes are reviewed by both teams");
    expect(section).toBe(
      [
        "#### ⏳ Pipeline changes are reviewed by both teams",
        "> Pipelines decide both model quality and cluster cost, so each side looks.",
        "",
        "- ⏳ Waiting for an approval from Platform.",
        "  **How to get there:** Ask someone in Platform for a review.",
      ].join("\n"),
    );
  });

  it("names the approvals that did not count, and why, under the agreement still waiting", () => {
    const file = agreementsFrom(`version: 1
teams:
  platform: { members: [carol, dave], name: Platform }
agreements:
  - id: platform-review
    title: Platform reviews every change
    require: { approvals: [{ team: platform, stale_on_push: true }] }
`);
    const evaluation = evaluate(
      file,
      facts({ author: "alice", headSha: "b".repeat(40), reviews: [{ reviewer: "carol", state: "APPROVED", commitSha: "a".repeat(40) }, { reviewer: "alice", state: "APPROVED" }, { reviewer: "zoe", state: "APPROVED" }] }),
    );
    const section = sectionOf(renderSummary(inputOf(evaluation, { teamNames: { platform: "Platform" } })), "Platform reviews every change");
    expect(section).toBe(
      [
        "#### ⏳ Platform reviews every change",
        "- ⏳ Waiting for an approval from Platform. Approvals that did not count: @carol approved before the latest push (stale_on_push); @alice wrote this pull request; @zoe is not in Platform.",
        "  **How to get there:** Ask someone in Platform for a review. @carol can approve again, on the latest commit.",
      ].join("\n"),
    );
  });

  it("shows suggested reviewers next to the team still needed", () => {
    const summary = renderSummary(inputOf(SCENARIOS.waitingPlatform(), { suggestions: { platform: [{ login: "carol", reason: "reviewed 6 changes under pipelines/" }, { login: "dave" }] } }));
    expect(summary).toContain("  Suggested from Platform: @carol (reviewed 6 changes under pipelines/), @dave");
  });

  it("marks advisory and trial agreements as not blocking", () => {
    const advisory = renderSummary(inputOf(SCENARIOS.neutral()));
    expect(sectionOf(advisory, "Every PR says what and how")).toContain("_Advisory: worth doing, but it does not block merging._");
    const trial = evaluate(
      agreementsFrom("version: 1\nagreements:\n  - { id: t, title: Trial rule, mode: trial, require: { linked_issue: true } }\n"),
      facts(),
    );
    expect(sectionOf(renderSummary(inputOf(trial)), "Trial rule")).toContain("_On trial: shown and recorded, but it does not block merging yet._");
  });

  it("shows a waiver with who gave it and why", () => {
    const summary = renderSummary(inputOf(SCENARIOS.waived()));
    expect(rows(summary)).toContainEqual(["waived", "no-binaries"]);
    expect(summary).toContain("Waived by @carol: “A 2 KB fixture model for the tests”");
  });

  it("says why an agreement could not be checked on a PR with unlisted files, and how to get there", () => {
    const listed = Array.from({ length: 3000 }, (_, i) => changed(`src/f${i}.ts`));
    const evaluation = evaluationOf({ files: listed, changedFileCount: 3200 });
    const pipelines = evaluation.agreements.find((a) => a.id === "pipelines-both-teams")!;
    expect(pipelines.outcome).toBe("error");
    const section = sectionOf(renderSummary(inputOf(evaluation)), pipelines.title);
    expect(section).toContain("GitHub lists only the first 3,000 of this PR's 3,200 changed files");
    expect(section).toContain("**How to get there:** Split the PR into smaller ones");
  });

  it("shows notices as notes", () => {
    expect(renderSummary(inputOf(SCENARIOS.success(), { notices: ["Platform's members could not be read from GitHub."] }))).toContain(
      "> ℹ️ Platform's members could not be read from GitHub.",
    );
  });

  it("escapes pipes in titles so the table holds", () => {
    const evaluation = evaluate(agreementsFrom("version: 1\nagreements:\n  - { id: a, title: 'this | that', require: { linked_issue: true } }\n"), facts());
    expect(agreementTable(evaluation.agreements)).toContain("this \\| that `a`");
  });

  it("previews a proposed agreement file: its problems, or its verdict and replay", () => {
    const parsed = parseAgreements("version: 1\nagreements:\n  - { id: a, require: {} }\n");
    if (parsed.ok) throw new Error("expected problems");
    const withProblems = renderSummary(inputOf(SCENARIOS.success(), { amendment: { problems: parsed.problems } }));
    expect(withProblems).toContain("### The proposed agreement file");
    expect(withProblems).toContain("The proposed version has a problem to fix before it can land:");
    expect(withProblems).toContain("- `.github/agreements.yml:3:23` In agreement `a`: `require` needs at least one requirement");
    const preview = renderSummary(
      inputOf(SCENARIOS.success(), {
        amendment: {
          problems: [],
          evaluation: SCENARIOS.waitingPlatform(),
          replayedPullRequests: 50,
          replay: [{ id: "no-binaries", change: "changed", base: { blocked: 2, held: 0, unknown: 0 }, proposed: { blocked: 5, held: 1, unknown: 0 } }],
        },
      }),
    );
    expect(preview).toContain("If it were in force, this PR would stand at: **waiting for reviews** (Waiting for a review from Platform). The current version stays in force until the amendment lands.");
    expect(preview).toContain("Replayed over the last 50 recorded pull requests");
    expect(preview).toContain("| `no-binaries` | changed | 2 / 0 | 5 / 1 |");
  });

  it("never blames", () => {
    for (const scenario of Object.values(SCENARIOS)) expect(renderSummary(inputOf(scenario()))).not.toMatch(BLAME);
  });

  it("words every outcome", () => {
    expect(Object.keys(OUTCOME_WORDS).sort()).toEqual(["error", "fail", "pass", "skipped", "waiting", "waived"]);
  });

  it("orders attention: required fail, error, waiting, then advisory, then trial", () => {
    const a = (id: string, outcome: AgreementResult["outcome"], severity: AgreementResult["severity"] = "required", mode: AgreementResult["mode"] = "enforce"): AgreementResult => ({
      id, title: id, outcome, unwaivedOutcome: outcome, severity, mode, requirements: [], implicit: false, scope: [],
    });
    const ordered = attentionOrder([a("trial", "fail", "required", "trial"), a("adv", "fail", "advisory"), a("wait", "waiting"), a("err", "error"), a("ok", "pass"), a("fail", "fail")]);
    expect(ordered.map((x) => x.id)).toEqual(["fail", "err", "wait", "adv", "trial"]);
  });
});

describe("renderComment: the one PR comment", () => {
  it("starts with the hidden marker", () => {
    for (const scenario of Object.values(SCENARIOS)) expect(renderComment(inputOf(scenario()), "Team agreements").startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(COMMENT_MARKER).toBe("<!-- accord:summary -->");
  });

  it("carries the check name and headline, then the same summary", () => {
    const input = inputOf(SCENARIOS.waitingPlatform());
    const comment = renderComment(input, "Team agreements");
    expect(comment).toContain("### Team agreements: Waiting for a review from Platform");
    expect(comment).toContain(renderSummary(input));
  });

  it("says so when all is met, with the met items still listed", () => {
    const comment = renderComment(inputOf(SCENARIOS.success()), "Team agreements");
    expect(comment).toContain("All the agreements your teams made are met for this pull request.");
    expect(rows(comment).length).toBe(4);
  });

  it("has a lead for advice and for unmet agreements", () => {
    expect(renderComment(inputOf(SCENARIOS.neutral()), "X")).toContain("Everything required is met; there is some advice below");
    expect(renderComment(inputOf(SCENARIOS.failure()), "X")).toContain("Here is where this pull request stands against the agreements your teams made, and what would get it there.");
  });

  it("lists the commands", () => {
    expect(renderComment(inputOf(SCENARIOS.success()), "X")).toMatch(/`\/accord check`.*`\/accord explain <id>`.*`\/accord waive <id> <reason>`.*`\/accord report`/);
  });

  it("appends hidden data after the body, within the limit", () => {
    const hidden = "<!-- accord:data {\"v\":1} -->";
    const comment = renderComment(inputOf(SCENARIOS.success()), "X", hidden);
    expect(comment.endsWith(`\n${hidden}`)).toBe(true);
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
  });

  it("never blames", () => {
    for (const scenario of Object.values(SCENARIOS)) expect(renderComment(inputOf(scenario()), "X")).not.toMatch(BLAME);
  });
});

describe("renderConfigProblems", () => {
  it("titles the check as a configuration problem and lists each problem with line and column", () => {
    const parsed = parseAgreements("version: 1\nsettings:\n  coment: always\nagreements:\n  - id: a\n    require:\n      approvals: [{ team: x, count: -1 }]\n");
    if (parsed.ok) throw new Error("expected problems");
    const { title, summary } = renderConfigProblems(parsed.problems);
    expect(title).toBe(`The agreement file needs a fix (${parsed.problems.length} problems)`);
    expect(summary).toMatch(/^The agreement file could not be read, so no agreement was checked\./);
    expect(summary).toContain("- `.github/agreements.yml:3:3` `coment` is not a key Accord knows in `settings`. Did you mean `comment`?");
    expect(summary).toContain("`count` must be a whole number of at least 1; it is -1");
    expect(summary).toContain("`accord validate` finds the same problems locally");
  });
});

describe("fit: GitHub's 65,535-character limit", () => {
  it("leaves short text alone", () => {
    expect(fit("hello")).toBe("hello");
    const exact = "x".repeat(GITHUB_TEXT_LIMIT);
    expect(fit(exact)).toBe(exact);
  });

  it("cuts long text at a line, says so, and stays under the limit", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `- line ${i} ${"x".repeat(20)}`).join("\n");
    const cut = fit(text);
    expect(cut.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(cut).toMatch(/_…cut here: the full list is longer than GitHub allows\. Run `accord check` locally for all of it\._$/);
    expect(cut.split("\n\n_…cut here")[0]!.endsWith("x")).toBe(true);
    expect(text.startsWith(cut.split("\n\n_…cut here")[0]!)).toBe(true);
  });

  it("cuts a single enormous line too", () => {
    expect(fit("y".repeat(200_000)).length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
  });

  it("keeps room for a reserved tail", () => {
    expect(fit("z\n".repeat(40_000), 1000).length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT - 1000);
  });

  it("keeps a summary and a comment of a PR with thousands of forbidden files under the limit", () => {
    const files = Array.from({ length: 3000 }, (_, i) => changed(`data/raw/very/long/path/to/some/file-number-${i}.pkl`, "added"));
    const evaluation = evaluate(agreementsFrom("version: 1\nagreements:\n" + Array.from({ length: 30 }, (_, i) => `  - { id: rule-${i}, title: "Rule ${i} ${"t".repeat(100)}", require: { forbidden: ["**/*.pkl"] } }`).join("\n") + "\n"), facts({ files }));
    const input = inputOf(evaluation);
    expect(renderSummary(input).length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    const hidden = `<!-- accord:data ${"d".repeat(5000)} -->`;
    const comment = renderComment(input, "Team agreements", hidden);
    expect(comment.length).toBeLessThanOrEqual(GITHUB_TEXT_LIMIT);
    expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment.endsWith(hidden)).toBe(true);
  });
});
