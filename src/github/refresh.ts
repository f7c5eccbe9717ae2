/**
 * One pass over a pull request: gather its state, judge it with the base agreement file, and
 * bring the check run and the comment up to date. Every event ends up here.
 */
import { parseAgreements, type ParsedAgreements } from "../agreement/parse.js";
import { DEFAULT_CHECK_NAME, type AgreementFile } from "../agreement/schema.js";
import { contentNeeds, evaluate, type PullRequestFacts } from "../engine/index.js";
import type { Evaluation } from "../engine/result.js";
import { headline } from "../render/headline.js";
import { COMMENT_MARKER, renderComment, renderConfigProblems, renderSummary } from "../render/markdown.js";
import type { AmendmentPreview, RenderInput, ReviewerSuggestion } from "../render/report-model.js";
import { replayAmendment } from "../report/replay.js";
import type { FrictionStore, RecordedApproval } from "../store/types.js";
import { prKey, type GitHub, type PullRequestRef } from "./client.js";
import { GITHUB_FILE_LIST_LIMIT, checkRunNamed, gatherPullRequest, parseCached, headContents, type GitHubCaches, type Gathered, type PullRequestState } from "./gather.js";
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

export interface RefreshDeps {
  appId: number;
  caches: GitHubCaches;
  /** The friction record; without one, waivers live only in the comment. */
  store?: FrictionStore;
  /** Reviewer suggestions per team still needed; absent until wired. */
  suggest?: (request: SuggestionRequest) => Promise<SuggestionAnswer>;
}

export type RefreshResult =
  | { kind: "missing" | "closed" | "no-agreement" }
  | { kind: "config-error"; checkRunRequests: number; comment: CommentWrite }
  | { kind: "evaluated"; evaluation: Evaluation; file: AgreementFile; state: PullRequestState; checkRunRequests: number; comment: CommentWrite };

export interface RefreshOptions {
  /** The webhook delivery being handled, so the friction record counts it once. */
  deliveryId?: string;
  /** Replaces the waivers kept in the comment (after `/accord waive` or `unwaive`). */
  commentData?: CommentData;
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
  const gathered = await gatherPullRequest(github, ref, { appId: deps.appId, caches: deps.caches, ...(prefetch ? { prefetch } : {}) });
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
  if (!prepared.parsed.ok) return configError(github, prepared.gathered, prepared.parsed.problems, prepared.checkName, data);
  return evaluated(github, prepared.gathered, prepared.parsed.file, deps, data, options.deliveryId);
}

export async function refreshPullRequest(github: GitHub, ref: PullRequestRef, deps: RefreshDeps, options: RefreshOptions = {}): Promise<RefreshResult> {
  return applyPrepared(github, await preparePullRequest(github, ref, deps), deps, options);
}

async function configError(github: GitHub, gathered: Gathered, problems: Extract<ParsedAgreements, { ok: false }>["problems"], checkName: string, data: CommentData): Promise<RefreshResult> {
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
  const checkRunRequests = await writeCheckRun(github, state.ref, state.headSha, checkName, output, checkRunNamed(state, checkName));
  // Keep an existing comment current; the file's maintainers, not the PR author, fix this.
  const body = `${COMMENT_MARKER}\n\n### ${checkName}: ${rendered.title}\n\n${rendered.summary}\n${encodeCommentData(data)}`;
  const comment = await writeComment(github, state.ref, body, state.comment, false);
  return { kind: "config-error", checkRunRequests, comment };
}

async function evaluated(github: GitHub, gathered: Gathered, file: AgreementFile, deps: RefreshDeps, given: CommentData, deliveryId: string | undefined): Promise<RefreshResult> {
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
    teamMembers: membership.members,
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
  // With a friction store, waivers live there; the comment mirrors them for readers.
  if (deps.store) data = { ...data, waivers: await deps.store.activeWaivers(repo, ref.number) };
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
    const suggested = await deps.suggest({
      github,
      state,
      file,
      facts,
      evaluation,
      alreadyRequested: data.requested ?? [],
      ...(store ? { recordedApprovals: () => store.recentApprovals(repo, Date.now() - YEAR_MS) } : {}),
    });
    render.suggestions = suggested.suggestions;
    notices.push(...suggested.notices);
    if (suggested.requested && suggested.requested.length > 0) {
      data = { ...data, requested: [...new Set([...(data.requested ?? []), ...suggested.requested])] };
      for (const reviewer of suggested.requested) {
        await deps.store?.recordReviewRequest({ repo, number: ref.number, requester: ACCORD_REQUESTER, reviewer, suggestionRank: 1, ...(deliveryId ? { deliveryId } : {}) });
      }
    }
  }
  let proposedAnnotations: ReturnType<typeof problemAnnotations> = [];
  if (gathered.proposed !== undefined) {
    render.amendment = await previewAmendment(gathered.proposed, file, facts, data, deps.store ? () => deps.store!.recentPullRequestFacts(repo, 50, { excludeNumber: ref.number }) : undefined);
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
  const checkRunRequests = await writeCheckRun(github, ref, state.headSha, checkName, output, checkRunNamed(state, checkName));

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

/** What the proposed file would conclude here, and replayed over recent recorded PRs when there is a record. */
async function previewAmendment(
  proposed: Gathered["proposed"],
  base: AgreementFile,
  facts: PullRequestFacts,
  data: CommentData,
  recent: (() => Promise<PullRequestFacts[]>) | undefined,
): Promise<AmendmentPreview> {
  if (!proposed) return { problems: [] };
  const parsed = parseAgreements(proposed.text, proposed.path);
  if (!parsed.ok) return { problems: parsed.problems };
  const preview: AmendmentPreview = { problems: [], evaluation: evaluate(parsed.file, facts, { waivers: data.waivers }) };
  if (recent) {
    const replay = replayAmendment(base, parsed.file, await recent());
    if (replay.rows.length > 0) {
      preview.replay = replay.rows;
      preview.replayedPullRequests = replay.replayed;
    }
  }
  return preview;
}
