/**
 * Webhook deliveries turned into jobs: plain, serialisable descriptions of the work one
 * delivery asks for (re-evaluate a pull request, record an event, run a command). Pure, so
 * routing is tested without Probot and a job can wait in a durable queue as JSON.
 */
import type { ReviewState } from "../engine/facts.js";
import type { PullRequestEventKind } from "../store/types.js";
import { COMMENT_MARKER } from "../render/markdown.js";
import { parseCommand, type Command } from "./commands.js";
import type { PullRequestRef } from "./client.js";

export const PULL_REQUEST_ACTIONS = ["opened", "reopened", "synchronize", "edited", "ready_for_review", "converted_to_draft", "labeled", "unlabeled"] as const;
export const REVIEW_ACTIONS = ["submitted", "dismissed", "edited"] as const;

/** Every `event.action` Accord acts on (SPEC §2). */
export const HANDLED_EVENTS = [
  ...PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
  "pull_request.closed",
  "pull_request.review_requested",
  ...REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const),
  "issue_comment.created",
  "check_run.rerequested",
] as const;

export const HANDLED_EVENT_NAMES: ReadonlySet<string> = new Set(HANDLED_EVENTS);

/** What a delivery adds to the friction record, besides the evaluation itself. */
export type RecordedEvent =
  | { kind: "pull-request"; event: PullRequestEventKind; title?: string; author?: string; baseBranch?: string; at?: string }
  | { kind: "review"; reviewer: string; state: ReviewState; reviewId?: number; at?: string }
  | { kind: "review-request"; requester: string; reviewer: string };

export type Job =
  /** Evaluate the pull request and bring its check run and comment up to date. */
  | { kind: "refresh"; ref: PullRequestRef; record?: RecordedEvent }
  /** Only record: closing a PR and people's own review requests change nothing on GitHub. */
  | { kind: "record"; ref: PullRequestRef; record: RecordedEvent }
  | { kind: "command"; ref: PullRequestRef; command: Command; commentId: number; author: string }
  /** "Re-run" on a check run that names no pull request (GitHub sends none for forks): found from the head SHA. */
  | { kind: "rerun"; repository: RepositoryRef; headSha: string };

export interface RepositoryRef {
  installationId: number;
  owner: string;
  repo: string;
  /** GitHub's id for the repository: stays the same across renames. */
  repoId?: number;
}

export type Routed = { job: Job } | { ignored: string } | { malformed: string };

interface Payload {
  action?: unknown;
  installation?: { id?: unknown };
  repository?: { id?: unknown; name?: unknown; owner?: { login?: unknown } };
  sender?: { login?: unknown; type?: unknown };
  pull_request?: Record<string, unknown> & {
    number?: unknown;
    state?: unknown;
    title?: unknown;
    merged?: unknown;
    closed_at?: unknown;
    user?: { login?: unknown };
    base?: { sha?: unknown; ref?: unknown };
    head?: { sha?: unknown };
  };
  review?: { id?: unknown; state?: unknown; user?: { login?: unknown }; submitted_at?: unknown };
  requested_reviewer?: { login?: unknown };
  requested_team?: { slug?: unknown };
  issue?: { number?: unknown; pull_request?: unknown };
  comment?: { id?: unknown; body?: unknown; user?: { login?: unknown } };
  check_run?: { head_sha?: unknown; app?: { id?: unknown }; pull_requests?: unknown };
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const whole = (value: unknown): number | undefined => (typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : undefined);

function repositoryOf(payload: Payload): RepositoryRef | undefined {
  const installationId = whole(payload.installation?.id);
  const owner = text(payload.repository?.owner?.login);
  const repo = text(payload.repository?.name);
  if (!installationId || !owner || !repo) return undefined;
  const repoId = whole(payload.repository?.id);
  return { installationId, owner, repo, ...(repoId ? { repoId } : {}) };
}

function pullRequestRef(repository: RepositoryRef, number: number, shas: { base?: unknown; head?: unknown } = {}): PullRequestRef {
  const base = text(shas.base);
  const head = text(shas.head);
  return { ...repository, number, ...(base ? { baseSha: base } : {}), ...(head ? { headSha: head } : {}) };
}

const REVIEW_STATES: Record<string, ReviewState> = { approved: "APPROVED", changes_requested: "CHANGES_REQUESTED", commented: "COMMENTED", dismissed: "DISMISSED" };

/** The job one webhook delivery asks for; `appId` is this app's, to ignore other apps' check runs. */
export function routeWebhook(name: string, body: unknown, appId = 0): Routed {
  if (body === null || typeof body !== "object") return { malformed: "the payload is not a JSON object" };
  const payload = body as Payload;
  const action = text(payload.action) ?? "";
  const event = `${name}.${action}`;
  const handled =
    (name === "pull_request" && ((PULL_REQUEST_ACTIONS as readonly string[]).includes(action) || action === "closed" || action === "review_requested")) ||
    (name === "pull_request_review" && (REVIEW_ACTIONS as readonly string[]).includes(action)) ||
    (name === "issue_comment" && action === "created") ||
    (name === "check_run" && action === "rerequested");
  if (!handled) return { ignored: `Accord does not act on ${event}` };
  const repository = repositoryOf(payload);
  if (!repository) return { malformed: `${event} without installation.id, repository.name or repository.owner.login` };

  if (name === "pull_request" || name === "pull_request_review") {
    const pr = payload.pull_request;
    const number = whole(pr?.number);
    if (!pr || !number) return { malformed: `${event} without pull_request.number` };
    const ref = pullRequestRef(repository, number, { base: pr.base?.sha, head: pr.head?.sha });
    if (name === "pull_request_review") {
      const review = payload.review;
      const reviewer = text(review?.user?.login);
      const state = action === "dismissed" ? "DISMISSED" : REVIEW_STATES[String(review?.state ?? "").toLowerCase()];
      if (pr.state === "closed") return { ignored: "the pull request is closed" };
      if (action === "edited" || !reviewer || !state) return { job: { kind: "refresh", ref } };
      const reviewId = whole(review?.id);
      const at = text(review?.submitted_at);
      return { job: { kind: "refresh", ref, record: { kind: "review", reviewer, state, ...(reviewId ? { reviewId } : {}), ...(at ? { at } : {}) } } };
    }
    if (action === "review_requested") {
      const reviewer = text(payload.requested_reviewer?.login) ?? text(payload.requested_team?.slug);
      if (!reviewer) return { ignored: "a review request without a reviewer" };
      return { job: { kind: "record", ref, record: { kind: "review-request", requester: text(payload.sender?.login) ?? "someone", reviewer } } };
    }
    const lifecycle: RecordedEvent | undefined =
      action === "closed"
        ? { kind: "pull-request", event: pr.merged === true ? "merged" : "closed", ...(text(pr.closed_at) ? { at: text(pr.closed_at)! } : {}) }
        : action === "opened" || action === "reopened" || action === "ready_for_review" || action === "converted_to_draft"
          ? {
              kind: "pull-request",
              event: action,
              ...(text(pr.title) ? { title: text(pr.title)! } : {}),
              ...(text(pr.user?.login) ? { author: text(pr.user?.login)! } : {}),
              ...(text(pr.base?.ref) ? { baseBranch: text(pr.base?.ref)! } : {}),
            }
          : undefined;
    if (action === "closed") return { job: { kind: "record", ref, record: lifecycle! } };
    if (pr.state === "closed") return { ignored: "the pull request is closed" };
    return { job: { kind: "refresh", ref, ...(lifecycle ? { record: lifecycle } : {}) } };
  }

  if (name === "issue_comment") {
    const { issue, comment, sender } = payload;
    const number = whole(issue?.number);
    const commentId = whole(comment?.id);
    if (!issue || !number || !comment || !commentId || typeof comment.body !== "string") return { malformed: `${event} without issue.number, comment.id or comment.body` };
    if (!issue.pull_request) return { ignored: "a comment on an issue, not a pull request" };
    if (sender?.type === "Bot" || comment.body.includes(COMMENT_MARKER)) return { ignored: "a comment by a bot" };
    const command = parseCommand(comment.body);
    if (!command) return { ignored: "a comment that is not an /accord command" };
    const author = text(sender?.login) ?? text(comment.user?.login) ?? "someone";
    return { job: { kind: "command", ref: pullRequestRef(repository, number), command, commentId, author } };
  }

  // check_run.rerequested
  const run = payload.check_run;
  if (!run || !Array.isArray(run.pull_requests)) return { malformed: `${event} without check_run.pull_requests` };
  if (appId && whole(run.app?.id) !== appId) return { ignored: "a check run of another app" };
  const pr = run.pull_requests[0] as { number?: unknown; base?: { sha?: unknown }; head?: { sha?: unknown } } | undefined;
  const number = whole(pr?.number);
  if (number) return { job: { kind: "refresh", ref: pullRequestRef(repository, number, { base: pr?.base?.sha, head: pr?.head?.sha }) } };
  const headSha = text(run.head_sha);
  if (!headSha) return { malformed: `${event} without check_run.head_sha` };
  return { job: { kind: "rerun", repository, headSha } };
}

/** The key under which one pull request's jobs run one at a time; by repository id when known, so a rename keeps one queue. */
export function jobKey(job: Job): string {
  const repository = job.kind === "rerun" ? job.repository : job.ref;
  const repo = repository.repoId ? `id:${repository.repoId}` : `${repository.owner}/${repository.repo}`.toLowerCase();
  return job.kind === "rerun" ? `${repo}@${job.headSha}` : `${repo}#${job.ref.number}`;
}
