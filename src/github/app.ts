/**
 * The Probot app: maps webhook events onto one refresh of the pull request, and `/accord`
 * comments onto commands. Work per PR is serialised; redelivered webhooks are handled once.
 */
import type { Context, Probot } from "probot";
import { DEFAULT_CHECK_NAME } from "../agreement/schema.js";
import type { Waiver } from "../engine/facts.js";
import { COMMENT_MARKER } from "../render/markdown.js";
import { describeGitHubError, prKey, type GitHub, type PullRequestRef } from "./client.js";
import { commandHelp, explainAgreement, parseCommand, type Command } from "./commands.js";
import { GitHubCaches } from "./gather.js";
import { resolveMembership } from "./membership.js";
import { applyPrepared, preparePullRequest, refreshPullRequest, type RefreshDeps } from "./refresh.js";
import type { ReviewState } from "../engine/facts.js";
import type { FrictionStore } from "../store/types.js";
import { frictionReport, parseSince, renderReport } from "../report/index.js";
import { TtlCache } from "./cache.js";
import { HealthIssues } from "./health-issue.js";
import { KeyedQueue } from "../util/keyed-queue.js";
import { RecentDeliveries } from "./recent-deliveries.js";
import { withWaiver, withoutWaiver } from "./waivers.js";

export const PULL_REQUEST_ACTIONS = [
  "pull_request.opened",
  "pull_request.reopened",
  "pull_request.synchronize",
  "pull_request.edited",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
  "pull_request.labeled",
  "pull_request.unlabeled",
] as const;

export const REVIEW_ACTIONS = ["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"] as const;

export interface AccordAppOptions {
  appId?: number;
  caches?: GitHubCaches;
  suggest?: RefreshDeps["suggest"];
  /** The friction record, or how to open it when the app loads (SQLite is created on first start). */
  store?: FrictionStore | (() => Promise<FrictionStore>);
  now?: () => number;
}

interface Installed {
  installation?: { id: number };
  repository: { name: string; owner: { login: string } };
}

function refOf(payload: Installed, number: number, shas: { base?: string; head?: string } = {}): PullRequestRef | undefined {
  if (!payload.installation?.id || !payload.repository?.owner?.login) return undefined;
  return {
    installationId: payload.installation.id,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    number,
    ...(shas.base ? { baseSha: shas.base } : {}),
    ...(shas.head ? { headSha: shas.head } : {}),
  };
}

export function accordApp(options: AccordAppOptions = {}) {
  return async (app: Probot): Promise<void> => {
    const store = typeof options.store === "function" ? await options.store() : options.store;
    const caches = options.caches ?? new GitHubCaches();
    const appId = options.appId ?? Number(process.env.APP_ID ?? 0);
    const deps: RefreshDeps = { appId, caches, ...(options.suggest ? { suggest: options.suggest } : {}), ...(store ? { store } : {}) };
    const healthIssues = new HealthIssues(options.now);
    const queue = new KeyedQueue();
    // One client per installation, reused: its write queue is the installation's, and its token refreshes itself.
    const clients = new TtlCache<Promise<GitHub>>(1_000, 10 * 60_000);
    const clientFor = (installationId: number): Promise<GitHub> => {
      const key = String(installationId);
      let client = clients.get(key);
      if (!client) {
        client = app.auth(installationId) as Promise<GitHub>;
        client.catch(() => clients.delete(key));
        clients.set(key, client);
      }
      return client;
    };
    /** The check name each repository's file asks for, so a failure report lands on the same run. */
    const checkNames = new TtlCache<string>(10_000, 24 * 3_600_000);
    const remember = <T>(ref: PullRequestRef, result: T): T => {
      const name = (result as { file?: { settings: { check_name: string } } } | undefined)?.file?.settings.check_name;
      if (name) checkNames.set(repoKey(ref), name);
      return result;
    };
    const deliveries = new RecentDeliveries();

    /**
     * Runs one PR's work in order — across instances too, when the store is shared — and once per
     * delivery; on a GitHub failure, says so on the check run and how to retry.
     */
    const serially = async (context: Context, ref: PullRequestRef, work: (github: GitHub) => Promise<unknown>) => {
      if (!deliveries.firstTime(context.id) || (store && !(await store.claimDelivery(context.id)))) {
        context.log.info({ delivery: context.id }, "duplicate delivery ignored");
        return;
      }
      const github = await clientFor(ref.installationId);
      await queue.run(prKey(ref), async () => {
        try {
          await (store ? store.withPullRequestLock(repoName(ref), ref.number, () => work(github)) : work(github));
        } catch (error) {
          // A redelivery may try again; what was recorded is keyed by delivery, so nothing doubles.
          await store?.releaseDelivery(context.id).catch(() => undefined);
          context.log.error({ err: error, pr: prKey(ref) }, "evaluation failed");
          await reportFailure(github, ref, checkNames.get(repoKey(ref)) ?? DEFAULT_CHECK_NAME, error).catch((inner: unknown) =>
            context.log.error({ err: inner }, "could not report the failure either"),
          );
          throw error;
        }
      });
    };

    /** Re-evaluates, records, writes; then the weekly health issue when it is due. */
    const refresh = async (github: GitHub, ref: PullRequestRef, deliveryId: string) => {
      const result = remember(ref, await refreshPullRequest(github, ref, deps, { deliveryId }));
      if (store && result.kind === "evaluated" && result.file.settings.report === "weekly") await healthIssues.refreshIfDue(github, ref, store);
      return result;
    };

    const onPullRequest = async (context: Context<(typeof PULL_REQUEST_ACTIONS)[number] | (typeof REVIEW_ACTIONS)[number]>) => {
      const pr = context.payload.pull_request as Partial<typeof context.payload.pull_request> | undefined;
      const ref = pr && typeof pr.number === "number" ? refOf(context.payload, pr.number, { base: pr.base?.sha, head: pr.head?.sha }) : undefined;
      if (!ref) return ignoreMalformed(context);
      if (pr?.state === "closed") return;
      await serially(context, ref, async (github) => {
        if (store) await recordEvent(store, context, ref);
        return refresh(github, ref, context.id);
      });
    };
    app.on([...PULL_REQUEST_ACTIONS], onPullRequest);
    app.on([...REVIEW_ACTIONS], onPullRequest);

    // Recorded only: closing a PR and requests made by people change nothing on GitHub.
    app.on(["pull_request.closed", "pull_request.review_requested"], async (context) => {
      const pr = context.payload.pull_request as Partial<typeof context.payload.pull_request> | undefined;
      const ref = pr && typeof pr.number === "number" ? refOf(context.payload, pr.number) : undefined;
      if (!ref) return ignoreMalformed(context);
      if (!store) return;
      await serially(context, ref, () => recordEvent(store, context, ref));
    });

    app.on("check_run.rerequested", async (context) => {
      const run = context.payload.check_run as Partial<typeof context.payload.check_run> | undefined;
      if (!run || !Array.isArray(run.pull_requests)) return ignoreMalformed(context);
      if (appId && run.app?.id !== appId) return;
      const pr = run.pull_requests[0];
      if (!pr) return;
      const ref = refOf(context.payload, pr.number, { base: pr.base.sha, head: pr.head.sha });
      if (!ref) return;
      await serially(context, ref, (github) => refresh(github, ref, context.id));
    });

    app.on("issue_comment.created", async (context) => {
      const { issue, comment, sender } = context.payload;
      if (!issue || !comment || typeof comment.body !== "string") return ignoreMalformed(context);
      if (!issue.pull_request || sender?.type === "Bot" || comment.body.includes(COMMENT_MARKER)) return;
      const command = parseCommand(comment.body);
      if (!command) return;
      const ref = refOf(context.payload, issue.number);
      if (!ref) return;
      await serially(context, ref, (github) => runCommand(github, ref, command, { id: comment.id, author: sender?.login ?? comment.user?.login ?? "someone", deliveryId: context.id }, deps));
    });

    app.on(["installation.created", "installation.deleted", "installation_repositories.added"], async (context) => {
      context.log.info({ action: context.payload.action, installation: context.payload.installation.id }, "installation changed");
    });
  };
}

/** A payload without the fields every such event has: logged, answered, never a crash. */
function ignoreMalformed(context: Context): void {
  context.log.warn({ event: context.name, delivery: context.id }, "webhook payload is missing the fields Accord needs; ignored");
}

const repoName = (ref: PullRequestRef) => `${ref.owner}/${ref.repo}`;

const REVIEW_STATES: Record<string, ReviewState> = { approved: "APPROVED", changes_requested: "CHANGES_REQUESTED", commented: "COMMENTED", dismissed: "DISMISSED" };

/** What a webhook tells the friction record: PR lifecycle, reviews, review requests. */
async function recordEvent(store: FrictionStore, context: Context, ref: PullRequestRef): Promise<void> {
  const payload = context.payload as {
    action?: string;
    sender?: { login?: string };
    pull_request?: { title?: string; user?: { login?: string }; base?: { ref?: string }; merged?: boolean; updated_at?: string; closed_at?: string | null };
    review?: { id?: number; state?: string; user?: { login?: string }; submitted_at?: string };
    requested_reviewer?: { login?: string };
    requested_team?: { slug?: string };
  };
  const base = { repo: repoName(ref), number: ref.number, deliveryId: context.id };
  const pr = payload.pull_request ?? {};
  const action = payload.action ?? "";
  if (context.name === "pull_request_review") {
    const review = payload.review;
    const state = action === "dismissed" ? "DISMISSED" : REVIEW_STATES[String(review?.state ?? "").toLowerCase()];
    if (review?.user?.login && state && action !== "edited") {
      await store.recordReview({ ...base, reviewer: review.user.login, state, ...(review.id ? { reviewId: review.id } : {}), ...(review.submitted_at ? { at: review.submitted_at } : {}) });
    }
    return;
  }
  if (action === "review_requested") {
    const reviewer = payload.requested_reviewer?.login ?? payload.requested_team?.slug;
    if (reviewer) await store.recordReviewRequest({ ...base, requester: payload.sender?.login ?? "someone", reviewer });
    return;
  }
  const kind = action === "closed" ? (pr.merged ? "merged" : "closed") : action;
  if (kind === "opened" || kind === "reopened" || kind === "ready_for_review" || kind === "converted_to_draft" || kind === "closed" || kind === "merged") {
    await store.recordPullRequestEvent({
      ...base,
      kind,
      ...(pr.title ? { title: pr.title } : {}),
      ...(pr.user?.login ? { author: pr.user.login } : {}),
      ...(pr.base?.ref ? { baseBranch: pr.base.ref } : {}),
      ...(kind === "closed" || kind === "merged" ? (pr.closed_at ? { at: pr.closed_at } : {}) : {}),
    });
  }
}
const repoKey = (ref: PullRequestRef) => `${ref.owner}/${ref.repo}`.toLowerCase();

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

interface CommandAuthor {
  id: number;
  author: string;
  deliveryId?: string;
}

async function react(github: GitHub, ref: PullRequestRef, commentId: number, content: "+1" | "confused" | "eyes"): Promise<void> {
  await github.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner: ref.owner, repo: ref.repo, comment_id: commentId, content });
}

async function reply(github: GitHub, ref: PullRequestRef, body: string): Promise<void> {
  await github.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: ref.owner, repo: ref.repo, issue_number: ref.number, body });
}

export async function runCommand(github: GitHub, ref: PullRequestRef, command: Command, by: CommandAuthor, deps: RefreshDeps): Promise<void> {
  const prepared = await preparePullRequest(github, ref, deps);
  const file = prepared.kind === "ready" && prepared.parsed.ok ? prepared.parsed.file : undefined;
  const mention = `@${by.author}`;
  if (prepared.kind !== "ready") {
    await react(github, ref, by.id, "confused");
    const why = prepared.kind === "no-agreement" ? "this repository has no agreement file (`.github/agreements.yml`) on the base branch yet" : "this pull request is closed";
    await reply(github, ref, `${mention} Accord has nothing to check here: ${why}.`);
    return;
  }
  if (!file && command.kind !== "check") {
    await react(github, ref, by.id, "confused");
    await reply(github, ref, `${mention} The agreement file has problems, so commands wait until it is fixed. The check run lists each problem and where it is.`);
    return;
  }
  const agreement = (id: string) => file?.agreements.find((a) => a.id === id);
  const unknownId = async (id: string) => {
    await react(github, ref, by.id, "confused");
    await reply(github, ref, `${mention} There is no agreement \`${id}\` here. The ids are: ${file!.agreements.map((a) => `\`${a.id}\``).join(", ")}.`);
  };

  switch (command.kind) {
    case "check":
      await applyPrepared(github, prepared, deps, by.deliveryId ? { deliveryId: by.deliveryId } : {});
      await react(github, ref, by.id, "+1");
      return;
    case "explain": {
      const found = agreement(command.id);
      if (!found) return unknownId(command.id);
      await react(github, ref, by.id, "+1");
      await reply(github, ref, explainAgreement(found, file!));
      return;
    }
    case "waive":
    case "unwaive": {
      const found = agreement(command.id);
      if (!found) return unknownId(command.id);
      const membership = await resolveMembership(github, ref.owner, file!, deps.caches);
      const login = by.author.toLowerCase();
      const inTeam = found.waivable_by.some((team) => (membership.members[team] ?? []).some((member) => member.toLowerCase() === login));
      const active = deps.store ? await deps.store.activeWaivers(repoName(ref), ref.number) : prepared.data.waivers;
      const existing = active.find((w) => w.agreementId === found.id);
      const allowed = inTeam || (command.kind === "unwaive" && existing?.by.toLowerCase() === login);
      if (!allowed) {
        await react(github, ref, by.id, "confused");
        const teams = found.waivable_by.map((team) => file!.teams[team]?.name ?? team);
        const who = teams.length > 0 ? `members of ${teams.join(" or ")}` : "nobody (the agreement file names no `waivable_by` team for it)";
        await reply(github, ref, `${mention} \`${found.id}\` can be ${command.kind === "waive" ? "waived" : "unwaived"} by ${who}. If it should not hold for this pull request, ask one of them to comment \`/accord waive ${found.id} <reason>\`.`);
        return;
      }
      if (command.kind === "unwaive" && !existing) {
        await react(github, ref, by.id, "confused");
        await reply(github, ref, `${mention} \`${found.id}\` is not waived on this pull request, so there is nothing to take back.`);
        return;
      }
      const waiver: Waiver = { agreementId: found.id, by: by.author, reason: command.kind === "waive" ? command.reason : "", at: new Date().toISOString() };
      const data = command.kind === "waive" ? withWaiver(prepared.data, waiver) : withoutWaiver(prepared.data, found.id);
      const recorded = { repo: repoName(ref), number: ref.number, agreementId: found.id, by: by.author, ...(by.deliveryId ? { deliveryId: by.deliveryId } : {}) };
      if (command.kind === "waive") await deps.store?.recordWaiver({ ...recorded, reason: waiver.reason });
      else await deps.store?.recordUnwaiver(recorded);
      await applyPrepared(github, prepared, deps, { commentData: data, ...(by.deliveryId ? { deliveryId: by.deliveryId } : {}) });
      await react(github, ref, by.id, "+1");
      return;
    }
    case "report": {
      if (!deps.store) {
        await react(github, ref, by.id, "confused");
        await reply(github, ref, `${mention} Friction reports come from Accord's record of past evaluations, and this installation runs without one (set \`DATABASE_URL\`).`);
        return;
      }
      const window = parseSince("30d");
      if ("problem" in window) return;
      const report = await frictionReport(deps.store, repoName(ref), window);
      await react(github, ref, by.id, "+1");
      await reply(github, ref, renderReport(report, "markdown"));
      return;
    }
    case "help":
    case "invalid":
      await react(github, ref, by.id, command.kind === "help" ? "+1" : "confused");
      await reply(github, ref, `${command.kind === "invalid" ? `${mention} ${command.problem}\n\n` : ""}${commandHelp(file)}`);
      return;
  }
}
