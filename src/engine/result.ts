/** What the engine concludes about a pull request (SPEC §1.3). */
import type { RequirementKind } from "../agreement/schema.js";
import type { Waiver } from "./facts.js";

export type Outcome = "pass" | "fail" | "waiting" | "waived" | "skipped" | "error";
export type RequirementOutcome = "pass" | "fail" | "waiting" | "error";
export type Conclusion = "success" | "failure" | "waiting" | "neutral";

export interface FileAnnotation {
  path: string;
  title: string;
  message: string;
}

/** A team whose approvals an agreement still waits for. */
export interface PendingApproval {
  team: string;
  teamName: string;
  needed: number;
  have: number;
}

export interface RequirementResult {
  kind: RequirementKind;
  outcome: RequirementOutcome;
  /** What was agreed and where the PR stands, in one or two plain sentences. */
  message: string;
  /** How to get there; present when the requirement is not met. */
  howTo?: string;
  /** The files that made it fail (empty otherwise). */
  files: string[];
  annotations: FileAnnotation[];
  /** For `approvals`: the teams still needed. */
  pending?: PendingApproval[];
}

export interface AgreementResult {
  id: string;
  title: string;
  context?: string;
  severity: "required" | "advisory";
  mode: "enforce" | "trial";
  outcome: Outcome;
  /** The outcome before any waiver, so reports can tell what a waiver covered. */
  unwaivedOutcome: Outcome;
  requirements: RequirementResult[];
  waiver?: Waiver;
  /** Why the agreement was skipped or could not be evaluated, when no requirement says it. */
  note?: string;
  /** How to get there, when the agreement is unmet for a reason no requirement gives (e.g. unlisted files). */
  howTo?: string;
  /** Added by Accord rather than written in the file (the amendment rule). */
  implicit: boolean;
  /** Changed files the agreement looked at, for the friction record's "paths most involved". */
  scope: string[];
}

export interface Evaluation {
  conclusion: Conclusion;
  agreements: AgreementResult[];
}
