/** evaluate(): a pure function from (agreement file, PR facts, waivers) to an Evaluation. */
import type { AgreementFile } from "../agreement/schema.js";
import { amendmentAgreement, changesAgreementFile } from "./amendment.js";
import { compileFile, type CompiledAgreement } from "./compile.js";
import { applicability } from "./conditions.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, viewOf, type AgreementScope, type PullRequestView } from "./context.js";
import type { PullRequestFacts, Waiver } from "./facts.js";
import { applyWaiver, combineRequirements, conclude } from "./outcome.js";
import { checkApprovals, currentApprovals, type CurrentApproval } from "./requirements/approvals.js";
import { checkCompanions } from "./requirements/companions.js";
import { checkDescription } from "./requirements/description.js";
import { checkForbidden } from "./requirements/forbidden.js";
import { checkLabels } from "./requirements/labels.js";
import { checkLinkedIssue } from "./requirements/linked-issue.js";
import { checkMaxFileSize } from "./requirements/max-file-size.js";
import { checkNotebooks } from "./requirements/notebooks.js";
import { checkSize } from "./requirements/size.js";
import { checkTitle } from "./requirements/title.js";
import type { AgreementResult, Evaluation, RequirementResult } from "./result.js";

export interface EvaluateOptions {
  waivers?: readonly Waiver[];
}

function requirementsOf(compiled: CompiledAgreement, view: PullRequestView, scope: AgreementScope, approvers: ReadonlyMap<string, CurrentApproval>): RequirementResult[] {
  const require = compiled.agreement.require;
  const results: RequirementResult[] = [];
  if (require.approvals) results.push(checkApprovals(require.approvals, view, approvers));
  if (require.description) results.push(checkDescription(require.description, view.facts.body));
  if (require.title && compiled.titlePattern) results.push(checkTitle(compiled.titlePattern, require.title.pattern, view.facts.title));
  if (require.size) results.push(checkSize(require.size, compiled.sizeIgnore, view));
  if (require.companions) results.push(checkCompanions(compiled.companions, view));
  if (require.forbidden) results.push(checkForbidden(compiled.forbidden, scope));
  if (require.labels) results.push(checkLabels(require.labels, view.facts.labels));
  if (require.linked_issue === true) results.push(checkLinkedIssue(view.facts.body));
  if (require.notebooks) results.push(checkNotebooks(scope));
  if (require.max_file_size !== undefined && compiled.maxFileSize !== undefined) results.push(checkMaxFileSize(compiled.maxFileSize, scope));
  return results;
}

function evaluateAgreement(compiled: CompiledAgreement, view: PullRequestView, approvers: ReadonlyMap<string, CurrentApproval>, waiver: Waiver | undefined): AgreementResult {
  const base = baseOf(compiled);
  const applies = applicability(compiled, view);
  if (applies.applies === false) {
    return { ...base, outcome: "skipped", unwaivedOutcome: "skipped", requirements: [], note: `Does not apply: ${applies.reason}.`, scope: [] };
  }
  if (applies.applies === "unknown") return unlisted(base, UNLISTED_FILES_NOTE(view), waiver);
  const requirements = requirementsOf(compiled, view, { view, files: applies.scope, indices: applies.scopeIndices }, approvers);
  const unwaivedOutcome = combineRequirements(requirements.map((r) => r.outcome));
  const outcome = applyWaiver(unwaivedOutcome, waiver !== undefined);
  return {
    ...base,
    outcome,
    unwaivedOutcome,
    requirements,
    scope: applies.scope.map((file) => file.path),
    ...(outcome === "waived" && waiver ? { waiver } : {}),
  };
}

type ResultBase = Pick<AgreementResult, "id" | "title" | "context" | "severity" | "mode" | "implicit">;

function baseOf(compiled: CompiledAgreement): ResultBase {
  const { agreement } = compiled;
  return {
    id: agreement.id,
    title: compiled.title,
    ...(agreement.context !== undefined ? { context: agreement.context.trim() } : {}),
    severity: agreement.severity,
    mode: agreement.mode,
    implicit: compiled.implicit,
  };
}

/** An agreement whose outcome hangs on files GitHub did not list: `error`, saying so (SPEC §2, large pull requests). */
function unlisted(base: ResultBase, note: string, waiver: Waiver | undefined): AgreementResult {
  const outcome = applyWaiver("error", waiver !== undefined);
  return {
    ...base,
    outcome,
    unwaivedOutcome: "error",
    requirements: [],
    note,
    howTo: UNLISTED_FILES_HOW_TO,
    scope: [],
    ...(outcome === "waived" && waiver ? { waiver } : {}),
  };
}

/** Whether the PR changes the agreement file: true, false, or undefined when unlisted files leave it open. */
function agreementFileChanges(facts: PullRequestFacts, view: PullRequestView): boolean | undefined {
  if (facts.agreementFileChanged !== undefined) return facts.agreementFileChanged;
  if (changesAgreementFile(facts.files, facts.agreementFilePaths)) return true;
  return view.filesComplete ? false : undefined;
}

export function evaluate(file: AgreementFile, facts: PullRequestFacts, options: EvaluateOptions = {}): Evaluation {
  const compiled = compileFile(file);
  const view = viewOf(file, facts);
  const approvers = currentApprovals(facts.reviews);
  const waivers = new Map((options.waivers ?? []).map((waiver) => [waiver.agreementId, waiver]));
  const agreements = compiled.agreements.map((agreement) => evaluateAgreement(agreement, view, approvers, waivers.get(agreement.agreement.id)));
  const amendment = file.settings.amendments === "all_teams" ? amendmentAgreement(file) : undefined;
  if (amendment) {
    const changes = agreementFileChanges(facts, view);
    const waiver = waivers.get(amendment.agreement.id);
    if (changes === true) agreements.push(evaluateAgreement(amendment, view, approvers, waiver));
    if (changes === undefined) {
      const note = `${UNLISTED_FILES_NOTE(view)} The agreement file may be among the files not listed, and a change to it needs an approval from every team.`;
      agreements.push(unlisted(baseOf(amendment), note, waiver));
    }
  }
  return { conclusion: conclude(agreements), agreements };
}
