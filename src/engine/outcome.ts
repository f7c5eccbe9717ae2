/** The one place that decides outcomes (SPEC §1.3). */
import type { AgreementResult, Conclusion, Outcome, RequirementOutcome } from "./result.js";

/** Any fail → fail; else any error → error; else any waiting → waiting; else pass. */
export function combineRequirements(outcomes: readonly RequirementOutcome[]): Outcome {
  if (outcomes.includes("fail")) return "fail";
  if (outcomes.includes("error")) return "error";
  if (outcomes.includes("waiting")) return "waiting";
  return "pass";
}

export const isUnmet = (outcome: Outcome) => outcome === "fail" || outcome === "waiting" || outcome === "error";

/** A waiver turns fail, waiting and error into waived; pass and skipped stay as they are. */
export function applyWaiver(outcome: Outcome, waived: boolean): Outcome {
  return waived && isUnmet(outcome) ? "waived" : outcome;
}

/** Over enforced agreements: failure, then waiting, then neutral, then success. Trial ones never count. */
export function conclude(agreements: readonly Pick<AgreementResult, "outcome" | "severity" | "mode">[]): Conclusion {
  const enforced = agreements.filter((a) => a.mode === "enforce");
  const required = enforced.filter((a) => a.severity === "required");
  if (required.some((a) => a.outcome === "fail" || a.outcome === "error")) return "failure";
  if (required.some((a) => a.outcome === "waiting")) return "waiting";
  if (enforced.some((a) => a.severity === "advisory" && isUnmet(a.outcome))) return "neutral";
  return "success";
}
