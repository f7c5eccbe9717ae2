/**
 * The implicit `amend-agreements` agreement (SPEC §1.4): a PR that changes the agreement file
 * needs one approval from every team of the base version, which stays the one enforced.
 */
import { AGREEMENT_FILE_PATHS, IMPLICIT_AMENDMENT_ID, type Agreement, type AgreementFile } from "../agreement/schema.js";
import { compileAgreement, type CompiledAgreement } from "./compile.js";
import type { ChangedFile } from "./facts.js";

/** Whether the files include the agreement file (at one of `paths`, the standard ones unless a front door says otherwise). */
export function changesAgreementFile(files: readonly ChangedFile[], paths: readonly string[] = AGREEMENT_FILE_PATHS): boolean {
  const known = new Set(paths);
  return files.some((file) => known.has(file.path) || (file.previousPath !== undefined && known.has(file.previousPath)));
}

const compiledAmendments = new WeakMap<AgreementFile, CompiledAgreement | null>();

export function amendmentAgreement(file: AgreementFile): CompiledAgreement | undefined {
  const known = compiledAmendments.get(file);
  if (known !== undefined) return known ?? undefined;
  const teams = Object.keys(file.teams);
  const agreement: Agreement | undefined =
    teams.length === 0
      ? undefined
      : {
          id: IMPLICIT_AMENDMENT_ID,
          title: "Changes to the agreements are approved by every team",
          context: "The agreements belong to every team that made them, so each team approves a change before it lands. Until then the current version stays in force.",
          severity: "required",
          mode: "enforce",
          waivable_by: [],
          require: { approvals: teams.map((team) => ({ team, count: 1, stale_on_push: false })) },
        };
  const compiled = agreement ? compileAgreement(agreement, true) : undefined;
  compiledAmendments.set(file, compiled ?? null);
  return compiled;
}
