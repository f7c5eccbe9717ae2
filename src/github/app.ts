/**
 * The Probot app: maps webhook events onto one refresh of the pull request, and `/accord`
 * comments onto commands. Work per PR is serialised; redelivered webhooks are handled once.
 */
import type { Context, Probot } from "probot";
import type { Waiver } from "../engine/facts.js";
import { COMMENT_MARKER } from "../render/markdown.js";
import { describeGitHubError, prKey, type GitHub, type PullRequestRef } from "./client.js";
import { commandHelp, explainAgreement, parseCommand, type Command } from "./commands.js";
import { GitHubCaches } from "./gather.js";
import { resolveMembership } from "./membership.js";
import { applyPrepared, preparePullRequest, refreshPullRequest, type RefreshDeps } from "./refresh.js";
import { TtlCache } from "./cache.js";
import { KeyedQueue, RecentDeliveries } from "./serial.js";
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
  return (app: Probot): void => {
    const caches = options.caches ?? new GitHubCaches();
    const appId = options.appId ?? Number(process.env.APP_ID ?? 0);
    const deps: RefreshDeps = { appId, caches, ...(options.suggest ? { suggest: options.suggest } : {}) };
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

    /** Runs one PR's work in order; on a GitHub failure, says so on the check run and how to retry. */
    const serially = async (context: Context, ref: PullRequestRef, work: (github: GitHub) => Promise<unknown>) => {
      if (!deliveries.firstTime(context.id)) {
        context.log.info({ delivery: context.id }, "duplicate delivery ignored");
        return;
      }
      const github = await clientFor(ref.installationId);
      await queue.run(prKey(ref), async () => {
        try {
          await work(github);
        } catch (error) {
          context.log.error({ err: error, pr: prKey(ref) }, "evaluation failed");
          await reportFailure(github, ref, checkNames.get(repoKey(ref)) ?? DEFAULT_CHECK_NAME, error).catch((inner: unknown) =>
            context.log.error({ err: inner }, "could not report the failure either"),
          );
          throw error;
        }
      });
    };

    const onPullRequest = async (context: Context<(typeof PULL_REQUEST_ACTIONS)[number] | (typeof REVIEW_ACTIONS)[number]>) => {
      const pr = context.payload.pull_request as Partial<typeof context.payload.pull_request> | undefined;
      const ref = pr && typeof pr.number === "number" ? refOf(context.payload, pr.number, { base: pr.base?.sha, head: pr.head?.sha }) : undefined;
      if (!ref) return ignoreMalformed(context);
      if (pr?.state === "closed") return;
      await serially(context, ref, (github) => refreshPullRequest(github, ref, deps).then((result) => remember(ref, result)));
    };
    app.on([...PULL_REQUEST_ACTIONS], onPullRequest);
    app.on([...REVIEW_ACTIONS], onPullRequest);

    app.on("check_run.rerequested", async (context) => {
      const run = context.payload.check_run as Partial<typeof context.payload.check_run> | undefined;
      if (!run || !Array.isArray(run.pull_requests)) return ignoreMalformed(context);
      if (appId && run.app?.id !== appId) return;
      const pr = run.pull_requests[0];
      if (!pr) return;
      const ref = refOf(context.payload, pr.number, { base: pr.base.sha, head: pr.head.sha });
      if (!ref) return;
      await serially(context, ref, (github) => refreshPullRequest(github, ref, deps).then((result) => remember(ref, result)));
    });

    app.on("issue_comment.created", async (context) => {
      const { issue, comment, sender } = context.payload;
      if (!issue || !comment || typeof comment.body !== "string") return ignoreMalformed(context);
      if (!issue.pull_request || sender?.type === "Bot" || comment.body.includes(COMMENT_MARKER)) return;
      const command = parseCommand(comment.body);
      if (!command) return;
      const ref = refOf(context.payload, issue.number);
      if (!ref) return;
      await serially(context, ref, (github) => runCommand(github, ref, command, { id: comment.id, author: sender?.login ?? comment.user?.login ?? "someone" }, deps));
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

const DEFAULT_CHECK_NAME = "Team agreements";
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
      await applyPrepared(github, prepared, deps);
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
      const existing = prepared.data.waivers.find((w) => w.agreementId === found.id);
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
      await applyPrepared(github, prepared, deps, { commentData: data });
      await react(github, ref, by.id, "+1");
      return;
    }
    case "report":
      await react(github, ref, by.id, "eyes");
      await reply(github, ref, `${mention} Friction reports need Accord's record of past evaluations, which this installation does not keep yet. They will appear here once it does.`);
      return;
    case "help":
    case "invalid":
      await react(github, ref, by.id, command.kind === "help" ? "+1" : "confused");
      await reply(github, ref, `${command.kind === "invalid" ? `${mention} ${command.problem}\n\n` : ""}${commandHelp(file)}`);
      return;
  }
}
