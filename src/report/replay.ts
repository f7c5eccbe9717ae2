/**
 * Amendment replay (SPEC §1.4): over recently recorded pull requests, how many each added,
 * removed or changed agreement would block or hold under the base and the proposed version.
 * Pure: the caller passes the facts (`store.recentPullRequestFacts(repo)`).
 *
 * - blocked: the agreement is `fail` while `required` and `enforce` (it fails the check);
 * - held: it is `waiting` while `required` and `enforce` (the check waits for reviews);
 * - could not tell: it is `error`. Recorded facts hold only the sizes and notebooks the version
 *   in force needed, so a new `max_file_size` rule cannot be judged on old pull requests: a
 *   missing fact is never counted as a block.
 * Waivers are not replayed: the figures are what the agreement asks for, before anyone waives it.
 * Wording (`title`, `context`) is not a change: only what the agreement does is compared.
 */
import type { Agreement, AgreementFile } from "../agreement/schema.js";
import { evaluate } from "../engine/evaluate.js";
import type { PullRequestFacts } from "../engine/facts.js";
import type { AgreementResult } from "../engine/result.js";
import type { AmendmentReplayRow } from "../render/report-model.js";

export interface AmendmentReplay {
  rows: AmendmentReplayRow[];
  replayed: number;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What an agreement does, without its wording. */
const definition = ({ title: _title, context: _context, ...rest }: Agreement) => canonical(rest);

const enforced = (r: AgreementResult) => r.mode === "enforce" && r.severity === "required";
const blocks = (r: AgreementResult) => enforced(r) && r.unwaivedOutcome === "fail";
const holds = (r: AgreementResult) => enforced(r) && r.unwaivedOutcome === "waiting";
const unknown = (r: AgreementResult) => enforced(r) && r.unwaivedOutcome === "error";
const zero = () => ({ blocked: 0, held: 0, unknown: 0 });

export function replayAmendment(baseFile: AgreementFile, proposedFile: AgreementFile, recentFacts: readonly PullRequestFacts[]): AmendmentReplay {
  const base = new Map(baseFile.agreements.map((a) => [a.id, a]));
  const proposed = new Map(proposedFile.agreements.map((a) => [a.id, a]));
  const rows: AmendmentReplayRow[] = [];
  for (const [id, agreement] of proposed) {
    const before = base.get(id);
    if (!before) rows.push({ id, change: "added", base: zero(), proposed: zero() });
    else if (definition(before) !== definition(agreement)) rows.push({ id, change: "changed", base: zero(), proposed: zero() });
  }
  for (const id of base.keys()) {
    if (!proposed.has(id)) rows.push({ id, change: "removed", base: zero(), proposed: zero() });
  }
  if (rows.length === 0) return { rows, replayed: recentFacts.length };

  const wanted = new Map(rows.map((row) => [row.id, row]));
  const tally = (file: AgreementFile, facts: PullRequestFacts, side: "base" | "proposed") => {
    for (const result of evaluate(file, facts).agreements) {
      const row = wanted.get(result.id);
      if (!row || result.implicit) continue;
      if (blocks(result)) row[side].blocked += 1;
      else if (holds(result)) row[side].held += 1;
      else if (unknown(result)) row[side].unknown += 1;
    }
  };
  for (const facts of recentFacts) {
    tally(baseFile, facts, "base");
    tally(proposedFile, facts, "proposed");
  }
  return { rows, replayed: recentFacts.length };
}
