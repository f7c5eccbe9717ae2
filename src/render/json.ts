/** The `accord check --format json` object, exactly as SPEC §4 gives it. */
import type { Evaluation } from "../engine/result.js";
import type { ReviewerSuggestion } from "./report-model.js";

export interface CheckJson {
  conclusion: Evaluation["conclusion"];
  agreements: {
    id: string;
    title: string;
    outcome: string;
    severity: string;
    mode: string;
    requirements: { kind: string; outcome: string; message: string; files: string[] }[];
  }[];
  reviewers: Record<string, string[]>;
}

export function toCheckJson(evaluation: Evaluation, suggestions: Record<string, ReviewerSuggestion[]> = {}): CheckJson {
  return {
    conclusion: evaluation.conclusion,
    agreements: evaluation.agreements.map((agreement) => ({
      id: agreement.id,
      title: agreement.title,
      outcome: agreement.outcome,
      severity: agreement.severity,
      mode: agreement.mode,
      requirements: agreement.requirements.map((requirement) => ({
        kind: requirement.kind,
        outcome: requirement.outcome,
        message: requirement.message,
        files: requirement.files,
      })),
    })),
    reviewers: Object.fromEntries(Object.entries(suggestions).map(([team, list]) => [team, list.map((s) => s.login)])),
  };
}
