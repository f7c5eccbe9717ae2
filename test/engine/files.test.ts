import { describe, expect, it } from "vitest";
import { inspectNotebook } from "../../src/engine/requirements/notebooks.js";
import { BLAME, changed, check, judge, renamed, requirement } from "./helpers.js";

const PIPELINES_ONLY = '    when:\n      paths: ["pipelines/**"]\n';

describe("size", () => {
  const rule = '      size: { max_lines: 100, max_files: 3, ignore: ["**/*.lock"] }\n';

  it("passes within the limits, saying the measure and the agreement", () => {
    const result = check("size", rule, { files: [changed("a.ts", "modified", [40, 10]), changed("b.ts", "added", [50, 0])] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("The change is 100 lines across 2 files, within the agreed at most 100 lines and 3 files (not counting `**/*.lock`).");
  });

  it("counts additions plus deletions against max_lines", () => {
    const result = check("size", rule, { files: [changed("a.ts", "modified", [60, 41])] });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe("The change is 101 lines across 1 file; the agreed size is at most 100 lines and 3 files (not counting `**/*.lock`).");
    expect(result.howTo).toBe("Split it into smaller pull requests that each stand on their own, or ask for a waiver if it cannot be split.");
  });

  it("counts files against max_files", () => {
    const files = ["a", "b", "c", "d"].map((name) => changed(`${name}.ts`, "modified", [1, 0]));
    expect(check("size", rule, { files }).outcome).toBe("fail");
    expect(check("size", rule, { files: files.slice(0, 3) }).outcome).toBe("pass");
  });

  it("leaves out files matched by `ignore`, lines and count both", () => {
    const files = [changed("yarn.lock", "modified", [5000, 4000]), changed("sub/Cargo.lock", "modified", [10, 0]), changed("a.ts", "modified", [10, 0])];
    const result = check("size", rule, { files });
    expect(result.outcome).toBe("pass");
    expect(result.message).toMatch(/^The change is 10 lines across 1 file,/);
  });

  it("looks at every changed file, not only the agreement's `paths`", () => {
    const files = [changed("pipelines/a.py", "modified", [10, 0]), changed("src/big.ts", "modified", [500, 0])];
    expect(check("size", "      size: { max_lines: 100 }\n", { files }, PIPELINES_ONLY).outcome).toBe("fail");
  });

  it("counts removed files' deletions", () => {
    expect(check("size", "      size: { max_lines: 100 }\n", { files: [changed("old.ts", "removed", [0, 150])] }).outcome).toBe("fail");
  });

  it("checks one limit when only one is given, and allows a limit of 0", () => {
    expect(check("size", "      size: { max_files: 1 }\n", { files: [changed("a.ts", "modified", [10_000, 0])] }).outcome).toBe("pass");
    expect(check("size", "      size: { max_lines: 0 }\n", { files: [changed("a.ts", "modified", [1, 0])] }).outcome).toBe("fail");
    expect(check("size", "      size: { max_lines: 0 }\n", { files: [changed("a.ts", "modified", [0, 0])] }).outcome).toBe("pass");
  });
});

describe("companions", () => {
  const rule = '      companions: ["models/**/MODEL_CARD.md"]\n';

  it("passes when a changed file matches each glob", () => {
    const result = check("companions", rule, { files: [changed("models/m1/weights.py"), changed("models/m1/MODEL_CARD.md")] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("The agreed companion files are part of the change (`models/**/MODEL_CARD.md`).");
  });

  it("fails when none matches, naming the glob and what to add", () => {
    const result = check("companions", rule, { files: [changed("models/m1/weights.py")] });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe(
      "The teams agreed that changes like these come with an added or updated file matching `models/**/MODEL_CARD.md`; none is in this PR yet.",
    );
    expect(result.howTo).toBe("Add or update a file matching `models/**/MODEL_CARD.md` in this PR.");
    expect(result.files).toEqual([]);
  });

  it("does not count a removed companion", () => {
    expect(check("companions", rule, { files: [changed("models/m1/MODEL_CARD.md", "removed")] }).outcome).toBe("fail");
  });

  it("does not count a companion renamed away from the glob (reading: its path at the head must match)", () => {
    expect(check("companions", rule, { files: [renamed("models/m1/MODEL_CARD.md", "archive/MODEL_CARD.md")] }).outcome).toBe("fail");
  });

  it("counts a file renamed into the glob", () => {
    expect(check("companions", rule, { files: [renamed("docs/card.md", "models/m2/MODEL_CARD.md")] }).outcome).toBe("pass");
  });

  it("looks at every changed file, not only the agreement's `paths`", () => {
    const files = [changed("pipelines/train.py"), changed("models/m1/MODEL_CARD.md")];
    expect(check("companions", rule, { files }, PIPELINES_ONLY).outcome).toBe("pass");
  });

  it("needs a match for every glob, and names only the missing ones", () => {
    const result = check("companions", '      companions: ["CHANGELOG.md", "docs/**"]\n', { files: [changed("CHANGELOG.md")] });
    expect(result.outcome).toBe("fail");
    expect(result.message).toContain("`docs/**`");
    expect(result.message).not.toContain("CHANGELOG");
  });
});

describe("forbidden", () => {
  const rule = '      forbidden: ["**/*.pkl", "data/raw/**"]\n';

  it("passes when nothing matches", () => {
    const result = check("forbidden", rule, { files: [changed("src/a.py")] });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("No file matches what was agreed to stay out of the repository (`**/*.pkl` and `data/raw/**`).");
  });

  it.each(["added", "modified", "copied", "changed"] as const)("fails on a %s file that matches, listing it", (status) => {
    const result = check("forbidden", rule, { files: [changed("models/m.pkl", status), changed("src/a.py")] });
    expect(result.outcome).toBe("fail");
    expect(result.files).toEqual(["models/m.pkl"]);
    expect(result.message).toBe("1 file matches what was agreed to stay out of the repository (`**/*.pkl` and `data/raw/**`): `models/m.pkl`.");
  });

  it("puts paths in code spans, so `__init__` is not read as markdown emphasis", () => {
    expect(check("forbidden", rule, { files: [changed("src/__init__.pkl", "added")] }).message).toContain("`src/__init__.pkl`");
  });

  it("fails on a file renamed to a forbidden path", () => {
    expect(check("forbidden", rule, { files: [renamed("tmp/m.bin", "models/m.pkl")] }).files).toEqual(["models/m.pkl"]);
  });

  it("is fine with removing a forbidden file", () => {
    expect(check("forbidden", rule, { files: [changed("models/m.pkl", "removed")] }).outcome).toBe("pass");
  });

  it("is fine with renaming a forbidden file to an allowed path", () => {
    expect(check("forbidden", rule, { files: [renamed("data/raw/x.csv", "data/clean/x.csv")] }).outcome).toBe("pass");
  });

  it("annotates each offending file with the glob it matched and what to do", () => {
    const result = check("forbidden", rule, { files: [changed("a.pkl", "added"), changed("data/raw/x.csv", "added")] });
    expect(result.annotations).toEqual([
      { path: "a.pkl", title: "Agreed to stay out of the repository", message: expect.stringContaining("matches `**/*.pkl`") },
      { path: "data/raw/x.csv", title: "Agreed to stay out of the repository", message: expect.stringContaining("matches `data/raw/**`") },
    ]);
    expect(result.message).toMatch(/^2 files match /);
    expect(result.howTo).toMatch(/^Remove them from this PR \(`git rm --cached <file>` keeps your local copy\)/);
  });

  it("looks only at files in the agreement's scope", () => {
    const files = [changed("pipelines/model.pkl", "added"), changed("other/model.pkl", "added")];
    expect(check("forbidden", "      forbidden: ['**/*.pkl']\n", { files }, PIPELINES_ONLY).files).toEqual(["pipelines/model.pkl"]);
  });

  it("supports negated globs (`!docs/**` forbids everything outside docs)", () => {
    const result = check("forbidden", "      forbidden: ['!docs/**']\n", { files: [changed("docs/a.md"), changed("src/a.ts")] });
    expect(result.files).toEqual(["src/a.ts"]);
  });

  it("never blames", () => {
    const result = check("forbidden", rule, { files: [changed("a.pkl", "added")] });
    for (const text of [result.message, result.howTo ?? "", ...result.annotations.map((a) => a.message)]) expect(text).not.toMatch(BLAME);
  });
});

const CLEAN = JSON.stringify({ cells: [{ cell_type: "code", source: ["1+1"], outputs: [], execution_count: null }, { cell_type: "markdown", source: ["# hi"] }], nbformat: 4 });
const WITH_OUTPUT = JSON.stringify({ cells: [{ cell_type: "code", source: ["1+1"], outputs: [{ output_type: "execute_result", data: { "text/plain": ["2"] } }], execution_count: 1 }] });
const COUNT_ONLY = JSON.stringify({ cells: [{ cell_type: "code", source: ["x=1"], outputs: [], execution_count: 3 }] });
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";

describe("inspectNotebook", () => {
  it("reads a cleared notebook as clean", () => {
    expect(inspectNotebook(CLEAN)).toEqual({ kind: "clean" });
  });

  it("counts cells with outputs or an execution count", () => {
    expect(inspectNotebook(WITH_OUTPUT)).toEqual({ kind: "outputs", cells: 1 });
    expect(inspectNotebook(COUNT_ONLY)).toEqual({ kind: "outputs", cells: 1 });
  });

  it("explains notebooks it cannot read", () => {
    expect(inspectNotebook("{not json")).toMatchObject({ kind: "unparseable", why: expect.stringMatching(/^it is not valid JSON/) });
    expect(inspectNotebook('{"worksheets": []}')).toMatchObject({ kind: "unparseable", why: expect.stringContaining("no `cells` list") });
    expect(inspectNotebook("null")).toMatchObject({ kind: "unparseable" });
    expect(inspectNotebook(LFS_POINTER)).toEqual({ kind: "unparseable", why: "it is a Git LFS pointer, so its cells are not in the repository" });
  });
});

describe("notebooks", () => {
  const rule = "      notebooks: { outputs: cleared }\n";

  it("passes cleared notebooks, counting them", () => {
    const result = check("notebooks", rule, { files: [changed("nb/a.ipynb")], notebooks: { "nb/a.ipynb": CLEAN } });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("1 notebook committed with outputs cleared, as agreed.");
  });

  it("passes when no notebook changed", () => {
    expect(check("notebooks", rule, { files: [changed("a.py")] }).message).toBe("No notebook changed.");
  });

  it("fails a notebook with outputs, annotated with the command that clears it", () => {
    const result = check("notebooks", rule, { files: [changed("nb/a.ipynb")], notebooks: { "nb/a.ipynb": WITH_OUTPUT } });
    expect(result.outcome).toBe("fail");
    expect(result.files).toEqual(["nb/a.ipynb"]);
    expect(result.message).toBe("The teams agreed to commit notebooks with outputs cleared; `nb/a.ipynb` still has outputs.");
    expect(result.annotations[0]!.message).toContain("jupyter nbconvert --clear-output --inplace nb/a.ipynb");
  });

  it("fails a notebook with only a non-null execution_count", () => {
    expect(check("notebooks", rule, { files: [changed("a.ipynb")], notebooks: { "a.ipynb": COUNT_ONLY } }).outcome).toBe("fail");
  });

  it("fails an unparseable notebook with the reason", () => {
    const result = check("notebooks", rule, { files: [changed("a.ipynb")], notebooks: { "a.ipynb": "{oops" } });
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe("The teams agreed to commit notebooks with outputs cleared; `a.ipynb` could not be read as a notebook.");
    expect(result.annotations[0]!.message).toMatch(/^Accord could not read this notebook: it is not valid JSON/);
    expect(result.howTo).toMatch(/valid JSON saved by Jupyter/);
  });

  it("fails a notebook stored as a Git LFS pointer, saying so", () => {
    const result = check("notebooks", rule, { files: [changed("a.ipynb")], notebooks: { "a.ipynb": LFS_POINTER } });
    expect(result.outcome).toBe("fail");
    expect(result.annotations[0]!.message).toBe("Accord could not read this notebook: it is a Git LFS pointer, so its cells are not in the repository.");
  });

  it("is an error, not a pass, when a notebook's text could not be fetched", () => {
    const result = check("notebooks", rule, { files: [changed("a.ipynb")], notebooks: { "a.ipynb": null } });
    expect(result.outcome).toBe("error");
    expect(result.message).toBe("Accord could not read `a.ipynb` at the head commit.");
    expect(check("notebooks", rule, { files: [changed("a.ipynb")] }).outcome).toBe("error");
  });

  it("ignores removed notebooks and notebooks outside the agreement's scope", () => {
    expect(check("notebooks", rule, { files: [changed("a.ipynb", "removed")] }).outcome).toBe("pass");
    const scoped = judge(`  - id: nb\n${PIPELINES_ONLY}    require:\n${rule}`, {
      files: [changed("pipelines/ok.ipynb"), changed("other/a.ipynb")],
      notebooks: { "pipelines/ok.ipynb": CLEAN, "other/a.ipynb": WITH_OUTPUT },
    });
    expect(requirement(scoped, "notebooks").outcome).toBe("pass");
  });

  it("recognises .IPYNB in any case", () => {
    expect(check("notebooks", rule, { files: [changed("A.IPYNB")], notebooks: { "A.IPYNB": WITH_OUTPUT } }).outcome).toBe("fail");
  });

  it("names both kinds of problem together", () => {
    const result = check("notebooks", rule, { files: [changed("a.ipynb"), changed("b.ipynb")], notebooks: { "a.ipynb": WITH_OUTPUT, "b.ipynb": "{" } });
    expect(result.message).toBe("The teams agreed to commit notebooks with outputs cleared; `a.ipynb` still has outputs, and `b.ipynb` could not be read as a notebook.");
    expect(result.files).toEqual(["a.ipynb", "b.ipynb"]);
  });
});

describe("max_file_size", () => {
  const rule = "      max_file_size: 1MB\n";
  const MB = 1024 * 1024;

  it("passes files at or under the limit", () => {
    const result = check("max_file_size", rule, { files: [changed("a.bin", "added")], fileSizes: { "a.bin": MB } });
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe("Every changed file is within the agreed 1 MB.");
  });

  it("fails a larger file, with its size", () => {
    const result = check("max_file_size", rule, { files: [changed("a.bin", "added")], fileSizes: { "a.bin": 3 * MB } });
    expect(result.outcome).toBe("fail");
    expect(result.files).toEqual(["a.bin"]);
    expect(result.message).toBe("1 file is larger than the agreed 1 MB: `a.bin` (3 MB).");
    expect(result.annotations[0]!.message).toBe("This file is 3 MB; the teams agreed on at most 1 MB per file. Move it to Git LFS or object storage.");
  });

  it("says the bytes when the rounded size would equal the limit", () => {
    const result = check("max_file_size", rule, { files: [changed("a.bin", "added")], fileSizes: { "a.bin": MB + 1 } });
    expect(result.message).toBe("1 file is larger than the agreed 1 MB: `a.bin` (1,048,577 bytes).");
  });

  it.each([
    ["500B", 501, 500],
    ["2KB", 2049, 2048],
    ["1.5GB", 1.5 * 1024 ** 3 + 1, 1.5 * 1024 ** 3],
    ["1024", 1025, 1024],
  ])("reads %s in powers of 1024", (limit, over, at) => {
    const require = `      max_file_size: ${limit}\n`;
    expect(check("max_file_size", require, { files: [changed("f", "added")], fileSizes: { f: over } }).outcome).toBe("fail");
    expect(check("max_file_size", require, { files: [changed("f", "added")], fileSizes: { f: at } }).outcome).toBe("pass");
  });

  it("is an error when a size is missing or unreadable, naming the file", () => {
    const missing = check("max_file_size", rule, { files: [changed("a.bin", "added")] });
    expect(missing.outcome).toBe("error");
    expect(missing.message).toBe("Accord could not read the size of `a.bin` at the head commit.");
    expect(check("max_file_size", rule, { files: [changed("a.bin", "added")], fileSizes: { "a.bin": null } }).outcome).toBe("error");
  });

  it("a certain failure outweighs a missing size", () => {
    expect(check("max_file_size", rule, { files: [changed("a", "added"), changed("b", "added")], fileSizes: { a: 2 * MB } }).outcome).toBe("fail");
  });

  it("does not ask about removed files", () => {
    expect(check("max_file_size", rule, { files: [changed("a.bin", "removed")] }).outcome).toBe("pass");
  });

  it("checks modified and renamed files at the head", () => {
    expect(check("max_file_size", rule, { files: [changed("a.bin", "modified")], fileSizes: { "a.bin": 2 * MB } }).outcome).toBe("fail");
    expect(check("max_file_size", rule, { files: [renamed("old.bin", "new.bin")], fileSizes: { "new.bin": 2 * MB } }).files).toEqual(["new.bin"]);
  });
});
