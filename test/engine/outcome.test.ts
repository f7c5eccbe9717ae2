import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { applyWaiver, combineRequirements, conclude, isUnmet } from "../../src/engine/outcome.js";
import type { Outcome, RequirementOutcome } from "../../src/engine/result.js";
import { agreementsFrom, approved, changed, facts, TEAMS } from "./helpers.js";

describe("combineRequirements (SPEC §1.3)", () => {
  it.each<[RequirementOutcome[], Outcome]>([
    [[], "pass"],
    [["pass"], "pass"],
    [["pass", "waiting"], "waiting"],
    [["waiting", "error"], "error"],
    [["error", "fail"], "fail"],
    [["fail", "waiting", "error", "pass"], "fail"],
    [["pass", "error"], "error"],
  ])("%j → %s", (outcomes, expected) => {
    expect(combineRequirements(outcomes)).toBe(expected);
  });
});

describe("applyWaiver", () => {
  it.each<[Outcome, Outcome]>([
    ["fail", "waived"],
    ["waiting", "waived"],
    ["error", "waived"],
    ["pass", "pass"],
    ["skipped", "skipped"],
    ["waived", "waived"],
  ])("turns %s into %s", (outcome, expected) => {
    expect(applyWaiver(outcome, true)).toBe(expected);
  });

  it("leaves every outcome alone without a waiver", () => {
    for (const outcome of ["pass", "fail", "waiting", "waived", "skipped", "error"] as const) expect(applyWaiver(outcome, false)).toBe(outcome);
  });

  it("isUnmet is fail, waiting and error", () => {
    expect((["pass", "fail", "waiting", "waived", "skipped", "error"] as const).filter(isUnmet)).toEqual(["fail", "waiting", "error"]);
  });
});

describe("conclude (SPEC §1.3)", () => {
  const a = (outcome: Outcome, severity: "required" | "advisory" = "required", mode: "enforce" | "trial" = "enforce") => ({ outcome, severity, mode });

  it("success with nothing, or everything met, skipped or waived", () => {
    expect(conclude([])).toBe("success");
    expect(conclude([a("pass"), a("skipped"), a("waived"), a("pass", "advisory")])).toBe("success");
  });

  it("failure when a required agreement fails or errs", () => {
    expect(conclude([a("pass"), a("fail")])).toBe("failure");
    expect(conclude([a("error")])).toBe("failure");
  });

  it("failure outranks waiting and advice", () => {
    expect(conclude([a("waiting"), a("fail"), a("fail", "advisory")])).toBe("failure");
  });

  it("waiting when a required agreement waits and none fails", () => {
    expect(conclude([a("waiting"), a("fail", "advisory")])).toBe("waiting");
  });

  it("neutral when only advisory agreements are unmet", () => {
    for (const outcome of ["fail", "waiting", "error"] as const) expect(conclude([a("pass"), a(outcome, "advisory")])).toBe("neutral");
  });

  it("trial agreements never change the conclusion", () => {
    for (const outcome of ["fail", "waiting", "error"] as const) {
      expect(conclude([a(outcome, "required", "trial")])).toBe("success");
      expect(conclude([a(outcome, "advisory", "trial")])).toBe("success");
    }
  });
});

describe("evaluate: outcomes end to end", () => {
  const file = agreementsFrom(`version: 1
${TEAMS}
agreements:
  - id: reviews
    waivable_by: [platform]
    require:
      approvals: [{ team: platform }]
  - id: binaries
    waivable_by: [platform]
    require:
      forbidden: ["**/*.pkl"]
  - id: issue
    severity: advisory
    require:
      linked_issue: true
  - id: trial-size
    mode: trial
    require:
      size: { max_lines: 1 }
  - id: docs-only
    when:
      paths: ["docs/**"]
    require:
      linked_issue: true
`);

  const base = facts({ author: "alice", files: [changed("src/a.ts", "modified", [5, 5])], body: "Fixes #1" });

  it("lists agreements in file order, with outcome, severity and mode", () => {
    const evaluation = evaluate(file, base);
    expect(evaluation.agreements.map((r) => [r.id, r.outcome, r.severity, r.mode])).toEqual([
      ["reviews", "waiting", "required", "enforce"],
      ["binaries", "pass", "required", "enforce"],
      ["issue", "pass", "advisory", "enforce"],
      ["trial-size", "fail", "required", "trial"],
      ["docs-only", "skipped", "required", "enforce"],
    ]);
    expect(evaluation.conclusion).toBe("waiting");
  });

  it("an agreement's title defaults to its id", () => {
    expect(evaluate(file, base).agreements[0]!.title).toBe("reviews");
  });

  it("reaches success once the approval arrives (the trial failure does not count)", () => {
    expect(evaluate(file, { ...base, reviews: [approved("carol")] }).conclusion).toBe("success");
  });

  it("is neutral when only advice is unmet", () => {
    expect(evaluate(file, { ...base, reviews: [approved("carol")], body: "" }).conclusion).toBe("neutral");
  });

  it("fails on a forbidden file, whatever else waits", () => {
    const evaluation = evaluate(file, { ...base, files: [changed("m.pkl", "added")] });
    expect(evaluation.conclusion).toBe("failure");
    expect(evaluation.agreements[1]!.outcome).toBe("fail");
  });

  it("a waiver turns fail and waiting into waived, keeps the unwaived outcome and the waiver", () => {
    const waivers = [
      { agreementId: "reviews", by: "carol", reason: "Platform is on an offsite" },
      { agreementId: "binaries", by: "dave", reason: "Tiny fixture model" },
    ];
    const evaluation = evaluate(file, { ...base, files: [changed("m.pkl", "added")] }, { waivers });
    expect(evaluation.agreements[0]).toMatchObject({ outcome: "waived", unwaivedOutcome: "waiting", waiver: waivers[0] });
    expect(evaluation.agreements[1]).toMatchObject({ outcome: "waived", unwaivedOutcome: "fail", waiver: waivers[1] });
    expect(evaluation.conclusion).toBe("success");
  });

  it("a waiver leaves pass and skipped alone, and is not attached to them", () => {
    const waivers = [
      { agreementId: "binaries", by: "dave", reason: "n/a" },
      { agreementId: "docs-only", by: "dave", reason: "n/a" },
    ];
    const evaluation = evaluate(file, base, { waivers });
    expect(evaluation.agreements[1]).toMatchObject({ outcome: "pass", unwaivedOutcome: "pass" });
    expect(evaluation.agreements[1]!.waiver).toBeUndefined();
    expect(evaluation.agreements[4]).toMatchObject({ outcome: "skipped" });
    expect(evaluation.agreements[4]!.waiver).toBeUndefined();
  });

  it("a waiver turns an error into waived", () => {
    const sized = agreementsFrom("version: 1\nagreements:\n  - id: small\n    require:\n      max_file_size: 1KB\n");
    const prFacts = facts({ files: [changed("a.bin", "added")] });
    expect(evaluate(sized, prFacts).agreements[0]!.outcome).toBe("error");
    expect(evaluate(sized, prFacts).conclusion).toBe("failure");
    const waived = evaluate(sized, prFacts, { waivers: [{ agreementId: "small", by: "x", reason: "y" }] });
    expect(waived.agreements[0]).toMatchObject({ outcome: "waived", unwaivedOutcome: "error" });
    expect(waived.conclusion).toBe("success");
  });

  it("records the changed files each agreement looked at", () => {
    const evaluation = evaluate(file, { ...base, files: [changed("src/a.ts"), changed("docs/b.md")] });
    expect(evaluation.agreements[0]!.scope).toEqual(["src/a.ts", "docs/b.md"]);
    expect(evaluation.agreements[4]!.scope).toEqual(["docs/b.md"]);
  });

  it("lists requirements in the documented order, whatever order the file uses", () => {
    const many = agreementsFrom(`version: 1
${TEAMS}
agreements:
  - id: many
    require:
      max_file_size: 1GB
      linked_issue: true
      forbidden: ["x"]
      title: { pattern: "." }
      approvals: [{ team: platform }]
`);
    const result = evaluate(many, facts({ fileSizes: { "src/app.ts": 1 } })).agreements[0]!;
    expect(result.requirements.map((r) => r.kind)).toEqual(["approvals", "title", "forbidden", "linked_issue", "max_file_size"]);
  });

  it("trims the teams' context and keeps it with the result", () => {
    const withContext = agreementsFrom("version: 1\nagreements:\n  - id: a\n    context: |\n      Keeps the cluster bill sane.\n    require: { linked_issue: true }\n");
    expect(evaluate(withContext, facts()).agreements[0]!.context).toBe("Keeps the cluster bill sane.");
  });

  it("is pure: the same input gives the same output, and the input is not changed", () => {
    const input = facts({ files: [changed("m.pkl", "added")], reviews: [approved("carol")] });
    const copy = structuredClone(input);
    const first = evaluate(file, input);
    expect(evaluate(file, input)).toEqual(first);
    expect(input).toEqual(copy);
  });
});
