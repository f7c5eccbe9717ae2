/** Amendment replay (SPEC §1.4) over recorded PR facts, through the engine. */
import { describe, expect, it } from "vitest";
import { replayAmendment } from "../../src/report/replay.js";
import { openStore } from "../../src/store/index.js";
import { agreementsFrom, approved, changed, evaluated, facts } from "../store/helpers.js";

const TEAMS = `version: 1
teams:
  data-science: { members: [alice, bob], name: Data Science }
  platform: { members: [carol, dave], name: Platform }
`;

const BASE = agreementsFrom(`${TEAMS}
agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams
    when: { paths: ["pipelines/**"] }
    require: { approvals: [{ team: data-science }, { team: platform }] }
  - id: no-pickles
    require: { forbidden: ["**/*.pkl"] }
  - id: small-changes
    severity: advisory
    require: { size: { max_lines: 10 } }
  - id: old-rule
    require: { linked_issue: true }
`);

const PROPOSED = agreementsFrom(`${TEAMS}
agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams (reworded)
    context: Only the wording changed.
    when: { paths: ["pipelines/**"] }
    require: { approvals: [{ team: data-science }, { team: platform }] }
  - id: no-pickles
    require: { forbidden: ["**/*.pkl", "**/*.joblib"] }
  - id: small-changes
    require: { size: { max_lines: 10 } }
  - id: conventional-title
    require: { title: { pattern: "^(feat|fix): " } }
  - id: trial-title
    mode: trial
    require: { title: { pattern: "^feat: " } }
`);

const RECENT = [
  // pipelines change waiting for platform; big; title ok; no linked issue
  facts({ title: "feat: a", files: [{ path: "pipelines/a.py", status: "modified", additions: 30, deletions: 0 }], reviews: [approved("bob")] }),
  // a joblib model; small; bad title
  facts({ title: "model drop", files: [changed("models/m.joblib", "added")], body: "Fixes #4" }),
  // a pickle; small; fine title
  facts({ title: "fix: b", files: [changed("models/m.pkl", "added")] }),
];

describe("replayAmendment", () => {
  it("counts blocked and held PRs per added, removed or changed agreement under both versions", () => {
    const { rows, replayed } = replayAmendment(BASE, PROPOSED, RECENT);
    expect(replayed).toBe(3);
    expect(rows).toEqual([
      // no-pickles also forbids joblib now: one more PR blocked.
      { id: "no-pickles", change: "changed", base: { blocked: 1, held: 0, unknown: 0 }, proposed: { blocked: 2, held: 0, unknown: 0 } },
      // advisory → required: the big PR is now blocked.
      { id: "small-changes", change: "changed", base: { blocked: 0, held: 0, unknown: 0 }, proposed: { blocked: 1, held: 0, unknown: 0 } },
      { id: "conventional-title", change: "added", base: { blocked: 0, held: 0, unknown: 0 }, proposed: { blocked: 1, held: 0, unknown: 0 } },
      // A trial never blocks: its row shows zero, on purpose.
      { id: "trial-title", change: "added", base: { blocked: 0, held: 0, unknown: 0 }, proposed: { blocked: 0, held: 0, unknown: 0 } },
      { id: "old-rule", change: "removed", base: { blocked: 2, held: 0, unknown: 0 }, proposed: { blocked: 0, held: 0, unknown: 0 } },
    ]);
  });

  it("leaves out agreements whose wording alone changed, and reports held PRs", () => {
    const stricter = agreementsFrom(`${TEAMS}
agreements:
  - id: pipelines-both-teams
    title: Pipeline and model changes are reviewed by both teams
    when: { paths: ["pipelines/**", "models/**"] }
    require: { approvals: [{ team: data-science }, { team: platform }] }
`);
    const base = agreementsFrom(`${TEAMS}
agreements:
  - id: pipelines-both-teams
    title: Pipeline changes are reviewed by both teams
    when: { paths: ["pipelines/**"] }
    require: { approvals: [{ team: data-science }, { team: platform }] }
`);
    expect(replayAmendment(base, stricter, RECENT).rows).toEqual([
      { id: "pipelines-both-teams", change: "changed", base: { blocked: 0, held: 1, unknown: 0 }, proposed: { blocked: 0, held: 3, unknown: 0 } },
    ]);
    expect(replayAmendment(BASE, BASE, RECENT)).toEqual({ rows: [], replayed: 3 });
    expect(replayAmendment(BASE, PROPOSED, []).replayed).toBe(0);
  });

  it("replays the facts the store kept for the last recorded pull requests", async () => {
    const store = await openStore("sqlite::memory:");
    try {
      let n = 0;
      for (const f of RECENT) {
        n += 1;
        await store.recordEvaluation({ repo: "acme/ml", number: n, headSha: "a".repeat(40), at: Date.now() - (10 - n) * 1000, evaluation: evaluated(f), facts: f });
      }
      const recent = await store.recentPullRequestFacts("acme/ml");
      expect(replayAmendment(BASE, PROPOSED, recent)).toEqual(replayAmendment(BASE, PROPOSED, RECENT));
      expect(replayAmendment(BASE, PROPOSED, await store.recentPullRequestFacts("acme/ml", 50, { excludeNumber: 3 })).replayed).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("never counts a fact the record lacks as a block: a new size rule on a README-only PR could not be told", () => {
    // Recorded facts carry only the sizes the version in force needed: none here.
    const readmeOnly = facts({ title: "docs: readme", files: [changed("README.md", "modified")] });
    const withSizeRule = agreementsFrom(`${TEAMS}
agreements:
  - id: pipelines-both-teams
    when: { paths: ["pipelines/**"] }
    require: { approvals: [{ team: data-science }, { team: platform }] }
  - id: no-pickles
    require: { forbidden: ["**/*.pkl"] }
  - id: small-changes
    severity: advisory
    require: { size: { max_lines: 10 } }
  - id: old-rule
    require: { linked_issue: true }
  - id: small-files
    require: { max_file_size: 1MB }
`);
    const replay = replayAmendment(BASE, withSizeRule, [readmeOnly]);
    expect(replay.rows).toEqual([{ id: "small-files", change: "added", base: { blocked: 0, held: 0, unknown: 0 }, proposed: { blocked: 0, held: 0, unknown: 1 } }]);
  });
});
