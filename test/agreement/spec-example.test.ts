import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgreements } from "../../src/agreement/parse.js";
import { loadAgreements } from "../../src/agreement/load.js";
import { AGREEMENT_FILE_PATHS, IMPLICIT_AMENDMENT_ID, REQUIREMENT_KINDS, type AgreementFile } from "../../src/agreement/schema.js";

const SPEC_EXAMPLE = readFileSync(new URL("../fixtures/agreements/spec-example.yml", import.meta.url), "utf8");

function parseOk(text: string): AgreementFile {
  const parsed = parseAgreements(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.line}:${p.column}: ${p.message}`).join("\n"));
  expect(parsed.problems).toEqual([]);
  return parsed.file;
}

describe("the SPEC §1 example file", () => {
  const file = parseOk(SPEC_EXAMPLE);

  it("is the example printed in SPEC §1, verbatim", () => {
    // The SPEC lives outside the repository; where it is present, the fixture must be its copy.
    const specPath = "/work/shared/SPEC.md";
    if (!existsSync(specPath)) return;
    const block = /```yaml\n([\s\S]*?)```/.exec(readFileSync(specPath, "utf8"))?.[1];
    expect(SPEC_EXAMPLE).toBe(block);
  });

  it("reads version and both teams with their keys", () => {
    expect(file.version).toBe(1);
    expect(file.teams).toEqual({
      "data-science": { github_team: "data-science", members: ["alice", "bob"], name: "Data Science" },
      platform: { github_team: "platform" },
    });
  });

  it("reads every settings key, with the values the SPEC shows as defaults", () => {
    expect(file.settings).toEqual({
      check_name: "Team agreements",
      comment: "on_attention",
      skip_drafts: true,
      amendments: "all_teams",
      report: "off",
      reviewers: { suggest: 2, request: false, away: [] },
    });
  });

  it("reads the agreement's identity, severity, mode and waivers", () => {
    expect(file.agreements).toHaveLength(1);
    const agreement = file.agreements[0]!;
    expect(agreement.id).toBe("pipelines-both-teams");
    expect(agreement.title).toBe("Pipeline changes are reviewed by both teams");
    expect(agreement.context).toBe("Pipelines decide both model quality and cluster cost, so each side looks.\n");
    expect(agreement.severity).toBe("required");
    expect(agreement.mode).toBe("enforce");
    expect(agreement.waivable_by).toEqual(["platform"]);
  });

  it("reads every condition of `when`", () => {
    expect(file.agreements[0]!.when).toEqual({
      paths: ["pipelines/**", "kubeflow/**"],
      paths_ignore: ["**/*.md"],
      base_branches: ["main", "release/*"],
      authors: { teams: ["data-science"], users: [] },
      not_authors: { teams: [], users: ["dependabot[bot]"] },
      labels: ["ml"],
      not_labels: ["hotfix"],
    });
  });

  it("reads every requirement, with `count` defaulting to 1", () => {
    const require = file.agreements[0]!.require;
    expect(Object.keys(require).sort()).toEqual([...REQUIREMENT_KINDS].sort());
    expect(require.approvals).toEqual([
      { team: "data-science", count: 1, stale_on_push: false },
      { team: "platform", count: 1, stale_on_push: false },
    ]);
    expect(require.description).toEqual({ sections: ["What", "How"], min_length: 0, checklist: "complete" });
    expect(require.title).toEqual({ pattern: "^(feat|fix|chore|docs)(\\(.+\\))?: " });
    expect(require.size).toEqual({ max_lines: 400, max_files: 40, ignore: ["**/*.lock"] });
    expect(require.companions).toEqual(["models/**/MODEL_CARD.md"]);
    expect(require.forbidden).toEqual(["**/*.pkl", "data/raw/**"]);
    expect(require.labels).toEqual({ all_of: [], none_of: ["do-not-merge"] });
    expect(require.linked_issue).toBe(true);
    expect(require.notebooks).toEqual({ outputs: "cleared" });
    expect(require.max_file_size).toBe("5MB");
  });
});

describe("defaults of SPEC §1 when keys are left out", () => {
  const file = parseOk(`version: 1
teams:
  ds: { members: [alice] }
agreements:
  - id: minimal
    require:
      approvals: [{ team: ds }]
      description: {}
      size: { max_lines: 10 }
      labels: {}
`);
  const agreement = file.agreements[0]!;

  it("fills every setting with its default", () => {
    expect(file.settings).toEqual({
      check_name: "Team agreements",
      comment: "on_attention",
      skip_drafts: true,
      amendments: "all_teams",
      report: "off",
      reviewers: { suggest: 2, request: false, away: [] },
    });
  });

  it("makes an agreement required, enforced and waivable by nobody, with no `when` (every PR) and no title (the id stands in)", () => {
    expect(agreement.severity).toBe("required");
    expect(agreement.mode).toBe("enforce");
    expect(agreement.waivable_by).toEqual([]);
    expect(agreement.when).toBeUndefined();
    expect(agreement.title).toBeUndefined();
    expect(agreement.context).toBeUndefined();
  });

  it("defaults approvals' count to 1 and stale_on_push to false, description to no sections/0 characters/no checklist, size ignore and labels lists to empty", () => {
    expect(agreement.require.approvals).toEqual([{ team: "ds", count: 1, stale_on_push: false }]);
    expect(agreement.require.description).toEqual({ sections: [], min_length: 0 });
    expect(agreement.require.size).toEqual({ max_lines: 10, ignore: [] });
    expect(agreement.require.labels).toEqual({ all_of: [], none_of: [] });
  });

  it("defaults `teams` to none and `agreements` to an empty list", () => {
    const bare = parseOk("version: 1\n");
    expect(bare.teams).toEqual({});
    expect(bare.agreements).toEqual([]);
    expect(bare.settings.check_name).toBe("Team agreements");
  });

  it("fills the reviewer defaults when `settings.reviewers` sets only one key", () => {
    const partial = parseOk("version: 1\nsettings:\n  reviewers:\n    away: [bob]\n");
    expect(partial.settings.reviewers).toEqual({ suggest: 2, request: false, away: ["bob"] });
  });

  it("fills `authors` lists: users-only and teams-only forms both work", () => {
    const people = parseOk(`version: 1
teams: { ds: { members: [a] } }
agreements:
  - id: x
    when:
      authors: { users: [bob] }
      not_authors: { teams: [ds] }
    require: { linked_issue: true }
`);
    expect(people.agreements[0]!.when).toEqual({ authors: { teams: [], users: ["bob"] }, not_authors: { teams: ["ds"], users: [] } });
  });

  it("accepts every value each enum documents", () => {
    for (const comment of ["on_attention", "always", "never"]) {
      expect(parseOk(`version: 1\nsettings: { comment: ${comment} }\n`).settings.comment).toBe(comment);
    }
    expect(parseOk("version: 1\nsettings: { amendments: none, report: weekly }\n").settings).toMatchObject({ amendments: "none", report: "weekly" });
    const modes = parseOk(`version: 1
agreements:
  - { id: a, severity: advisory, mode: trial, require: { linked_issue: true } }
`);
    expect(modes.agreements[0]).toMatchObject({ severity: "advisory", mode: "trial" });
  });

  it("accepts `max_file_size` as a plain number of bytes and in every unit", () => {
    for (const size of ["1024", "500B", "500KB", "5MB", "1GB", "1.5 GB", "5mb"]) {
      const parsed = parseAgreements(`version: 1\nagreements:\n  - { id: a, require: { max_file_size: ${size} } }\n`);
      expect(parsed.ok, size).toBe(true);
    }
  });

  it("accepts ids of lowercase letters, digits and dashes, starting with a letter or digit", () => {
    for (const id of ["a", "0", "pipelines-both-teams", "v2-rule"]) {
      expect(parseAgreements(`version: 1\nagreements:\n  - { id: "${id}", require: { linked_issue: true } }\n`).ok, id).toBe(true);
    }
    for (const id of ["-a", "A", "a_b", "a b", ""]) {
      expect(parseAgreements(`version: 1\nagreements:\n  - { id: "${id}", require: { linked_issue: true } }\n`).ok, id).toBe(false);
    }
  });
});

describe("loadAgreements", () => {
  it("tries .github/agreements.yml, then .github/agreements.yaml", async () => {
    expect(AGREEMENT_FILE_PATHS).toEqual([".github/agreements.yml", ".github/agreements.yaml"]);
    const asked: string[] = [];
    const loaded = await loadAgreements(async (path) => {
      asked.push(path);
      return path.endsWith(".yaml") ? "version: 1\n" : undefined;
    });
    expect(asked).toEqual([".github/agreements.yml", ".github/agreements.yaml"]);
    expect(loaded?.path).toBe(".github/agreements.yaml");
    expect(loaded?.parsed.ok).toBe(true);
  });

  it("prefers .yml when both exist, and names the file it read in problems", async () => {
    const loaded = await loadAgreements(async () => "version: 2\n");
    expect(loaded?.path).toBe(".github/agreements.yml");
    expect(loaded?.parsed.ok).toBe(false);
    if (loaded && !loaded.parsed.ok) expect(loaded.parsed.problems[0]!.file).toBe(".github/agreements.yml");
  });

  it("answers undefined when neither exists (Accord stays silent)", async () => {
    expect(await loadAgreements(async () => undefined)).toBeUndefined();
  });

  it("exports the reserved amendment id", () => {
    expect(IMPLICIT_AMENDMENT_ID).toBe("amend-agreements");
  });
});
