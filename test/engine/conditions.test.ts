import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { changed, facts, judge, oneAgreement, renamed } from "./helpers.js";

/** The outcome of an agreement that always passes when it applies (labels with nothing asked). */
const applies = (whenYaml: string, prFacts: Parameters<typeof facts>[0] = {}) => {
  const result = judge(`  - id: c\n    when:\n${whenYaml}    require:\n      labels: {}\n`, prFacts);
  expect(["pass", "skipped"]).toContain(result.outcome);
  return result.outcome === "pass";
};

describe("no `when`", () => {
  it("applies to every PR, with every changed file in scope", () => {
    const result = judge("  - id: c\n    require:\n      labels: {}\n", { files: [changed("a.txt"), changed("b/c.py")] });
    expect(result.outcome).toBe("pass");
    expect(result.scope).toEqual(["a.txt", "b/c.py"]);
  });
});

describe("paths (minimatch, dot: true, full path from the root)", () => {
  it("holds when one changed file matches one glob", () => {
    expect(applies('      paths: ["pipelines/**", "kubeflow/**"]\n', { files: [changed("src/a.ts"), changed("kubeflow/p.yaml")] })).toBe(true);
  });

  it("does not hold when no changed file matches, and says so", () => {
    const result = judge('  - id: c\n    when:\n      paths: ["pipelines/**"]\n    require:\n      labels: {}\n', { files: [changed("src/pipelines/x.py")] });
    expect(result.outcome).toBe("skipped");
    expect(result.note).toBe("Does not apply: no changed file is in its paths.");
  });

  it("matches with CODEOWNERS habits: a glob without a slash at any depth, a leading slash at the root (SPEC v2 §1.1)", () => {
    expect(applies('      paths: ["*.py"]\n', { files: [changed("src/train.py")] })).toBe(true);
    expect(applies('      paths: ["*.py"]\n', { files: [changed("train.py")] })).toBe(true);
    expect(applies('      paths: ["/*.py"]\n', { files: [changed("src/train.py")] })).toBe(false);
    expect(applies('      paths: ["/*.py"]\n', { files: [changed("train.py")] })).toBe(true);
    expect(applies('      paths: ["src/*.py"]\n', { files: [changed("lib/src/train.py")] })).toBe(false);
    expect(applies('      paths: ["**/*.py"]\n', { files: [changed("src/train.py")] })).toBe(true);
  });

  it("includes dot files and dot directories", () => {
    expect(applies('      paths: ["**/*.yml"]\n', { files: [changed(".github/workflows/ci.yml")] })).toBe(true);
    expect(applies('      paths: ["config/*"]\n', { files: [changed("config/.env")] })).toBe(true);
  });

  it("supports braces", () => {
    expect(applies('      paths: ["{pipelines,kubeflow}/**/*.{py,yaml}"]\n', { files: [changed("kubeflow/a/b.yaml")] })).toBe(true);
  });

  it("counts a renamed file under its new path", () => {
    expect(applies('      paths: ["pipelines/**"]\n', { files: [renamed("old/train.py", "pipelines/train.py")] })).toBe(true);
  });

  it("counts a renamed file under its old path (moving a file out of pipelines/ is a pipeline change)", () => {
    expect(applies('      paths: ["pipelines/**"]\n', { files: [renamed("pipelines/train.py", "archive/train.py")] })).toBe(true);
  });

  it("counts a removed file", () => {
    expect(applies('      paths: ["pipelines/**"]\n', { files: [changed("pipelines/old.py", "removed")] })).toBe(true);
  });

  it("lists exactly the files in scope", () => {
    const result = judge('  - id: c\n    when:\n      paths: ["pipelines/**"]\n    require:\n      labels: {}\n', {
      files: [changed("pipelines/a.py"), changed("src/b.ts"), renamed("pipelines/c.py", "lib/c.py")],
    });
    expect(result.scope).toEqual(["pipelines/a.py", "lib/c.py"]);
  });
});

describe("paths_ignore", () => {
  const when = '      paths: ["pipelines/**"]\n      paths_ignore: ["**/*.md"]\n';

  it("removes files before `paths` is tested: a PR touching only ignored files in paths is skipped", () => {
    expect(applies(when, { files: [changed("pipelines/README.md")] })).toBe(false);
  });

  it("still holds when a non-ignored file matches", () => {
    expect(applies(when, { files: [changed("pipelines/README.md"), changed("pipelines/train.py")] })).toBe(true);
  });

  it("keeps ignored files out of the agreement's scope", () => {
    const result = judge(`  - id: c\n    when:\n${when}    require:\n      labels: {}\n`, { files: [changed("pipelines/README.md"), changed("pipelines/train.py")] });
    expect(result.scope).toEqual(["pipelines/train.py"]);
  });

  it("without paths: holds when at least one changed file is not ignored", () => {
    expect(applies('      paths_ignore: ["docs/**", "**/*.md"]\n', { files: [changed("docs/a.txt"), changed("README.md")] })).toBe(false);
    expect(applies('      paths_ignore: ["docs/**", "**/*.md"]\n', { files: [changed("docs/a.txt"), changed("src/a.ts")] })).toBe(true);
  });

  it("keeps a renamed file whose new path is in scope even when its old path is ignored (reading: ignore removes paths, a rename counts under both)", () => {
    expect(applies(when, { files: [renamed("pipelines/notes.md", "pipelines/notes.py")] })).toBe(true);
  });

  it("drops a renamed file whose only path in `paths` is ignored", () => {
    expect(applies(when, { files: [renamed("pipelines/notes.md", "docs/notes.md")] })).toBe(false);
  });
});

describe("base_branches", () => {
  const when = '      base_branches: [main, "release/*"]\n';

  it("matches the base branch name against globs", () => {
    expect(applies(when, { baseBranch: "main" })).toBe(true);
    expect(applies(when, { baseBranch: "release/2.0" })).toBe(true);
    expect(applies(when, { baseBranch: "release/2.0/hotfix" })).toBe(false);
    expect(applies(when, { baseBranch: "develop" })).toBe(false);
    expect(applies(when, { baseBranch: "mainline" })).toBe(false);
  });

  it("says which branch and which globs when it does not hold", () => {
    const result = judge(`  - id: c\n    when:\n${when}    require:\n      labels: {}\n`, { baseBranch: "develop" });
    expect(result.note).toBe("Does not apply: the base branch develop is not one of main, release/*.");
  });
});

describe("authors and not_authors", () => {
  it("holds for a listed user, case-insensitively", () => {
    expect(applies("      authors: { users: [Alice] }\n", { author: "alice" })).toBe(true);
    expect(applies("      authors: { users: [bob] }\n", { author: "alice" })).toBe(false);
  });

  it("holds for a member of a listed team (from `members`)", () => {
    expect(applies("      authors: { teams: [data-science] }\n", { author: "bob" })).toBe(true);
    expect(applies("      authors: { teams: [data-science] }\n", { author: "carol" })).toBe(false);
  });

  it("holds for a member of a listed team known only from the adapter (GitHub team)", () => {
    expect(applies("      authors: { teams: [platform] }\n", { author: "zed", teamMembers: { platform: ["Zed"] } })).toBe(true);
  });

  it("keeps explicit `members` when the adapter also resolved the GitHub team (a union)", () => {
    expect(applies("      authors: { teams: [data-science] }\n", { author: "alice", teamMembers: { "data-science": ["someone-else"] } })).toBe(true);
  });

  it("not_authors: skips PRs by a listed user or team member", () => {
    expect(applies('      not_authors: { users: ["dependabot[bot]"] }\n', { author: "dependabot[bot]" })).toBe(false);
    expect(applies('      not_authors: { users: ["dependabot[bot]"] }\n', { author: "alice" })).toBe(true);
    expect(applies("      not_authors: { teams: [platform] }\n", { author: "carol" })).toBe(false);
    expect(applies("      not_authors: { teams: [platform] }\n", { author: "alice" })).toBe(true);
  });

  it("explains a skip by author in plain words", () => {
    const result = judge("  - id: c\n    when:\n      not_authors: { teams: [platform] }\n    require:\n      labels: {}\n", { author: "carol" });
    expect(result.note).toBe("Does not apply: PRs by @carol are left out of it.");
  });
});

describe("labels and not_labels", () => {
  it("labels: holds when the PR has at least one, case-insensitively", () => {
    expect(applies("      labels: [ml, data]\n", { labels: ["Data"] })).toBe(true);
    expect(applies("      labels: [ml, data]\n", { labels: ["docs"] })).toBe(false);
    expect(applies("      labels: [ml]\n", { labels: [] })).toBe(false);
  });

  it("not_labels: holds when the PR has none of them", () => {
    expect(applies("      not_labels: [hotfix]\n", { labels: ["ml"] })).toBe(true);
    expect(applies("      not_labels: [hotfix]\n", { labels: ["ml", "HotFix"] })).toBe(false);
  });
});

describe("all conditions together", () => {
  const when = `      paths: ["pipelines/**"]
      base_branches: [main]
      authors: { teams: [data-science] }
      labels: [ml]
      not_labels: [hotfix]
`;
  const good = { files: [changed("pipelines/a.py")], baseBranch: "main", author: "alice", labels: ["ml"] };

  it("holds only when every given condition holds", () => {
    expect(applies(when, good)).toBe(true);
    expect(applies(when, { ...good, files: [changed("src/a.py")] })).toBe(false);
    expect(applies(when, { ...good, baseBranch: "dev" })).toBe(false);
    expect(applies(when, { ...good, author: "carol" })).toBe(false);
    expect(applies(when, { ...good, labels: [] })).toBe(false);
    expect(applies(when, { ...good, labels: ["ml", "hotfix"] })).toBe(false);
  });

  it("a skipped agreement has no requirements and does not affect the conclusion", () => {
    const evaluation = evaluate(oneAgreement(`  - id: c\n    when:\n${when}    require:\n      linked_issue: true\n`), facts({ ...good, baseBranch: "dev" }));
    expect(evaluation.agreements[0]).toMatchObject({ outcome: "skipped", unwaivedOutcome: "skipped", requirements: [], scope: [] });
    expect(evaluation.conclusion).toBe("success");
  });
});
