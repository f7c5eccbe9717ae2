import { describe, expect, it } from "vitest";
import { parseAgreements } from "../../src/agreement/parse.js";
import type { AgreementResult, Evaluation } from "../../src/engine/result.js";
import { configHeadline, headline, pendingTeams } from "../../src/render/headline.js";
import { approved, changed } from "../engine/helpers.js";
import { SCENARIOS, evaluationOf } from "./fixtures.js";

/** A hand-made agreement result, for conclusions the fixture file does not reach. */
function result(id: string, outcome: AgreementResult["outcome"], extra: Partial<AgreementResult> = {}): AgreementResult {
  return { id, title: id, severity: "required", mode: "enforce", outcome, unwaivedOutcome: outcome, requirements: [], implicit: false, scope: [], ...extra };
}

const pendingFrom = (team: string, teamName: string, needed = 1, have = 0): AgreementResult["requirements"][number] => ({
  kind: "approvals",
  outcome: "waiting",
  message: "",
  howTo: "",
  files: [],
  annotations: [],
  pending: [{ team, teamName, needed, have }],
});

describe("headline: one line saying what stands between the PR and green", () => {
  it("success", () => {
    const evaluation = SCENARIOS.success();
    expect(evaluation.conclusion).toBe("success");
    expect(headline(evaluation)).toBe("All agreements met");
  });

  it("success with a waiver says how many were waived", () => {
    const evaluation = evaluationOf({ files: [changed("pipelines/train.py"), changed("m.pkl", "added")] }, [{ agreementId: "no-binaries", by: "carol", reason: "fixture" }]);
    expect(evaluation.conclusion).toBe("success");
    expect(headline(evaluation)).toBe("All agreements met (1 waived)");
  });

  it("waiting for one team: `Waiting for a review from Platform`", () => {
    const evaluation = SCENARIOS.waitingPlatform();
    expect(evaluation.conclusion).toBe("waiting");
    expect(headline(evaluation)).toBe("Waiting for a review from Platform");
  });

  it("waiting for two teams names both", () => {
    expect(headline(SCENARIOS.waitingBoth())).toBe("Waiting for reviews from Data Science and Platform");
  });

  it("waiting for two reviews from one team says two", () => {
    const evaluation: Evaluation = { conclusion: "waiting", agreements: [result("a", "waiting", { requirements: [pendingFrom("platform", "Platform", 2, 0)] })] };
    expect(headline(evaluation)).toBe("Waiting for 2 reviews from Platform");
  });

  it("names a team once when several agreements wait for it", () => {
    const evaluation: Evaluation = {
      conclusion: "waiting",
      agreements: [result("a", "waiting", { requirements: [pendingFrom("platform", "Platform")] }), result("b", "waiting", { requirements: [pendingFrom("platform", "Platform")] })],
    };
    expect(headline(evaluation)).toBe("Waiting for a review from Platform");
  });

  it("does not wait on reviews that only an advisory or trial agreement wants", () => {
    const evaluation: Evaluation = {
      conclusion: "waiting",
      agreements: [
        result("a", "waiting", { requirements: [pendingFrom("platform", "Platform")] }),
        result("b", "waiting", { severity: "advisory", requirements: [pendingFrom("data-science", "Data Science")] }),
        result("c", "waiting", { mode: "trial", requirements: [pendingFrom("ops", "Ops")] }),
      ],
    };
    expect(headline(evaluation)).toBe("Waiting for a review from Platform");
    expect(pendingTeams(evaluation).map((p) => p.team)).toEqual(["platform", "data-science"]);
    expect(pendingTeams(evaluation, true).map((p) => p.team)).toEqual(["platform"]);
  });

  it("neutral names the advice", () => {
    const evaluation = SCENARIOS.neutral();
    expect(evaluation.conclusion).toBe("neutral");
    expect(headline(evaluation)).toBe("Met, with advice: Every PR says what and how");
  });

  it("failure names the agreement, then the reviews still needed", () => {
    const evaluation = SCENARIOS.failure();
    expect(evaluation.conclusion).toBe("failure");
    expect(headline(evaluation)).toBe("Needs attention: No model binaries in git; then a review from Platform");
  });

  it("failure without pending reviews names only what failed", () => {
    const evaluation = evaluationOf({ files: [changed("pipelines/train.py"), changed("m.pkl", "added")], reviews: [approved("alice"), approved("carol")] });
    expect(headline(evaluation)).toBe("Needs attention: No model binaries in git");
  });

  it("failure of several agreements counts them and names two", () => {
    const evaluation: Evaluation = { conclusion: "failure", agreements: [result("a", "fail", { title: "A" }), result("b", "error", { title: "B" }), result("c", "fail", { title: "C" })] };
    expect(headline(evaluation)).toBe("3 agreements need attention: A, C and 1 more");
  });

  it("says `could not be checked` when only errors block, which is nothing the author did", () => {
    expect(headline({ conclusion: "failure", agreements: [result("a", "error", { title: "Files stay small" })] })).toBe("Could not be checked: Files stay small");
    expect(headline({ conclusion: "failure", agreements: [result("a", "error", { title: "A" }), result("b", "error", { title: "B" })] })).toBe("2 agreements could not be checked: A and B");
  });

  it("ignores trial and advisory failures in a failure headline", () => {
    const evaluation: Evaluation = {
      conclusion: "failure",
      agreements: [result("t", "fail", { title: "Trial", mode: "trial" }), result("v", "fail", { title: "Advice", severity: "advisory" }), result("r", "fail", { title: "Real" })],
    };
    expect(headline(evaluation)).toBe("Needs attention: Real");
  });

  it("stays one line", () => {
    for (const scenario of Object.values(SCENARIOS)) expect(headline(scenario())).not.toMatch(/\n/);
  });
});

describe("configHeadline", () => {
  it("titles a configuration problem with the count", () => {
    const parsed = parseAgreements("version: 2\nsettings: { coment: x }\n");
    if (parsed.ok) throw new Error("expected problems");
    expect(configHeadline(parsed.problems)).toBe("The agreement file needs a fix (2 problems)");
    expect(configHeadline(parsed.problems.slice(0, 1))).toBe("The agreement file needs a fix (1 problem)");
  });
});
