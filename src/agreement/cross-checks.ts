/**
 * Rules that span several parts of the file: unique ids, teams that exist, patterns that compile.
 * They run on the raw parsed value as a zod refinement, so they must tolerate any shape.
 */
import type { z } from "zod";
import { RE2JS } from "re2js";
import { IMPLICIT_AMENDMENT_ID } from "./schema-constants.js";

type Path = (string | number)[];
type Report = (message: string, path: Path) => void;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function checkAcrossFile(raw: unknown, ctx: z.RefinementCtx): void {
  const report: Report = (message, path) => ctx.addIssue({ code: "custom", message, path, input: undefined });
  if (!isRecord(raw)) return;
  const teamKeys = isRecord(raw.teams) ? Object.keys(raw.teams) : [];
  const knownTeams = new Set(teamKeys);
  const teamList = teamKeys.length > 0 ? teamKeys.map((key) => `\`${key}\``).join(", ") : "none yet";
  const checkTeam = (team: unknown, path: Path) => {
    if (typeof team === "string" && !knownTeams.has(team)) {
      report(`names the team \`${team}\`, which \`teams\` does not define (defined: ${teamList}); add it under \`teams\` or fix the spelling`, path);
    }
  };

  if (!Array.isArray(raw.agreements)) return;
  const firstIndexOfId = new Map<string, number>();
  raw.agreements.forEach((agreement, index) => {
    if (!isRecord(agreement)) return;
    const at = (...rest: Path): Path => ["agreements", index, ...rest];
    const id = agreement.id;
    if (typeof id === "string") {
      const earlier = firstIndexOfId.get(id);
      if (earlier !== undefined) {
        report(`is used by agreement ${earlier + 1} already; every agreement needs its own id`, at("id"));
      } else {
        firstIndexOfId.set(id, index);
      }
      if (id === IMPLICIT_AMENDMENT_ID) {
        report("is reserved for the agreement Accord adds when the agreement file itself changes; choose another id", at("id"));
      }
    }
    if (Array.isArray(agreement.waivable_by)) {
      agreement.waivable_by.forEach((team, i) => checkTeam(team, at("waivable_by", i)));
    }
    const when = agreement.when;
    if (isRecord(when)) {
      for (const key of ["authors", "not_authors"] as const) {
        const who = when[key];
        if (isRecord(who) && Array.isArray(who.teams)) who.teams.forEach((team, i) => checkTeam(team, at("when", key, "teams", i)));
      }
    }
    const require = agreement.require;
    if (!isRecord(require)) return;
    if (Array.isArray(require.approvals)) {
      require.approvals.forEach((rule, i) => {
        if (isRecord(rule)) checkTeam(rule.team, at("require", "approvals", i, "team"));
      });
    }
    const title = require.title;
    if (isRecord(title) && typeof title.pattern === "string") {
      const problem = regexProblem(title.pattern);
      if (problem) report(problem, at("require", "title", "pattern"));
    }
  });
}

/** Why a user pattern does not compile on the linear-time engine, or undefined when it does. */
export function regexProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return `is not a valid regular expression (${detail}); Accord uses RE2 syntax, which has no lookarounds or backreferences`;
  }
}
