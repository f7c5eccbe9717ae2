/**
 * One pass over a pull request: gather its state, judge it with the base agreement file, and
 * bring the check run and the comment up to date. Every event ends up here.
 */
import type { ParsedAgreements } from "../agreement/parse.js";
import { DEFAULT_CHECK_NAME, type AgreementFile } from "../agreement/schema.js";
import { contentNeeds, evaluate, waiversInForce, type PullRequestFacts } from "../engine/index.js";
import type { Evaluation } from "../engine/result.js";
import { headline } from "../render/headline.js";
import { COMMENT_MARKER, renderComment, renderConfigProblems, renderSummary } from "../render/markdown.js";
import type { AmendmentPreview, RenderInput, ReviewerSuggestion } from "../render/report-model.js";
import { computeAmendmentPreview, type AmendmentPreviewInput } from "../report/amendment-preview.js";
import { runBounded, type Limits } from "../util/bounded.js";
import type { FrictionStore, RecordedApproval } from "../store/types.js";
import { describeGitHubError, prKey, type GitHub, type PullRequestRef } from "./client.js";
import { GITHUB_FILE_LIST_LIMIT, findCheckRun, gatherPullRequest, parseCached, headContents, type GitHubCaches, type Gathered, type PullRequestState } from "./gather.js";
import { resolveMembership } from "./membership.js";
import { decodeCommentData, encodeCommentData, type CommentData } from "./waivers.js";
import { annotationsFor, problemAnnotations, writeCheckRun, writeComment, type CheckRunOutput, type CommentWrite } from "./write.js";

export interface SuggestionRequest {
  github: GitHub;
  state: PullRequestState;
  file: AgreementFile;
  facts: PullRequestFacts;
  evaluation: Evaluation;
  /** Logins Accord requested on this PR before (kept in the comment), so nobody is requested twice. */
  alreadyRequested: readonly string[];
  /** Approved PRs from the friction record (last year), when there is one. */
  recordedApprovals?: () => Promise<RecordedApproval[]>;
}

export interface SuggestionAnswer {
  suggestions: Record<string, ReviewerSuggestion[]>;
  notices: string[];
  /** Logins requested on GitHub during this call (`reviewers.request: true`). */
  requested?: string[];
}

const YEAR_MS = 365 * 24 * 3_600_000;

/** How Accord's own review requests appear in the friction record. */
export const ACCORD_REQUESTER = "accord[bot]";

/** Where side features report what went wrong (Probot's pino logger fits). */
export interface SideLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/** The amendment preview runs on a proposed file anyone can write: in a worker, within these limits. */
export const PREVIEW_LIMITS: Limits = { timeoutMs: 5_000, maxHeapMb: 256 };

export interface RefreshDeps {
  appId: number;
  caches: GitHubCaches;
  log?: SideLog;
  previewLimits?: Limits;
  /** Where the agreement file lives, when not the standard `.github/agreements.yml` (the Action's `config`). */
  agreementPaths?: readonly string[];
  /** The friction record; without one, waivers live only in the comment. */
  store?: FrictionStore;
  /** Reviewer suggestions per team still needed; absent until wired. */
  suggest?: (request: SuggestionRequest) => Promise<SuggestionAnswer>;
}

export type RefreshResult =
  | { kind: "missing" | "closed" | "no-agreement" }
  | { kind: "config-error"; checkRunRequests: number; comment: CommentWrite }
  | { kind: "evaluated"; evaluation: Evaluation; file: AgreementFile; state: PullRequestState; checkRunRequests: number; comment: CommentWrite };

export interface Progress {
  /** The check run's conclusion as decided ("waiting" while reviews are missing), before it is written. */
  verdict?: "success" | "failure" | "neutral" | "waiting";
  verdictWritten: boolean;
}

export interface RefreshOptions {
  /** The webhook delivery being handled, so the friction record counts it once. */
  deliveryId?: string;
  /** Replaces the waivers kept in the comment (after `/accord waive` or `unwaive`). */
  commentData?: CommentData;
  /** What this pass decided and whether it is on GitHub yet (a later failure never replaces a written verdict). */
  progress?: Progress;
}


function checkNameOf(parsed: ParsedAgreements): string {
  return parsed.ok ? parsed.file.settings.check_name : DEFAULT_CHECK_NAME;
}

/** A pull request gathered and its agreement file read, before anything is written. */
export type Prepared =
  | { kind: "missing" | "closed" | "no-agreement" }
  | { kind: "ready"; gathered: Gathered; parsed: ParsedAgreements; checkName: string; data: CommentData };

export async function preparePullRequest(github: GitHub, ref: PullRequestRef, deps: RefreshDeps): Promise<Prepared> {
  const prefetch = deps.caches.lastNeeds.get(prKey(ref));
  const gathered = await gatherPullRequest(github, ref, { appId: deps.appId, caches: deps.caches, ...(prefetch ? { prefetch } : {}), ...(deps.agreementPaths ? { agreementPaths: deps.agreementPaths } : {}) });
  if (!gathered) return { kind: "missing" };
  if (!gathered.state.open) return { kind: "closed" };
  if (!gathered.agreement) return { kind: "no-agreement" };
  const parsed = parseCached(deps.caches, gathered.agreement);
  return { kind: "ready", gathered, parsed, checkName: checkNameOf(parsed), data: decodeCommentData(gathered.state.comment?.body) };
}

/** Judges a prepared pull request and brings the check run and comment up to date. */
export async function applyPrepared(github: GitHub, prepared: Prepared, deps: RefreshDeps, options: RefreshOptions = {}): Promise<RefreshResult> {
  if (prepared.kind !== "ready") return { kind: prepared.kind };
  const data = options.commentData ?? prepared.data;
  if (!prepared.parsed.ok) return configError(github, prepared.gathered, prepared.parsed.problems, prepared.checkName, data, deps, options);
  return evaluated(github, prepared.gathered, prepared.parsed.file, deps, data, options);
}

export async function refreshPullRequest(github: GitHub, ref: PullRequestRef, deps: RefreshDeps, options: RefreshOptions = {}): Promise<RefreshResult> {
  return applyPrepared(github, await preparePullRequest(github, ref, deps), deps, options);
}

async function configError(
  github: GitHub,
  gathered: Gathered,
  problems: Extract<ParsedAgreements, { ok: false }>["problems"],
  checkName: string,
  data: CommentData,
  deps: RefreshDeps,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const { state, agreement } = gathered;
  const rendered = renderConfigProblems(problems);
  const inRepository = agreement?.origin === "repository";
  const output: CheckRunOutput = {
    status: "completed",
    conclusion: "failure",
    title: rendered.title,
    summary: rendered.summary,
    annotations: inRepository ? problemAnnotations(problems, agreement.path) : [],
  };
  if (options.progress) options.progress.verdict = "failure";
  const checkRunRequests = await writeCheckRun(github, state.ref, state.headSha, checkName, output, await findCheckRun(github, state, checkName, deps.appId));
  if (options.progress) options.progress.verdictWritten = true;
  // Keep an existing comment current; the file's maintainers, not the PR author, fix this.
  const body = `${COMMENT_MARKER}\n\n### ${checkName}: ${rendered.title}\n\n${rendered.summary}\n${encodeCommentData(data)}`;
  const comment = await writeComment(github, state.ref, body, state.comment, false);
  return { kind: "config-error", checkRunRequests, comment };
}

async function evaluated(github: GitHub, gathered: Gathered, file: AgreementFile, deps: RefreshDeps, given: CommentData, options: RefreshOptions): Promise<RefreshResult> {
  const { deliveryId } = options;
  let data = given;
  const { state } = gathered;
  const ref = state.ref;
  const membership = await resolveMembership(github, ref.owner, file, deps.caches);
  const facts: PullRequestFacts = {
    title: state.title,
    body: state.body,
    author: state.author,
    labels: state.labels,
    draft: state.draft,
    baseBranch: state.baseBranch,
    files: state.files,
    // GitHub lists 3,000 files at most; beyond that the engine gives SPEC's partial verdict.
    changedFileCount: Math.max(state.changedFileCount, state.files.length),
    reviews: state.reviews,
    headSha: state.headSha,
    teamMembers: membership.members,
    ...(deps.agreementPaths ? { agreementFilePaths: [...deps.agreementPaths] } : {}),
    ...(gathered.agreementFileChanged !== undefined ? { agreementFileChanged: gathered.agreementFileChanged } : {}),
  };
  if (state.files.length >= GITHUB_FILE_LIST_LIMIT && state.changedFileCount <= state.files.length) facts.changedFileCount = state.files.length + 1;
  const needs = contentNeeds(file, facts);
  deps.caches.lastNeeds.set(prKey(ref), [...needs.sizes.filter((path) => !needs.notebooks.includes(path)).map((path) => ({ path, withText: false })), ...needs.notebooks.map((path) => ({ path, withText: true }))]);
  if (needs.sizes.length > 0 || needs.notebooks.length > 0) {
    const contents = await headContents(github, ref, state.headSha, needs.sizes, needs.notebooks, deps.caches);
    facts.fileSizes = contents.fileSizes;
    facts.notebooks = contents.notebooks;
  }
  const repo = `${ref.owner}/${ref.repo}`;
  // With a friction store, waivers live there; the comment mirrors them for readers. Either way a
  // waiver holds only while its giver may still give it under the file in force.
  const recorded = deps.store ? await deps.store.activeWaivers(repo, ref.number) : data.waivers;
  data = { ...data, waivers: waiversInForce(recorded, file, state.author, membership.members) };
  const evaluation = evaluate(file, facts, { waivers: data.waivers });
  // Recorded before anything is written to GitHub, so a failed write loses nothing.
  await deps.store?.recordEvaluation({
    repo,
    number: ref.number,
    headSha: state.headSha,
    evaluation,
    facts,
    ...(gathered.agreement?.origin === "repository" ? { agreementFile: { baseSha: state.baseSha, text: gathered.agreement.text } } : {}),
    ...(deliveryId ? { deliveryId } : {}),
  });
  const notices = [...membership.notices];
  const render: RenderInput = { evaluation, teamNames: Object.fromEntries(Object.entries(file.teams).map(([key, team]) => [key, team.name ?? key])), notices };
  const draft = state.draft && file.settings.skip_drafts;
  if (deps.suggest && !draft && evaluation.conclusion !== "success" && file.settings.reviewers.suggest > 0) {
    const store = deps.store;
    const suggest = deps.suggest;
    // A side feature: when it fails, the verdict goes out without suggestions and says so.
    const suggested = await sideFeature(deps, ref, "reviewer suggestions", () =>
      suggest({
        github,
        state,
        file,
        facts,
        evaluation,
        alreadyRequested: data.requested ?? [],
        ...(store ? { recordedApprovals: () => store.recentApprovals(repo, Date.now() - YEAR_MS) } : {}),
      }),
    );
    if ("failed" in suggested) notices.push(`Reviewer suggestions are not available this time (${suggested.failed}); the agreements were checked as usual.`);
    else {
      render.suggestions = suggested.value.suggestions;
      notices.push(...suggested.value.notices);
      const requested = suggested.value.requested ?? [];
      if (requested.length > 0) {
        data = { ...data, requested: [...new Set([...(data.requested ?? []), ...requested])] };
        for (const reviewer of requested) {
          await deps.store?.recordReviewRequest({ repo, number: ref.number, requester: ACCORD_REQUESTER, reviewer, suggestionRank: 1, ...(deliveryId ? { deliveryId } : {}) });
        }
      }
    }
  }
  let proposedAnnotations: ReturnType<typeof problemAnnotations> = [];
  if (gathered.proposed !== undefined && gathered.agreement) {
    render.amendment = await previewAmendment(gathered, facts, data, deps, ref);
    if (gathered.proposed) proposedAnnotations = problemAnnotations(render.amendment.problems, gathered.proposed.path);
  }

  const checkName = file.settings.check_name;
  const summary = renderSummary(render);
  const output: CheckRunOutput = draft
    ? { status: "completed", conclusion: "neutral", title: `Draft: checked for real once it is ready for review (${headline(evaluation)})`.slice(0, 255), summary, annotations: [] }
    : {
        ...(evaluation.conclusion === "waiting" ? { status: "in_progress" as const } : { status: "completed" as const, conclusion: evaluation.conclusion }),
        title: headline(evaluation).slice(0, 255),
        summary,
        annotations: [...annotationsFor(evaluation), ...proposedAnnotations],
      };
  if (options.progress) options.progress.verdict = output.conclusion ?? "waiting";
  const checkRunRequests = await writeCheckRun(github, ref, state.headSha, checkName, output, await findCheckRun(github, state, checkName, deps.appId));
  if (options.progress) options.progress.verdictWritten = true;

  let comment: CommentWrite = "skipped";
  if (!draft) {
    const body = renderComment(render, checkName, encodeCommentData(data));
    comment = await writeComment(github, ref, body, state.comment, mayCreateComment(file, evaluation, data));
  }
  return { kind: "evaluated", evaluation, file, state, checkRunRequests, comment };
}

/** SPEC §2: under `on_attention`, the first time an applicable agreement is neither met nor skipped. */
function mayCreateComment(file: AgreementFile, evaluation: Evaluation, data: CommentData): boolean {
  // Waivers and review requests are remembered in the comment, so they always get one.
  if (data.waivers.length > 0 || (data.requested?.length ?? 0) > 0) return true;
  switch (file.settings.comment) {
    case "always":
      return true;
    case "never":
      return false;
    case "on_attention":
      return evaluation.agreements.some((agreement) => agreement.outcome !== "pass" && agreement.outcome !== "skipped");
  }
}

/** Runs a side feature; its failure is logged and handed back in plain words instead of thrown. */
async function sideFeature<T>(deps: RefreshDeps, ref: PullRequestRef, name: string, work: () => Promise<T>): Promise<{ value: T } | { failed: string }> {
  try {
    return { value: await work() };
  } catch (error) {
    deps.log?.warn({ err: error, pr: prKey(ref) }, `${name} failed; the verdict goes out without them`);
    return { failed: describeGitHubError(error) };
  }
}

const PREVIEW_MODULE = new URL("../report/amendment-preview.js", import.meta.url);

/**
 * What the proposed file would conclude here, and replayed over recent recorded PRs when there
 * is a record. The proposed text is anyone's, so it runs in a worker with a time and memory
 * limit; past them the preview says so and the verdict under the base file stands.
 */
async function previewAmendment(gathered: Gathered, facts: PullRequestFacts, data: CommentData, deps: RefreshDeps, ref: PullRequestRef): Promise<AmendmentPreview> {
  const proposed = gathered.proposed ?? null;
  if (!proposed) return { problems: [] };
  const store = deps.store;
  const recent = store ? await sideFeature(deps, ref, "the amendment replay", () => store.recentPullRequestFacts(`${ref.owner}/${ref.repo}`, 50, { excludeNumber: ref.number })) : undefined;
  const input: AmendmentPreviewInput = {
    proposed: { path: proposed.path, text: proposed.text },
    base: { path: gathered.agreement!.path, text: gathered.agreement!.text },
    facts,
    waivers: data.waivers,
    ...(recent && "value" in recent ? { recent: recent.value } : {}),
  };
  const limits = deps.previewLimits ?? PREVIEW_LIMITS;
  const result = await runBounded<AmendmentPreviewInput, AmendmentPreview>(PREVIEW_MODULE, "computeAmendmentPreview", input, limits, computeAmendmentPreview);
  if (!result.ok) {
    deps.log?.warn({ pr: prKey(ref), reason: result.reason, detail: result.message }, "amendment preview stopped");
    const why = result.reason === "timeout" ? `it took longer than ${limits.timeoutMs / 1000} s` : result.reason === "memory" ? `it needed more than ${limits.maxHeapMb} MB` : "it could not be worked out";
    return { problems: [], note: `Accord did not finish previewing the proposed agreement file (${why}), so its verdict and replay are not shown. The file in force decided this check; \`accord validate\` checks the proposed file locally.` };
  }
  const preview = result.value;
  if (recent && "failed" in recent) preview.note = `The replay over recent pull requests is not available this time (${recent.failed}).`;
  return preview;
}
