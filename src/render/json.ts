/**
 * The `accord check --format json` object: SPEC §4's fields, in SPEC's order, then what the
 * command adds (each requirement's "how to get there" hint, what was compared, notes). A field
 * SPEC lists is never dropped; the additions only ever come after.
 */
import type { Evaluation } from "../engine/result.js";
import { phraseHowTo } from "./how-to.js";
import type { ReviewerSuggestion } from "./report-model.js";

export interface CheckJsonRef {
  /** The ref as given or defaulted (`origin/main`, `HEAD`). */
  ref: string;
  sha: string;
}

/** What `accord check` compared, for the JSON's additions. */
export interface CheckJsonContext {
  base: CheckJsonRef;
  head: CheckJsonRef;
  /** The commit the diff starts from (`git merge-base BASE HEAD`). */
  mergeBase: string;
  changedFiles: number;
  /** Files with uncommitted changes (tracked or untracked) that were not included; 0 when none or not known. */
  uncommittedFiles: number;
  /** Plain-words notes (team membership, uncommitted changes). Approvals that did not count are named in the approvals message. */
  notes: string[];
}

export interface CheckJson {
  conclusion: Evaluation["conclusion"];
  agreements: {
    id: string;
    title: string;
    outcome: string;
    severity: string;
    mode: string;
    requirements: { kind: string; outcome: string; message: string; files: string[]; hint: string | null }[];
    /** How to get there when the agreement is unmet for a reason no requirement gives (e.g. unlisted files). */
    hint: string | null;
    /** Why it was skipped or could not be evaluated, when no requirement says it. */
    note: string | null;
    /** `by` is null for a waiver given on the command line (`--waive`). */
    waiver: { by: string | null; reason: string } | null;
  }[];
  reviewers: Record<string, string[]>;
  base?: CheckJsonRef;
  head?: CheckJsonRef;
  merge_base?: string;
  changed_files?: number;
  uncommitted_files?: number;
  notes?: string[];
}

export function toCheckJson(evaluation: Evaluation, suggestions: Record<string, ReviewerSuggestion[]> = {}, context?: CheckJsonContext): CheckJson {
  const json: CheckJson = {
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
        hint: requirement.outcome !== "pass" && requirement.howTo ? phraseHowTo(requirement.howTo, "cli") : null,
      })),
      hint: agreement.howTo && agreement.outcome !== "waived" ? phraseHowTo(agreement.howTo, "cli") : null,
      note: agreement.note ?? null,
      waiver: agreement.waiver ? { by: agreement.waiver.by || null, reason: agreement.waiver.reason } : null,
    })),
    reviewers: Object.fromEntries(Object.entries(suggestions).map(([team, list]) => [team, list.map((s) => s.login)])),
  };
  if (context) {
    json.base = context.base;
    json.head = context.head;
    json.merge_base = context.mergeBase;
    json.changed_files = context.changedFiles;
    json.uncommitted_files = context.uncommittedFiles;
    json.notes = context.notes;
  }
  return json;
}
