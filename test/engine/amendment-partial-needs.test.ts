import { describe, expect, it } from "vitest";
import { changesAgreementFile } from "../../src/engine/amendment.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { contentNeeds } from "../../src/engine/needs.js";
import type { ChangedFile } from "../../src/engine/facts.js";
import { agreementsFrom, approved, changed, facts, renamed, TEAMS, wordsOf, BLAME } from "./helpers.js";

const FILE = agreementsFrom(`version: 1
${TEAMS}
agreements:
  - id: no-binaries
    require:
      forbidden: ["**/*.pkl"]
`);

describe("amend-agreements (SPEC §1.4)", () => {
  it("is absent when the agreement file is unchanged", () => {
    const evaluation = evaluate(FILE, facts({ files: [changed("src/a.ts")] }));
    expect(evaluation.agreements.map((a) => a.id)).toEqual(["no-binaries"]);
  });

  it.each([".github/agreements.yml", ".github/agreements.yaml"])("is added after the file's own agreements when %s changes", (path) => {
    const evaluation = evaluate(FILE, facts({ author: "zed", files: [changed("src/a.ts"), changed(path)] }));
    expect(evaluation.agreements.map((a) => a.id)).toEqual(["no-binaries", "amend-agreements"]);
    const amendment = evaluation.agreements[1]!;
    expect(amendment).toMatchObject({ implicit: true, severity: "required", mode: "enforce", outcome: "waiting" });
    expect(amendment.title).toBe("Changes to the agreements are approved by every team");
    expect(amendment.context).toMatch(/each team approves a change before it lands/);
    expect(evaluation.conclusion).toBe("waiting");
  });

  it("counts when the agreement file is added, removed, or renamed to or from", () => {
    const cases: ChangedFile[][] = [
      [changed(".github/agreements.yml", "added")],
      [changed(".github/agreements.yml", "removed")],
      [renamed(".github/agreements.yaml", ".github/agreements.yml")],
      [renamed(".github/agreements.yml", ".github/old-agreements.yml")],
    ];
    for (const files of cases) {
      expect(changesAgreementFile(files), JSON.stringify(files)).toBe(true);
      expect(evaluate(FILE, facts({ files })).agreements.some((a) => a.id === "amend-agreements")).toBe(true);
    }
    expect(changesAgreementFile([changed("docs/agreements.yml"), changed(".github/agreements.yml.bak")])).toBe(false);
  });

  it("needs one approval from each team of the base version, naming each team", () => {
    const evaluation = evaluate(FILE, facts({ author: "zed", files: [changed(".github/agreements.yml")], reviews: [approved("alice")] }));
    const amendment = evaluation.agreements[1]!;
    expect(amendment.requirements).toHaveLength(1);
    expect(amendment.requirements[0]).toMatchObject({ kind: "approvals", outcome: "waiting", message: "Waiting for an approval from Platform." });
  });

  it("is met with one approval from each team (the author's own does not count)", () => {
    const files = [changed(".github/agreements.yml")];
    expect(evaluate(FILE, facts({ author: "zed", files, reviews: [approved("alice"), approved("carol")] })).conclusion).toBe("success");
    expect(evaluate(FILE, facts({ author: "alice", files, reviews: [approved("alice"), approved("carol")] })).conclusion).toBe("waiting");
    expect(evaluate(FILE, facts({ author: "alice", files, reviews: [approved("bob"), approved("carol")] })).conclusion).toBe("success");
  });

  it("is absent with `amendments: none`", () => {
    const none = agreementsFrom(`version: 1\n${TEAMS}\nsettings:\n  amendments: none\nagreements: []\n`);
    expect(evaluate(none, facts({ files: [changed(".github/agreements.yml")] })).agreements).toEqual([]);
  });

  it("is absent when the base version defines no teams (nobody to approve)", () => {
    const teamless = agreementsFrom("version: 1\nagreements: []\n");
    expect(evaluate(teamless, facts({ files: [changed(".github/agreements.yml")] })).agreements).toEqual([]);
  });

  it("follows the adapter's `agreementFileChanged` when it knows better than the file list", () => {
    expect(evaluate(FILE, facts({ files: [changed("src/a.ts")], agreementFileChanged: true })).agreements.map((a) => a.id)).toContain("amend-agreements");
    expect(evaluate(FILE, facts({ files: [changed(".github/agreements.yml")], agreementFileChanged: false })).agreements.map((a) => a.id)).not.toContain("amend-agreements");
  });
});

/** 3,000 listed files of a PR that changes `total`. */
function partial(listed: ChangedFile[], total = 3500): Parameters<typeof facts>[0] {
  return { files: listed, changedFileCount: total };
}

const LARGE = agreementsFrom(`version: 1
${TEAMS}
settings:
  amendments: none
agreements:
  - id: pipelines
    when:
      paths: ["pipelines/**"]
    require:
      approvals: [{ team: platform }]
  - id: title
    require:
      title: { pattern: "^feat" }
  - id: binaries
    require:
      forbidden: ["**/*.pkl"]
  - id: size
    require:
      size: { max_files: 5000 }
  - id: small-size
    require:
      size: { max_files: 10 }
  - id: card
    require:
      companions: ["**/MODEL_CARD.md"]
  - id: card-present
    require:
      companions: ["src/**"]
  - id: big-files
    require:
      max_file_size: 1GB
  - id: docs-ignored
    when:
      paths_ignore: ["src/**"]
    require:
      linked_issue: true
  - id: on-dev
    when:
      base_branches: [dev]
      paths: ["pipelines/**"]
    require:
      linked_issue: true
`);

describe("a pull request with more changed files than GitHub lists", () => {
  const listed = Array.from({ length: 3000 }, (_, i) => changed(`src/f${i}.ts`, "modified", [1, 0]));
  const sizes = Object.fromEntries(listed.map((file) => [file.path, 10]));
  const evaluation = evaluate(LARGE, facts({ ...partial(listed), title: "feat: big", fileSizes: sizes }));
  const outcome = (id: string) => evaluation.agreements.find((a) => a.id === id)!;

  it("makes an agreement whose `paths` match no listed file an error, saying why", () => {
    expect(outcome("pipelines").outcome).toBe("error");
    expect(outcome("pipelines").note).toBe(
      "GitHub lists only the first 3,000 of this PR's 3,500 changed files, and this agreement could depend on the ones not listed, so Accord cannot tell whether it is met and does not guess.",
    );
    expect(outcome("pipelines").howTo).toMatch(/^Split the PR into smaller ones so GitHub lists every changed file/);
  });

  it("evaluates agreements that do not depend on files normally", () => {
    expect(outcome("title").outcome).toBe("pass");
  });

  it("does not pass what unlisted files could break (forbidden, size, companions, file sizes)", () => {
    for (const id of ["binaries", "big-files"]) {
      expect(outcome(id).outcome, id).toBe("error");
      expect(outcome(id).requirements[0]!.message, id).toMatch(/^GitHub lists only the first 3,000 of this PR's 3,500 changed files/);
    }
    expect(outcome("card").outcome).toBe("error");
  });

  it("errs on a size in lines, which unlisted files could push over", () => {
    const lines = agreementsFrom("version: 1\nagreements:\n  - id: lines\n    require:\n      size: { max_lines: 100000, max_files: 5000 }\n");
    const result = evaluate(lines, facts(partial(listed))).agreements[0]!;
    expect(result.outcome).toBe("error");
  });

  it("passes a file-count limit that even every unlisted file could not exceed", () => {
    expect(outcome("size").outcome).toBe("pass");
    expect(outcome("size").requirements[0]!.message).toBe("The change is at most 3500 files, within the agreed at most 5000 files.");
    const tight = evaluate(LARGE, facts({ ...partial(listed, 5001), fileSizes: sizes }));
    expect(tight.agreements.find((a) => a.id === "size")!.outcome).toBe("error");
  });

  it("keeps a failure that is already certain", () => {
    expect(outcome("small-size").outcome).toBe("fail");
    const withBinary = evaluate(LARGE, facts({ ...partial([...listed.slice(1), changed("m.pkl", "added")]), fileSizes: sizes }));
    expect(withBinary.agreements.find((a) => a.id === "binaries")!.outcome).toBe("fail");
  });

  it("keeps a pass that is already certain (a companion that is listed)", () => {
    expect(outcome("card-present").outcome).toBe("pass");
  });

  it("applies a `paths_ignore`-only agreement when a listed file is not ignored, and errs when none is", () => {
    expect(outcome("docs-ignored").outcome).toBe("error");
    const withDocs = evaluate(LARGE, facts({ ...partial([...listed.slice(1), changed("docs/a.md")]), body: "Fixes #1", fileSizes: sizes }));
    expect(withDocs.agreements.find((a) => a.id === "docs-ignored")!.outcome).toBe("pass");
  });

  it("still skips an agreement that other conditions rule out", () => {
    expect(outcome("on-dev").outcome).toBe("skipped");
  });

  it("concludes failure, and a waiver turns the error into waived", () => {
    expect(evaluation.conclusion).toBe("failure");
    const waived = evaluate(LARGE, facts({ ...partial(listed), fileSizes: sizes }), { waivers: [{ agreementId: "pipelines", by: "carol", reason: "mass rename" }] });
    expect(waived.agreements[0]).toMatchObject({ outcome: "waived", unwaivedOutcome: "error" });
  });

  it("is the same as a complete list when changedFileCount equals the files listed", () => {
    const complete = evaluate(LARGE, facts({ files: listed, changedFileCount: 3000, title: "feat: x", fileSizes: sizes }));
    expect(complete.agreements.find((a) => a.id === "pipelines")!.outcome).toBe("skipped");
    expect(complete.agreements.find((a) => a.id === "binaries")!.outcome).toBe("pass");
  });

  it("cannot clear such a PR of changing the agreement file unless the adapter says so", () => {
    const withAmendments = agreementsFrom(`version: 1\n${TEAMS}\nagreements: []\n`);
    const unknown = evaluate(withAmendments, facts(partial(listed)));
    expect(unknown.agreements).toHaveLength(1);
    expect(unknown.agreements[0]).toMatchObject({ id: "amend-agreements", outcome: "error", implicit: true });
    expect(unknown.agreements[0]!.note).toMatch(/The agreement file may be among the files not listed/);
    expect(evaluate(withAmendments, facts({ ...partial(listed), agreementFileChanged: false })).agreements).toEqual([]);
  });

  it("never blames", () => {
    for (const agreement of evaluation.agreements) for (const words of wordsOf(agreement)) expect(words).not.toMatch(BLAME);
  });
});

describe("contentNeeds", () => {
  const file = agreementsFrom(`version: 1
${TEAMS}
agreements:
  - id: small
    when:
      paths: ["models/**", "nb/**"]
    require:
      max_file_size: 5MB
  - id: notebooks
    when:
      paths: ["nb/**"]
    require:
      notebooks: { outputs: cleared }
  - id: docs-notebooks
    when:
      labels: [docs]
    require:
      notebooks: { outputs: cleared }
  - id: no-content
    require:
      forbidden: ["**/*.pkl"]
`);

  it("asks only for the sizes and notebooks that applicable agreements need", () => {
    const needs = contentNeeds(
      file,
      facts({
        files: [changed("models/a.bin", "added"), changed("nb/a.ipynb"), changed("nb/b.py"), changed("src/c.ipynb"), changed("models/old.bin", "removed")],
      }),
    );
    expect(needs.sizes.sort()).toEqual(["models/a.bin", "nb/a.ipynb", "nb/b.py"]);
    expect(needs.notebooks).toEqual(["nb/a.ipynb"]);
  });

  it("asks for nothing when no agreement needs contents", () => {
    expect(contentNeeds(file, facts({ files: [changed("src/a.ts")] }))).toEqual({ sizes: [], notebooks: [] });
  });

  it("asks for notebooks of an agreement once its condition holds", () => {
    expect(contentNeeds(file, facts({ labels: ["docs"], files: [changed("src/c.ipynb")] })).notebooks).toEqual(["src/c.ipynb"]);
  });

  it("asks at the head path of a renamed file, never for removed ones", () => {
    const needs = contentNeeds(file, facts({ files: [renamed("models/a.bin", "models/b.bin"), changed("nb/gone.ipynb", "removed")] }));
    expect(needs.sizes).toEqual(["models/b.bin"]);
    expect(needs.notebooks).toEqual([]);
  });

  it("matches what evaluate then reads: with exactly those contents, nothing is an error", () => {
    const prFacts = facts({ files: [changed("models/a.bin", "added"), changed("nb/a.ipynb")] });
    const needs = contentNeeds(file, prFacts);
    const evaluation = evaluate(file, {
      ...prFacts,
      fileSizes: Object.fromEntries(needs.sizes.map((path) => [path, 1])),
      notebooks: Object.fromEntries(needs.notebooks.map((path) => [path, '{"cells": []}'])),
    });
    expect(evaluation.agreements.filter((a) => a.outcome === "error")).toEqual([]);
  });
});
