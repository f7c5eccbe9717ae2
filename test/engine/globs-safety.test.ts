/**
 * Globs as GitHub users write them (the CODEOWNERS habits, SPEC §1.1), branch globs, and the
 * safety of matching: hostile globs and paths finish quickly, and the work grows linearly.
 */
import { minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { compileAgreement } from "../../src/engine/compile.js";
import { matchWork } from "../../src/engine/glob-pattern.js";
import { FileIndex, GLOB_LIMITS, compileBranchGlob, compileGlob, globProblem, normalisePathGlob } from "../../src/engine/globs.js";
import { changed, judge } from "./helpers.js";

const matches = (glob: string, path: string) => compileGlob(glob).matches(path);

describe("path globs follow the CODEOWNERS habits", () => {
  it("a glob with no `/` matches at any depth: `*.pkl` is `**/*.pkl`", () => {
    expect(normalisePathGlob("*.pkl")).toBe("**/*.pkl");
    expect(matches("*.pkl", "a/b/c.pkl")).toBe(true);
    expect(matches("*.pkl", "model.pkl")).toBe(true);
    expect(matches("*.pkl", ".cache/x/.y.pkl")).toBe(true);
    expect(matches("*.pkl", "a/b/c.pkl.txt")).toBe(false);
    expect(matches("Makefile", "tools/build/Makefile")).toBe(true);
    expect(matches("*", "deep/ly/nested.txt")).toBe(true);
  });

  it("a trailing `/` is the directory and everything under it, at any depth when nothing else anchors it", () => {
    expect(normalisePathGlob("backend/")).toBe("**/backend/**");
    expect(matches("backend/", "backend/app.py")).toBe(true);
    expect(matches("backend/", "services/backend/deep/app.py")).toBe(true);
    expect(matches("backend/", "backends/app.py")).toBe(false);
    expect(matches("backend/", "src/backend.py")).toBe(false);
  });

  it("a leading `/` anchors at the root: `/backend/**`, `/backend/` and `/docs/**`", () => {
    expect(normalisePathGlob("/backend/**")).toBe("backend/**");
    expect(normalisePathGlob("/backend/")).toBe("backend/**");
    expect(normalisePathGlob("/docs/**")).toBe("docs/**");
    for (const glob of ["/backend/**", "/backend/"]) {
      expect(matches(glob, "backend/app.py"), glob).toBe(true);
      expect(matches(glob, "backend/a/b/c.py"), glob).toBe(true);
      expect(matches(glob, "services/backend/app.py"), glob).toBe(false);
    }
    expect(matches("/Makefile", "Makefile")).toBe(true);
    expect(matches("/Makefile", "tools/Makefile")).toBe(false);
  });

  it("a glob with a `/` in the middle stays anchored at the root: `docs/*.md`", () => {
    expect(normalisePathGlob("docs/*.md")).toBe("docs/*.md");
    expect(matches("docs/*.md", "docs/intro.md")).toBe(true);
    expect(matches("docs/*.md", "docs/guide/intro.md")).toBe(false);
    expect(matches("docs/*.md", "site/docs/intro.md")).toBe(false);
    expect(matches("**/logs", "a/b/logs")).toBe(true);
    expect(matches("**/logs", "a/b/logs/today.txt")).toBe(false);
  });

  it("keeps a leading `!` in front, negating the written-out glob", () => {
    expect(normalisePathGlob("!*.md")).toBe("!**/*.md");
    expect(normalisePathGlob("!/docs/")).toBe("!docs/**");
    expect(matches("!*.md", "docs/guide/intro.md")).toBe(false);
    expect(matches("!*.md", "src/index.ts")).toBe(true);
    expect(compileGlob("!*.md").negate).toBe(true);
  });

  it("narrows `backend/` to the paths with a `backend` folder before matching (no scan of every path)", () => {
    expect(compileGlob("backend/").hints).toEqual([{ prefix: "", directory: "backend" }]);
    expect(compileGlob("/backend/").hints).toEqual([{ prefix: "backend/" }]);
    const index = new FileIndex(["backend/a.py", "src/backend/b.py", "src/backend.py", "backend", "x/backends/c.py"].map((path) => ({ path })));
    expect(index.filesMatching(compileGlob("backend/"))).toEqual([0, 1]);
  });

  it("keeps the user's text as the source, and the written-out glob as the pattern", () => {
    const glob = compileGlob("*.pkl");
    expect(glob.source).toBe("*.pkl");
    expect(glob.pattern).toBe("**/*.pkl");
  });

  it("finds the same files through a FileIndex as minimatch on the written-out glob", () => {
    const paths = ["model.pkl", "a/b/c.pkl", "backend/app.py", "src/backend/x.py", "docs/a.md", "docs/b/c.md", "x/docs/a.md", "backends/z"];
    const index = new FileIndex(paths.map((path) => ({ path })));
    for (const glob of ["*.pkl", "backend/", "/backend/", "/docs/**", "docs/*.md", "!*.md", "*.{pkl,py}", "a/"]) {
      const expected = paths.flatMap((path, i) => (minimatch(path, normalisePathGlob(glob), { dot: true }) ? [i] : []));
      expect(index.filesMatching(compileGlob(glob)), glob).toEqual(expected);
    }
  });

  it("applies in agreements: `paths: [\"*.py\"]` holds for a Python file in a folder", () => {
    const result = judge('  - id: c\n    when:\n      paths: ["*.py"]\n    require:\n      labels: {}\n', { files: [changed("src/train.py")] });
    expect(result.outcome).toBe("pass");
    expect(result.scope).toEqual(["src/train.py"]);
  });

  it("applies to forbidden, companions and size.ignore as well", () => {
    const forbidden = judge('  - id: c\n    require:\n      forbidden: ["*.pkl"]\n', { files: [changed("models/m1/weights.pkl", "added")] });
    expect(forbidden.outcome).toBe("fail");
    const companions = judge('  - id: c\n    require:\n      companions: ["CHANGELOG.md"]\n', { files: [changed("packages/a/CHANGELOG.md")] });
    expect(companions.outcome).toBe("pass");
    const size = judge('  - id: c\n    require:\n      size: { max_files: 1, ignore: ["*.lock"] }\n', { files: [changed("src/a.ts"), changed("web/yarn.lock")] });
    expect(size.outcome).toBe("pass");
  });
});

describe("branch globs are plain minimatch globs", () => {
  it("`main` matches only `main`, not `feature/main`", () => {
    expect(compileBranchGlob("main").matches("main")).toBe(true);
    expect(compileBranchGlob("main").matches("feature/main")).toBe(false);
    expect(compileBranchGlob("release/*").matches("release/1.2")).toBe(true);
    expect(compileBranchGlob("release/*").matches("release/1.2/hotfix")).toBe(false);
    expect(compileBranchGlob("*").matches("feature/x")).toBe(false);
    expect(compileBranchGlob("release/*").pattern).toBe("release/*");
  });

  it("are what base_branches compile to", () => {
    const agreement = compileAgreement({
      id: "a",
      severity: "required",
      mode: "enforce",
      waivable_by: [],
      when: { base_branches: ["main"], paths: ["main"] },
      require: { linked_issue: true },
    });
    expect(agreement.baseBranches?.[0]?.matches("feature/main")).toBe(false);
    // The same text as a path glob matches at any depth.
    expect(agreement.paths?.[0]?.matches("feature/main")).toBe(true);
    const skipped = judge("  - id: c\n    when:\n      base_branches: [main]\n    require:\n      labels: {}\n", { baseBranch: "feature/main" });
    expect(skipped.outcome).toBe("skipped");
    expect(judge("  - id: c\n    when:\n      base_branches: [main]\n    require:\n      labels: {}\n").outcome).toBe("pass");
  });
});

/** Runs `run` and returns its result with the milliseconds it took. */
function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
}

// Generous: minimatch took seconds on these; the matcher takes well under a millisecond or two.
const BOUND_MS = 500;

describe("hostile globs and paths finish quickly, with the right answer", () => {
  const cases: [glob: string, path: string, expected: boolean][] = [
    ["**/*_*_*_*.py", "_".repeat(3_700), false],
    ["**/*_*_*_*.py", `${"_".repeat(3_697)}.py`, true],
    ["**/*_*_*_*.py", `${"a_".repeat(1_848)}x.pyc`, false],
    ["**/*_*_*_*.py", `${"a".repeat(3_696)}_.py`, false],
    ["**/*_*_*_*.py", `${"a/_".repeat(1_232)}.py`, false],
    ["**/*a?a?a?a?a?a?a?a?b*", "a".repeat(3_700), false],
    [`**/${"a/**/".repeat(30)}b`, "a/".repeat(1_850), false],
    [`**/${"a/**/".repeat(30)}b`, `${"a/".repeat(1_849)}b`, true],
    [`**/${"*/**/".repeat(30)}*.py`, `${"x/".repeat(1_849)}y.pyc`, false],
    ["**/a/**/a/**/a/**/a/**/a/**/a/**/b/**", `${"a/".repeat(1_849)}b`, false],
    ["**/+(a|aa)+(a|aa)b", "a".repeat(3_700), false],
    ["**/@(*a|*b)*(c|d)", `${"a".repeat(3_699)}c`, true],
  ];

  it.each(cases)("%s against crafted path %#", (glob, path, expected) => {
    const compiled = compileGlob(glob);
    const [answer, ms] = timed(() => compiled.matches(path));
    expect(answer).toBe(expected);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("rejects huge brace expansions without expanding them", () => {
    const [problem, ms] = timed(() => globProblem("x/{1..100000}/*.pkl"));
    expect(problem).toBe("is `x/{1..100000}/*.pkl`, which expands to more than 256 alternatives; list the folders you mean, or use `x/*/*.pkl`");
    expect(ms).toBeLessThan(BOUND_MS);
    const [chained, chainedMs] = timed(() => globProblem("{a,b}".repeat(200)));
    expect(chained).toMatch(/expands to more than 256 alternatives/);
    expect(chainedMs).toBeLessThan(BOUND_MS);
    expect(() => compileGlob("x/{1..100000}/*.pkl")).toThrow(/expands to more than 256 alternatives/);
  });

  it("accepts a glob of exactly the caps, and refuses one past them", () => {
    expect(globProblem("a".repeat(GLOB_LIMITS.length))).toBeUndefined();
    expect(globProblem("a".repeat(GLOB_LIMITS.length + 1))).toMatch(/^is 1,001 characters long .*at most 1,000 characters/);
    expect(globProblem(`x/{${Array.from({ length: 256 }, (_, i) => i).join(",")}}/*.pkl`)).toBeUndefined();
    expect(globProblem(`x/{${Array.from({ length: 257 }, (_, i) => i).join(",")}}/*.pkl`)).toMatch(/more than 256 alternatives/);
    expect(globProblem(`{${"a".repeat(99)},${"b".repeat(99)}}/{1..100}`)).toMatch(/expand to [\d,]+ characters; Accord reads at most 20,000/);
  });

  it("refuses `!(…)` inside a segment, and says what to write instead", () => {
    expect(globProblem("src/!(vendor)/**")).toMatch(/^is `src\/!\(vendor\)\/\*\*`, which uses `!\(…\)` inside a path segment: .*`@\(a\|b\)`.*leading `!`/);
    expect(globProblem("**/@(a|!(b))")).toMatch(/uses `!\(…\)`/);
    // A leading `!` negates the whole glob, and a `!(` inside a class is a character.
    expect(globProblem("!(vendor)/**")).toBeUndefined();
    expect(globProblem("src/[!(]*")).toBeUndefined();
    expect(globProblem("**/+(a|b).py")).toBeUndefined();
  });

  it("refuses a glob minimatch reads as a comment, and nothing else about `#`", () => {
    expect(globProblem("#notes", "branch")).toMatch(/comment that matches nothing/);
    expect(globProblem("/#notes")).toMatch(/comment that matches nothing/);
    // With no `/`, it is `**/#notes`: a file named `#notes` anywhere.
    expect(globProblem("#notes")).toBeUndefined();
    expect(matches("#notes", "a/#notes")).toBe(true);
  });
});

describe("matching work grows linearly with the path", () => {
  /** Steps for one match, from the matcher's own counter. */
  const stepsFor = (glob: string, path: string) => {
    const compiled = compileGlob(glob);
    matchWork.steps = 0;
    compiled.matches(path);
    return matchWork.steps;
  };

  const shapes: [glob: string, path: (n: number) => string][] = [
    ["**/*a?a?a?b*", (n) => "a".repeat(n)],
    ["**/*_*_*_*.py", (n) => `${"a".repeat(n)}_.py`],
    [`**/${"a/**/".repeat(12)}b`, (n) => `${"a/".repeat(n / 2)}b`],
    [`**/${"a/**/".repeat(12)}b`, (n) => `${"x/".repeat(n / 2)}b`],
    [`**/${"*/**/".repeat(12)}*.py`, (n) => `${"x/".repeat(n / 2)}y.py`],
    ["**/+(a|aa)+(a|aa)b", (n) => "a".repeat(n)],
    ["**/[[:alpha:]]*[[:digit:]]*[!x]", (n) => `${"é".repeat(n)}1é`],
  ];

  it.each(shapes)("for %s", (glob, path) => {
    const small = stepsFor(glob, path(2_000));
    const large = stepsFor(glob, path(4_000));
    const huge = stepsFor(glob, path(8_000));
    // Real work: these shapes read the whole path.
    expect(small).toBeGreaterThanOrEqual(1_000);
    // Twice the path, at most a little over twice the work (a constant for the pattern's own size).
    expect(large).toBeLessThanOrEqual(2 * small + 200);
    expect(huge).toBeLessThanOrEqual(2 * large + 200);
    // And never more than path length × pattern length.
    expect(huge).toBeLessThanOrEqual(8_000 * glob.length);
  });
});
