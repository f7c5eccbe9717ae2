/** Evaluations for renderer tests, made by the real engine from a realistic agreement file. */
import { evaluate } from "../../src/engine/evaluate.js";
import type { PullRequestFacts, Waiver } from "../../src/engine/facts.js";
import type { Evaluation } from "../../src/engine/result.js";
import type { RenderInput } from "../../src/render/report-model.js";
import { agreementsFrom, approved, changed, facts, TEAMS } from "../engine/helpers.js";

export const FILE = agreementsFrom(`version: 1
${TEAMS}
agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams
    context: |
      Pipelines decide both model quality and cluster cost, so each side looks.
    when: { paths: ["pipelines/**"] }
    require:
      approvals: [{ team: data-science }, { team: platform }]
  - id: no-binaries
    title: No model binaries in git
    waivable_by: [platform]
    require: { forbidden: ["**/*.pkl"] }
  - id: describe
    title: Every PR says what and how
    severity: advisory
    require: { description: { sections: [What, How] } }
  - id: notebooks-cleared
    title: Notebooks are committed without outputs
    mode: trial
    require: { notebooks: { outputs: cleared } }
  - id: docs-linked
    title: Docs changes link an issue
    when: { paths: ["docs/**"] }
    require: { linked_issue: true }
`);

export const GOOD_BODY = "## What\nAdds a retry.\n\n## How\nWith backoff.\n";

/** A PR that meets everything: pipelines change approved by both teams, good description. */
export const MET: Partial<PullRequestFacts> = {
  author: "zed",
  body: GOOD_BODY,
  files: [changed("pipelines/train.py")],
  reviews: [approved("alice"), approved("carol")],
};

export function evaluationOf(overrides: Partial<PullRequestFacts> = {}, waivers: Waiver[] = []): Evaluation {
  return evaluate(FILE, facts({ ...MET, ...overrides }), { waivers });
}

export function inputOf(evaluation: Evaluation, extra: Partial<RenderInput> = {}): RenderInput {
  return { evaluation, teamNames: { "data-science": "Data Science", platform: "Platform" }, ...extra };
}

export const SCENARIOS = {
  success: () => evaluationOf(),
  waitingPlatform: () => evaluationOf({ reviews: [approved("alice")] }),
  waitingBoth: () => evaluationOf({ reviews: [] }),
  neutral: () => evaluationOf({ body: "" }),
  failure: () => evaluationOf({ files: [changed("pipelines/train.py"), changed("models/m.pkl", "added")], reviews: [approved("alice")] }),
  waived: () =>
    evaluationOf({ files: [changed("pipelines/train.py"), changed("models/m.pkl", "added")] }, [
      { agreementId: "no-binaries", by: "carol", reason: "A 2 KB fixture model for the tests" },
    ]),
};
