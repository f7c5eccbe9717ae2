/**
 * Rules that span several parts of the file: unique ids, teams that exist, patterns and globs that compile.
 * They run on the raw parsed value as a zod refinement, so they must tolerate any shape.
 */
import type { z } from "zod";
import { RE2JS } from "re2js";
import { checkGlob, GLOB_LIMITS, type GlobFlavor } from "../engine/globs.js";
import { closest } from "./closest.js";
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
      const suggestion = closest(team, teamKeys);
      const fix = suggestion ? `Did you mean \`${suggestion}\`?` : "Add it under `teams`, or fix the spelling.";
      report(`names the team \`${team}\`, which is not defined under the top-level \`teams\` (defined: ${teamList}). ${fix}`, path);
    }
  };

  if (!Array.isArray(raw.agreements)) return;
  checkGlobs(raw.agreements, report);
  const firstIndexOfId = new Map<string, number>();
  raw.agreements.forEach((agreement, index) => {
    if (!isRecord(agreement)) return;
    const at = (...rest: Path): Path => ["agreements", index, ...rest];
    const id = agreement.id;
    if (typeof id === "string") {
      const earlier = firstIndexOfId.get(id);
      if (earlier !== undefined) {
        report(`\`${id}\` is already the id of agreement ${earlier + 1}; give each agreement its own id`, at("id"));
      } else {
        firstIndexOfId.set(id, index);
      }
      if (id === IMPLICIT_AMENDMENT_ID) {
        report(`\`${id}\` is reserved for the agreement Accord adds when the agreement file itself changes; choose another id`, at("id"));
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

/**
 * The work the globs of one file may cost to compile, in characters built (each distinct glob's
 * length, and its brace expansion): far beyond real files, and a few hundred milliseconds at most.
 */
export const FILE_GLOB_WORK = 500_000;

const GLOB_LISTS: [keys: string[], flavor: GlobFlavor][] = [
  [["when", "paths"], "path"],
  [["when", "paths_ignore"], "path"],
  [["when", "base_branches"], "branch"],
  [["require", "companions"], "path"],
  [["require", "forbidden"], "path"],
  [["require", "size", "ignore"], "path"],
];

/**
 * Every glob compiles within Accord's caps (globProblem says why not, at the glob's place). A file
 * of many large globs is refused as a whole once compiling them has cost FILE_GLOB_WORK, before
 * the rest are compiled: a proposed agreement file must not be able to stall validation either.
 */
function checkGlobs(agreements: unknown[], report: Report): void {
  const seen = new Set<string>();
  let work = 0;
  for (const [index, agreement] of agreements.entries()) {
    for (const [keys, flavor] of GLOB_LISTS) {
      let list: unknown = agreement;
      for (const key of keys) list = isRecord(list) ? list[key] : undefined;
      if (!Array.isArray(list)) continue;
      for (const [position, glob] of list.entries()) {
        // Empty and over-long globs are reported by the schema.
        if (typeof glob !== "string" || glob === "" || glob.length > GLOB_LIMITS.length) continue;
        const checked = checkGlob(glob, flavor);
        const key = `${flavor}\0${glob}`;
        if (!seen.has(key)) {
          seen.add(key);
          work += glob.length + checked.work;
        }
        if (work > FILE_GLOB_WORK) {
          report(
            `hold globs that come to more than ${FILE_GLOB_WORK.toLocaleString("en-US")} characters, counting each brace alternative; Accord reads at most that in one file. Use fewer brace alternatives (\`*\` in their place), or fewer, broader globs`,
            ["agreements"],
          );
          return;
        }
        if (checked.problem) report(checked.problem, ["agreements", index, ...keys, position]);
      }
    }
  }
}

const UNSUPPORTED: [RegExp, string][] = [
  [/^\(\?[=!]/, "a lookahead"],
  [/^\(\?<[=!]/, "a lookbehind"],
  [/^\\[1-9]/, "a backreference"],
  [/^\\k</, "a named backreference"],
  [/^\(\?>/, "an atomic group"],
  [/^[*+?}]\+/, "a possessive quantifier"],
];

/** Why a user pattern does not compile on the linear-time engine, or undefined when it does. */
export function regexProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, "");
    // RE2JS names the offending piece after the last colon: "invalid or unsupported Perl syntax: `(?!`".
    const piece = /`([^`]*)`\s*$/.exec(detail)?.[1] ?? "";
    const unsupported = UNSUPPORTED.find(([shape]) => shape.test(piece))?.[1];
    if (unsupported || /unsupported|invalid escape/.test(detail)) {
      return `uses ${unsupported ?? `\`${piece}\``}${unsupported ? ` (\`${piece}\`)` : ""}, which Accord's regular expressions do not support. Accord runs patterns on RE2, a linear-time engine, so no pattern can hang a check; RE2 has no lookarounds or backreferences. Rewrite the pattern without them.`;
    }
    return `is not a valid regular expression (${detail}). Accord uses RE2 syntax, much like JavaScript's without lookarounds or backreferences.`;
  }
}
