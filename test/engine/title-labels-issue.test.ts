import { describe, expect, it } from "vitest";
import { RE2JS } from "re2js";
import { referencesAnIssue } from "../../src/engine/markdown.js";
import { checkTitle } from "../../src/engine/requirements/title.js";
import { check } from "./helpers.js";

const CONVENTIONAL = "      title: { pattern: '^(feat|fix|chore|docs)(\\(.+\\))?: ' }\n";

describe("title", () => {
  it.each(["feat: add retry", "fix(api): handle 404", "docs(readme): typo"])("passes %j against the SPEC's pattern", (title) => {
    expect(check("title", CONVENTIONAL, { title }).outcome).toBe("pass");
  });

  it.each(["Add retry", "feat add retry", "feature: x", "FEAT: x"])("fails %j, quoting title and pattern", (title) => {
    const result = check("title", CONVENTIONAL, { title });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe(`The title "${title}" does not follow the agreed pattern \`^(feat|fix|chore|docs)(\\(.+\\))?: \`.`);
    expect(result.howTo).toBe("Edit the PR title so it matches `^(feat|fix|chore|docs)(\\(.+\\))?: `.");
  });

  it("finds the pattern anywhere unless it is anchored (RE2 find semantics)", () => {
    expect(check("title", "      title: { pattern: 'JIRA-[0-9]+' }\n", { title: "feat: x (JIRA-12)" }).outcome).toBe("pass");
  });

  it("supports RE2 flags such as (?i)", () => {
    expect(check("title", "      title: { pattern: '(?i)^feat' }\n", { title: "FEAT: x" }).outcome).toBe("pass");
  });

  it("finishes fast on a hostile pattern `^(a+)+$` against a 100,000-character title", () => {
    const title = `${"a".repeat(100_000)}!`;
    const started = performance.now();
    const result = check("title", "      title: { pattern: '^(a+)+$' }\n", { title });
    const elapsed = performance.now() - started;
    expect(result.outcome).toBe("fail");
    expect(elapsed).toBeLessThan(2_000);
  });

  it("keeps a very long title out of the message (the summary must stay readable)", () => {
    const result = checkTitle(RE2JS.compile("^x"), "^x", "y".repeat(100_000));
    expect(result.message.length).toBeLessThan(300);
    expect(result.message).toContain("…");
  });

  it("replaces backticks in the pattern so the code span holds", () => {
    const result = checkTitle(RE2JS.compile("^`x`"), "^`x`", "nope");
    expect(result.message).toBe("The title \"nope\" does not follow the agreed pattern `^'x'`.");
  });
});

describe("labels", () => {
  const rule = "      labels: { all_of: [reviewed, ml], none_of: [do-not-merge, wip] }\n";

  it("passes when every all_of label is present and no none_of label is", () => {
    const result = check("labels", rule, { labels: ["ml", "reviewed", "extra"] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("The labels are as agreed.");
  });

  it("compares labels case-insensitively", () => {
    expect(check("labels", rule, { labels: ["ML", "Reviewed"] }).outcome).toBe("pass");
    expect(check("labels", rule, { labels: ["ml", "reviewed", "WIP"] }).outcome).toBe("fail");
  });

  it("fails on a missing all_of label, saying which to add", () => {
    const result = check("labels", rule, { labels: ["ml"] });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe("The PR needs the label `reviewed`.");
    expect(result.howTo).toBe("Add `reviewed`.");
  });

  it("fails on a none_of label, saying it was agreed to hold a PR back", () => {
    const result = check("labels", rule, { labels: ["ml", "reviewed", "do-not-merge"] });
    expect(result.message).toBe("The PR carries `do-not-merge`, which was agreed to hold a PR back.");
    expect(result.howTo).toBe("Remove `do-not-merge` once it no longer applies.");
  });

  it("says both at once", () => {
    const result = check("labels", rule, { labels: ["wip"] });
    expect(result.message).toBe("The PR needs the labels `reviewed` and `ml` and carries `wip`, which was agreed to hold a PR back.");
    expect(result.howTo).toBe("Add `reviewed` and `ml`, and remove `wip` once it no longer applies.");
  });
});

describe("linked_issue", () => {
  it.each([
    ["#123", "Closes #123"],
    ["owner/repo#123", "See octo-org/my.repo#123"],
    ["an issue URL", "https://github.com/octo/repo/issues/123"],
    ["a GHE issue URL", "https://git.example.com/octo/repo/issues/7"],
    ["a pull URL", "https://github.com/octo/repo/pull/9"],
    ["Fixes #12", "Fixes #12"],
    ["fixes: #12", "fixes: #12"],
    ["Resolves owner/repo#12", "Resolves octo/repo#12"],
    ["(#12)", "Follow-up to (#12)."],
    ["a markdown link", "[#12](https://github.com/o/r/issues/12)"],
    ["GH-12", "GH-12"],
    ["#12 at the very start", "#12"],
    ["a line after a heading", "## Issue\nPart of #4521"],
  ])("accepts %s", (_, body) => {
    expect(referencesAnIssue(body)).toBe(true);
    expect(check("linked_issue", "      linked_issue: true\n", { body }).outcome).toBe("pass");
  });

  it.each([
    ["an HTML entity", "Escaped &#123; brace"],
    ["a hex colour", "color: #ff0000"],
    ["a hex colour that starts with a digit", "colour #1a2b3c"],
    ["an all-zero colour", "background: #000"],
    ["a URL fragment", "See https://example.com/page#123"],
    ["a link without a scheme", "docs at example.com/page#12"],
    ["a word with a number", "C#12 is not a thing"],
    ["no reference", "Just a change."],
    ["an empty body", ""],
    ["a reference in inline code", "Run `grep #12`"],
    ["a reference in a code fence", "```\nFixes #12\n```"],
    ["a reference in an HTML comment", "<!-- Fixes #12 -->"],
    ["a bare number", "12 issues"],
    ["issue #0", "#0"],
  ])("rejects %s", (_, body) => {
    expect(referencesAnIssue(body)).toBe(false);
  });

  it("reads an all-digit hex colour such as #123456 as issue 123456 (it cannot be told apart)", () => {
    expect(referencesAnIssue("color: #123456")).toBe(true);
  });

  it("says what to add when none is linked", () => {
    const result = check("linked_issue", "      linked_issue: true\n", { body: "Just a change." });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe("The description does not link an issue yet.");
    expect(result.howTo).toBe("Mention the issue in the description, e.g. `Fixes #123`, `owner/repo#123`, or the issue's URL.");
  });
});
