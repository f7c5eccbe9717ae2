/** Builders for engine tests: agreement files from YAML (so defaults are the real ones) and PR facts. */
import { formatProblem, parseAgreements } from "../../src/agreement/parse.js";
import type { AgreementFile } from "../../src/agreement/schema.js";
import { evaluate, type EvaluateOptions } from "../../src/engine/evaluate.js";
import type { ChangedFile, FileStatus, PullRequestFacts, Review } from "../../src/engine/facts.js";
import type { AgreementResult, Evaluation, RequirementResult } from "../../src/engine/result.js";
import type { RequirementKind } from "../../src/agreement/schema.js";

/** Parses YAML that must be valid; a test that writes an invalid file fails loudly here. */
export function agreementsFrom(yaml: string): AgreementFile {
  const parsed = parseAgreements(yaml);
  if (!parsed.ok) throw new Error(`test agreement file is invalid:\n${parsed.problems.map(formatProblem).join("\n")}`);
  return parsed.file;
}

export const TEAMS = `
teams:
  data-science:
    members: [alice, bob, Eve]
    name: Data Science
  platform:
    members: [carol, dave, eve]
    name: Platform
`;

/** A file with the two standard teams and one agreement given as YAML lines (indented for `agreements:`). */
export function oneAgreement(agreementYaml: string, extra = ""): AgreementFile {
  return agreementsFrom(`version: 1\n${TEAMS}\n${extra}\nagreements:\n${agreementYaml}\n`);
}

export function changed(path: string, status: FileStatus = "modified", lines: [number, number] = [1, 1], previousPath?: string): ChangedFile {
  return { path, status, additions: lines[0], deletions: lines[1], ...(previousPath !== undefined ? { previousPath } : {}) };
}

export const renamed = (from: string, to: string, lines: [number, number] = [0, 0]): ChangedFile => changed(to, "renamed", lines, from);

export function facts(overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    title: "feat: a change",
    body: "",
    author: "alice",
    labels: [],
    draft: false,
    baseBranch: "main",
    files: [changed("src/app.ts")],
    reviews: [],
    teamMembers: {},
    ...overrides,
  };
}

export const approved = (reviewer: string, submittedAt?: string): Review => ({ reviewer, state: "APPROVED", ...(submittedAt ? { submittedAt } : {}) });

export function only(evaluation: Evaluation): AgreementResult {
  const own = evaluation.agreements.filter((agreement) => !agreement.implicit);
  if (own.length !== 1) throw new Error(`expected one agreement, got ${own.length}`);
  return own[0]!;
}

export function requirement(result: AgreementResult, kind: RequirementKind): RequirementResult {
  const found = result.requirements.find((r) => r.kind === kind);
  if (!found) throw new Error(`no ${kind} requirement in ${result.id}: ${JSON.stringify(result)}`);
  return found;
}

/** Evaluates a one-agreement file and returns that agreement's result. */
export function judge(agreementYaml: string, prFacts: Partial<PullRequestFacts> = {}, options: EvaluateOptions = {}): AgreementResult {
  return only(evaluate(oneAgreement(agreementYaml), facts(prFacts), options));
}

/** The result of the single requirement of a one-agreement, one-requirement file. */
export function check(kind: RequirementKind, requireYaml: string, prFacts: Partial<PullRequestFacts> = {}, whenYaml = ""): RequirementResult {
  const result = judge(`  - id: under-test\n${whenYaml}    require:\n${requireYaml}`, prFacts);
  return requirement(result, kind);
}

/** Every message a reader sees, for tone checks. */
export function wordsOf(result: AgreementResult): string[] {
  return [result.note ?? "", result.howTo ?? "", ...result.requirements.flatMap((r) => [r.message, r.howTo ?? "", ...r.annotations.map((a) => a.message)])].filter(Boolean);
}

/** Words a tired engineer should never read in a message: blame and interrogation. */
export const BLAME = /\b(why did you|you forgot|you failed|you should have|you broke|violat|illegal|forbidden by you|wrong)\b/i;
