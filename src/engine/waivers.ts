/**
 * Who may waive an agreement, and which recorded waivers still hold (SPEC §2). A waiver is a
 * second person's decision: only members of a `waivable_by` team may give one, never the pull
 * request's author; and it holds only while its giver may still give it under the agreement
 * file in force — leaving the team, or the team losing `waivable_by`, ends it.
 */
import type { Agreement, AgreementFile } from "../agreement/schema.js";
import type { Waiver } from "./facts.js";

export type WaiverDecision =
  | { allowed: true }
  /** `author`: the PR's own author; `not-in-team`: not a member of a `waivable_by` team; `nobody`: the agreement names no such team. */
  | { allowed: false; reason: "author" | "not-in-team" | "nobody" };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function inWaivingTeam(agreement: Agreement, login: string, members: Record<string, readonly string[]>): boolean {
  return agreement.waivable_by.some((team) => (members[team] ?? []).some((member) => same(member, login)));
}

/** Whether `login` may waive `agreement` on a pull request written by `author`. */
export function mayWaive(agreement: Agreement, login: string, author: string, members: Record<string, readonly string[]>): WaiverDecision {
  if (agreement.waivable_by.length === 0) return { allowed: false, reason: "nobody" };
  if (same(login, author)) return { allowed: false, reason: "author" };
  if (!inWaivingTeam(agreement, login, members)) return { allowed: false, reason: "not-in-team" };
  return { allowed: true };
}

/** Taking a waiver back: whoever may waive it, or the person who gave it. */
export function mayUnwaive(agreement: Agreement, login: string, author: string, members: Record<string, readonly string[]>, given: Waiver | undefined): WaiverDecision {
  if (given && same(given.by, login)) return { allowed: true };
  return mayWaive(agreement, login, author, members);
}

/** The recorded waivers that still hold: for an agreement of the file in force, given by someone who may still give it. */
export function waiversInForce(waivers: readonly Waiver[], file: AgreementFile, author: string, members: Record<string, readonly string[]>): Waiver[] {
  const agreements = new Map(file.agreements.map((agreement) => [agreement.id, agreement]));
  return waivers.filter((waiver) => {
    const agreement = agreements.get(waiver.agreementId);
    return agreement !== undefined && mayWaive(agreement, waiver.by, author, members).allowed;
  });
}

/** "members of Platform or Data Science", for messages that say who may waive. Undefined when nobody may. */
export function waiverTeams(agreement: Agreement, file: AgreementFile): string | undefined {
  if (agreement.waivable_by.length === 0) return undefined;
  return `members of ${agreement.waivable_by.map((team) => file.teams[team]?.name ?? team).join(" or ")}`;
}
