/** Small constructors so every requirement builds its result the same way. */
import type { RequirementKind } from "../../agreement/schema.js";
import type { FileAnnotation, RequirementResult } from "../result.js";

export const met = (kind: RequirementKind, message: string): RequirementResult => ({ kind, outcome: "pass", message, files: [], annotations: [] });

export const unmet = (
  kind: RequirementKind,
  message: string,
  howTo: string,
  annotations: FileAnnotation[] = [],
): RequirementResult => ({
  kind,
  outcome: "fail",
  message,
  howTo,
  files: [...new Set(annotations.map((annotation) => annotation.path))],
  annotations,
});

export const unknown = (kind: RequirementKind, message: string, howTo: string): RequirementResult => ({
  kind,
  outcome: "error",
  message,
  howTo,
  files: [],
  annotations: [],
});
