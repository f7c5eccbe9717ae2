/**
 * Runs one job (one webhook delivery's work) to the end: once per delivery, one at a time per
 * pull request — across instances too when the store is shared — recording what happened
 * before GitHub is written to. A failure before the verdict is written says so on the check
 * run; a failure after it never replaces the verdict.
 */
import { DEFAULT_CHECK_NAME } from "../agreement/schema.js";
import type { FrictionStore } from "../store/types.js";
import { KeyedQueue } from "../util/keyed-queue.js";
import { TtlCache } from "./cache.js";
import { describeGitHubError, prKey, type GitHub, type PullRequestRef } from "./client.js";
import type { Job, RecordedEvent, RepositoryRef } from "./events.js";
import { HealthIssues } from "./health-issue.js";
import { RecentDeliveries } from "./recent-deliveries.js";
import { refreshPullRequest, type Progress, type RefreshDeps, type RefreshResult } from "./refresh.js";
import { runCommand } from "./run-command.js";

export interface PipelineLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface PipelineDeps extends RefreshDeps {
  /** An authenticated client for an installation. */
  clientFor(installationId: number): Promise<GitHub>;
  log: PipelineLog;
  now?: () => number;
  /** Told what each pass decided, even when writing it to GitHub then failed (the Action's exit status). */
  onVerdict?: (ref: PullRequestRef, verdict: NonNullable<Progress["verdict"]>) => void;
}

export type JobOutcome = "done" | "duplicate" | "no-pull-request";

const repoName = (ref: { owner: string; repo: string }) => `${ref.owner}/${ref.repo}`;

export class Pipeline {
  private readonly queue = new KeyedQueue();
  private readonly deliveries = new RecentDeliveries();
  private readonly healthIssues: HealthIssues;
  /** The check name each repository's file asks for, so a failure report lands on the same run. */
  private readonly checkNames = new TtlCache<string>(10_000, 24 * 3_600_000);

  constructor(private readonly deps: PipelineDeps) {
    this.healthIssues = new HealthIssues(deps.now);
  }

  /**
   * Runs a job. From the durable queue (`queued`), the queue has already made the delivery count
   * once, and says whether a failure will be retried (`final: false`) — only the last failure is
   * reported on the check run. Without a queue (no record: tests, the GitHub Action) the job runs
   * inline, and this process remembers which deliveries it finished.
   */
  async run(job: Job, deliveryId: string, options: { queued?: boolean; final?: boolean } = {}): Promise<JobOutcome> {
    const { store, log } = this.deps;
    const queued = options.queued === true;
    if (!queued && !this.deliveries.begin(deliveryId)) {
      log.info({ delivery: deliveryId }, "duplicate delivery ignored");
      return "duplicate";
    }
    let claimed = false;
    try {
      if (!queued && store && !(await store.claimDelivery(deliveryId))) {
        // Another instance has it (or had it): if that attempt fails, it gives the claim back for a redelivery.
        this.deliveries.end(deliveryId, false);
        log.info({ delivery: deliveryId }, "delivery handled elsewhere; ignored");
        return "duplicate";
      }
      claimed = !queued;
      const github = await this.deps.clientFor(job.kind === "rerun" ? job.repository.installationId : job.ref.installationId);
      const repository = job.kind === "rerun" ? job.repository : job.ref;
      if (store && repository.repoId) await store.identifyRepository(repository.repoId, repoName(repository));
      const ref = job.kind === "rerun" ? await this.pullRequestAt(github, job.repository, job.headSha) : job.ref;
      if (!ref) {
        log.info({ delivery: deliveryId, sha: job.kind === "rerun" ? job.headSha : undefined }, "no open pull request at this commit; nothing to re-run");
        if (!queued) this.deliveries.end(deliveryId, true);
        return "no-pull-request";
      }
      const final = options.final ?? true;
      const work = () => this.work(github, job, ref, deliveryId, final);
      // From the durable queue, one PR's jobs already run one at a time across instances (its
      // named queue); inline, the store's lock keeps instances sharing a record apart.
      await this.queue.run(prKey(ref), () => (store && !queued ? store.withPullRequestLock(repoName(ref).toLowerCase(), ref.number, work) : work()));
      if (!queued) this.deliveries.end(deliveryId, true);
      return "done";
    } catch (error) {
      if (!queued) this.deliveries.end(deliveryId, false);
      // Nothing recorded doubles on a second attempt: what was recorded is keyed by delivery.
      if (claimed) await store?.releaseDelivery(deliveryId).catch(() => undefined);
      throw error;
    }
  }

  private async work(github: GitHub, job: Job, ref: PullRequestRef, deliveryId: string, final: boolean): Promise<void> {
    const { store } = this.deps;
    const progress: Progress = { verdictWritten: false };
    try {
      if (store && job.kind !== "command" && job.kind !== "rerun" && job.record) await recordEvent(store, ref, job.record, deliveryId);
      if (job.kind === "record") return;
      if (job.kind === "command") {
        await runCommand(github, ref, job.command, { commentId: job.commentId, author: job.author, deliveryId }, this.deps, { progress });
        return;
      }
      const result = await refreshPullRequest(github, ref, this.deps, { deliveryId, progress });
      this.remember(ref, result);
      if (store && result.kind === "evaluated" && result.file.settings.report === "weekly") {
        // A side feature: its failure is logged, and the verdict already written stands.
        await this.healthIssues.refreshIfDue(github, ref, store).catch((error: unknown) => this.deps.log.warn({ err: error, pr: prKey(ref) }, "the Agreement health issue could not be updated"));
      }
    } catch (error) {
      this.deps.log[final ? "error" : "warn"]({ err: error, pr: prKey(ref), delivery: deliveryId }, final ? "evaluation failed" : "evaluation failed; it will be tried again");
      if (final && !progress.verdictWritten) {
        await reportFailure(github, ref, this.checkNames.get(repoName(ref).toLowerCase()) ?? DEFAULT_CHECK_NAME, error).catch((inner: unknown) =>
          this.deps.log.error({ err: inner }, "could not report the failure either"),
        );
      }
      throw error;
    } finally {
      if (progress.verdict) this.deps.onVerdict?.(ref, progress.verdict);
    }
  }

  private remember(ref: PullRequestRef, result: RefreshResult): void {
    if (result.kind === "evaluated") this.checkNames.set(repoName(ref).toLowerCase(), result.file.settings.check_name);
  }

  /**
   * The open pull request whose head is `sha`: from the friction record when it has seen one,
   * else from GitHub (for a fork's check run, GitHub names none in the webhook).
   */
  private async pullRequestAt(github: GitHub, repository: RepositoryRef, sha: string): Promise<PullRequestRef | undefined> {
    const known = await this.deps.store?.pullRequestForHead(repoName(repository), sha);
    if (known !== undefined) return { ...repository, number: known, headSha: sha };
    const response = await github.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", { owner: repository.owner, repo: repository.repo, commit_sha: sha, per_page: 100 });
    const pr = (response.data as { number: number; state: string; head: { sha: string } }[]).find((candidate) => candidate.state === "open" && candidate.head.sha === sha);
    return pr ? { ...repository, number: pr.number, headSha: sha } : undefined;
  }
}

/** What a webhook adds to the friction record: PR lifecycle, reviews, review requests. */
async function recordEvent(store: FrictionStore, ref: PullRequestRef, event: RecordedEvent, deliveryId: string): Promise<void> {
  const base = { repo: repoName(ref), number: ref.number, deliveryId };
  switch (event.kind) {
    case "review":
      await store.recordReview({ ...base, reviewer: event.reviewer, state: event.state, ...(event.reviewId ? { reviewId: event.reviewId } : {}), ...(event.at ? { at: event.at } : {}) });
      return;
    case "review-request":
      await store.recordReviewRequest({ ...base, requester: event.requester, reviewer: event.reviewer });
      return;
    case "pull-request":
      await store.recordPullRequestEvent({
        ...base,
        kind: event.event,
        ...(event.title ? { title: event.title } : {}),
        ...(event.author ? { author: event.author } : {}),
        ...(event.baseBranch ? { baseBranch: event.baseBranch } : {}),
        ...(event.at ? { at: event.at } : {}),
      });
  }
}

async function reportFailure(github: GitHub, ref: PullRequestRef, name: string, error: unknown): Promise<void> {
  if (!ref.headSha) return;
  await github.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: ref.owner,
    repo: ref.repo,
    name,
    head_sha: ref.headSha,
    status: "completed",
    conclusion: "failure",
    output: {
      title: "Could not check the agreements this time",
      summary: `Accord could not finish checking this pull request: ${describeGitHubError(error)}. Nothing about the agreements was decided.\n\nComment \`/accord check\` on the pull request to try again, or push a commit.`,
    },
  });
}
