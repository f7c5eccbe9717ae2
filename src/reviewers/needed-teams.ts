/** Which teams an evaluation still waits for: the teams reviewer suggestions are made for. */
import type { Evaluation } from "../engine/result.js";

/** A team an agreement still waits for; `blocking` when that agreement is required (not advisory). */
export interface NeededTeam {
  key: string;
  name: string;
  blocking: boolean;
}

/**
 * Teams still needed by enforced agreements that are unmet (not waived, not skipped), in the
 * order they first appear. Trial agreements are shown and recorded but never hold a PR back,
 * so they neither get suggestions of their own nor cause review requests; advisory ones get
 * suggestions (the teams agreed they are worth doing) but requests only come from required ones.
 */
export function teamsStillNeeded(evaluation: Evaluation): NeededTeam[] {
  const teams = new Map<string, NeededTeam>();
  for (const agreement of evaluation.agreements) {
    if (agreement.mode !== "enforce") continue;
    if (agreement.outcome !== "waiting" && agreement.outcome !== "fail" && agreement.outcome !== "error") continue;
    for (const requirement of agreement.requirements) {
      for (const pending of requirement.pending ?? []) {
        const known = teams.get(pending.team);
        const blocking = agreement.severity === "required";
        if (known) known.blocking ||= blocking;
        else teams.set(pending.team, { key: pending.team, name: pending.teamName, blocking });
      }
    }
  }
  return [...teams.values()];
}

