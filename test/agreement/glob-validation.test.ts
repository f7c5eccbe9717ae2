/**
 * Globs in the agreement file are validated before anything is matched: over the caps, or not
 * matchable in linear time, a glob is a problem located at its own line and column.
 */
import { describe, expect, it } from "vitest";
import { formatProblem, parseAgreements } from "../../src/agreement/parse.js";
import { FILE_GLOB_WORK } from "../../src/agreement/cross-checks.js";
import { MAX_AGREEMENTS, MAX_GLOBS_PER_LIST } from "../../src/agreement/schema.js";

const problemsOf = (text: string) => {
  const parsed = parseAgreements(text);
  return parsed.ok ? [] : parsed.problems.map(formatProblem);
};

const withGlobs = (when: string, require = "      linked_issue: true") => `version: 1
agreements:
  - id: big
    when:
${when}
    require:
${require}
`;

describe("hostile globs are validation errors, found without building them", () => {
  it("a brace expansion past 256 alternatives, at the glob's line and column, quickly", () => {
    const text = withGlobs('      paths:\n        - src/**\n        - "x/{1..100000}/*.pkl"');
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(500);
    expect(problems).toEqual([
      ".github/agreements.yml:7:11: In agreement `big`, `when`: item 2 of `paths` is `x/{1..100000}/*.pkl`, which expands to more than 256 alternatives; list the folders you mean, or use `x/*/*.pkl`",
    ]);
  });

  it("five such globs, as in a pull request's proposed file, each reported, still quickly", () => {
    const globs = Array.from({ length: 5 }, (_, i) => `        - "x${i}/{1..100000}/*.pkl"`).join("\n");
    const started = performance.now();
    const problems = problemsOf(withGlobs(`      paths:\n${globs}`));
    expect(performance.now() - started).toBeLessThan(500);
    expect(problems).toHaveLength(5);
    problems.forEach((problem, i) => expect(problem).toMatch(new RegExp(`^\\.github/agreements\\.yml:${6 + i}:11: .*item ${i + 1} of \`paths\` is \`x${i}/\\{1\\.\\.100000\\}/\\*\\.pkl\`, which expands to more than 256 alternatives`)));
  });

  it("in every list of path globs, and in base_branches", () => {
    const huge = '"{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}"';
    const text = withGlobs(
      `      paths: [${huge}]\n      paths_ignore: [${huge}]\n      base_branches: [${huge}]`,
      `      companions: [${huge}]\n      forbidden: [${huge}]\n      size: { max_files: 3, ignore: [${huge}] }`,
    );
    const problems = problemsOf(text);
    expect(problems).toHaveLength(6);
    for (const key of ["paths", "paths_ignore", "base_branches", "companions", "forbidden", "ignore"]) {
      expect(problems.some((problem) => problem.includes(`item 1 of \`${key}\` is`) && problem.includes("more than 256 alternatives")), key).toBe(true);
    }
  });

  it("a glob over 1,000 characters, without quoting all of it", () => {
    const problems = problemsOf(withGlobs(`      paths: ["${"a".repeat(1_200)}/**"]`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\.github\/agreements\.yml:5:15: In agreement `big`, `when`: item 1 of `paths` is 1,203 characters long \(it starts `a{40}`\); Accord reads globs of at most 1,000 characters/);
    expect(problems[0]!.length).toBeLessThan(300);
  });

  it("`!(…)` inside a segment, saying why and what to write instead; extglobs that run in linear time are fine", () => {
    const problems = problemsOf(withGlobs('      paths: ["src/!(vendor)/**", "src/@(api|web)/**", "**/+([0-9]).sql", "!docs/**"]'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\.github\/agreements\.yml:5:15: .*item 1 of `paths` is `src\/!\(vendor\)\/\*\*`, which uses `!\(…\)` inside a path segment: matching that needs lookahead/);
  });

  it("a branch glob minimatch would read as a comment", () => {
    expect(problemsOf(withGlobs('      base_branches: ["#release"]'))[0]).toMatch(/item 1 of `base_branches` is `#release`, which minimatch reads as a comment that matches nothing/);
  });
});

describe("the file's size is capped", () => {
  it(`at ${MAX_GLOBS_PER_LIST} globs in one list`, () => {
    const list = (count: number) => `      paths: [${Array.from({ length: count }, (_, i) => `d${i}/**`).join(", ")}]`;
    expect(problemsOf(withGlobs(list(MAX_GLOBS_PER_LIST)))).toEqual([]);
    expect(problemsOf(withGlobs(list(MAX_GLOBS_PER_LIST + 1)))).toEqual([
      ".github/agreements.yml:5:14: In agreement `big`, `when`: `paths` lists 201 globs; Accord reads at most 200 in one list. Cover several at once with a broader glob, such as `dir/**` or `*.{csv,parquet}`",
    ]);
  });

  it(`at ${MAX_AGREEMENTS} agreements`, () => {
    const file = (count: number) =>
      `version: 1\nagreements:\n${Array.from({ length: count }, (_, i) => `  - { id: a${i}, require: { linked_issue: true } }`).join("\n")}\n`;
    expect(problemsOf(file(MAX_AGREEMENTS))).toEqual([]);
    expect(problemsOf(file(MAX_AGREEMENTS + 1))).toEqual([
      ".github/agreements.yml:3:3: `agreements` lists 501 agreements; Accord reads at most 500 in one file. Merge agreements that ask the same of the same paths (a list of globs can hold many folders)",
    ]);
  });
});

describe("the work of compiling a file's globs is capped", () => {
  const budgetProblem = `.github/agreements.yml:3:3: \`agreements\` hold globs that come to more than ${FILE_GLOB_WORK.toLocaleString("en-US")} characters, counting each brace alternative; Accord reads at most that in one file. Use fewer brace alternatives (\`*\` in their place), or fewer, broader globs`;

  /** A file of agreements with `perList` distinct globs each, made by `glob`. */
  const fileOf = (agreements: number, perList: number, glob: (n: number) => string) =>
    `version: 1\nagreements:\n${Array.from(
      { length: agreements },
      (_, a) => `  - id: a${a}\n    when:\n      paths: [${Array.from({ length: perList }, (_, g) => JSON.stringify(glob(a * perList + g))).join(", ")}]\n    require: { linked_issue: true }`,
    ).join("\n")}\n`;

  it("2,000 globs of large brace expansions (seconds of work without the cap): one problem for the file, found quickly", () => {
    // Each glob expands to 256 alternatives of about 70 characters: within the caps of one glob.
    const text = fileOf(10, 200, (n) => `{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}/${"a-long-folder-name-".repeat(3)}${n}/**`);
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(problems).toEqual([budgetProblem]);
  });

  it("600 globs of 1,000 characters full of `[`: the same, quickly", () => {
    const text = fileOf(3, 200, (n) => `${"[".repeat(990)}${n}`);
    const started = performance.now();
    const problems = problemsOf(text);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(problems).toEqual([budgetProblem]);
  });

  it("a large real file is well within it", () => {
    const agreements = Array.from(
      { length: 300 },
      (_, a) => `  - id: a${a}\n    when:\n      paths: [${Array.from({ length: 10 }, (_, g) => `"services/team-${a}/component-${g}/**/*.{py,ts,sql}"`).join(", ")}]\n    require: { linked_issue: true }`,
    ).join("\n");
    expect(problemsOf(`version: 1\nagreements:\n${agreements}\n`)).toEqual([]);
  });
});
