/**
 * Carries out one `/accord` command on a pull request. Every reply goes into one comment per
 * pull request and kind of command, edited in place, so repeating a command — or a bot doing
 * it in a loop — cannot flood the conversation (SPEC §2).
 */
import type { Waiver } from "../engine/facts.js";
import { mayUnwaive, mayWaive, waiverTeams, waiversInForce, type WaiverDecision } from "../engine/waivers.js";
import { frictionReport, parseSince, renderReport } from "../report/index.js";
import type { Agreement, AgreementFile } from "../agreement/schema.js";
import type { GitHub, PullRequestRef } from "./client.js";
import { commandHelp, explainAgreement, type Command } from "./commands.js";
import { findOwnComment } from "./gather.js";
import { resolveMembership } from "./membership.js";
import { applyPrepared, preparePullRequest, type RefreshDeps, type RefreshOptions } from "./refresh.js";
import { withWaiver, withoutWaiver } from "./waivers.js";

export interface CommandAuthor {
  commentId: number;
  author: string;
  deliveryId?: string;
}

/** The families of replies; each has one comment per pull request. */
export type ReplyKind = "explain" | "report" | "help" | "waive";

export const replyMarker = (kind: ReplyKind) => `<!-- accord:reply:${kind} -->`;

const repoName = (ref: PullRequestRef) => `${ref.owner}/${ref.repo}`;

async function react(github: GitHub, ref: PullRequestRef, commentId: number, content: "+1" | "confused"): Promise<void> {
  await github.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner: ref.owner, repo: ref.repo, comment_id: commentId, content });
}

/** Writes the reply of this kind: edits Accord's earlier one (nothing when it already says this), else creates it. */
export async function reply(github: GitHub, ref: PullRequestRef, kind: ReplyKind, text: string): Promise<"created" | "updated" | "unchanged"> {
  const body = `${replyMarker(kind)}\n${text}`;
  const existing = await findOwnComment(github, ref, replyMarker(kind));
  if (existing?.body === body) return "unchanged";
  if (existing) {
    await github.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: ref.owner, repo: ref.repo, comment_id: existing.id, body });
    return "updated";
  }
  await github.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: ref.owner, repo: ref.repo, issue_number: ref.number, body });
  return "created";
}

/** Why someone may not waive (or unwaive) an agreement, and who may. */
function refusal(decision: Exclude<WaiverDecision, { allowed: true }>, agreement: Agreement, file: AgreementFile, verb: "waive" | "unwaive", mention: string): string {
  const who = waiverTeams(agreement, file);
  const ask = `If it should not hold for this pull request, ask one of them to comment \`/accord waive ${agreement.id} <reason>\`.`;
  switch (decision.reason) {
    case "nobody":
      return `${mention} Nobody can ${verb} \`${agreement.id}\`: the agreement file names no \`waivable_by\` team for it. If it should be waivable, the teams can add one in \`.github/agreements.yml\`.`;
    case "author":
      return `${mention} A waiver is a second person's decision, so the author of a pull request cannot ${verb} agreements on it. \`${agreement.id}\` can be ${verb}d by ${who}. ${ask}`;
    case "not-in-team":
      return `${mention} \`${agreement.id}\` can be ${verb}d by ${who}. ${ask}`;
  }
}

export async function runCommand(github: GitHub, ref: PullRequestRef, command: Command, by: CommandAuthor, deps: RefreshDeps, options: RefreshOptions = {}): Promise<void> {
  const prepared = await preparePullRequest(github, ref, deps);
  const file = prepared.kind === "ready" && prepared.parsed.ok ? prepared.parsed.file : undefined;
  const mention = `@${by.author}`;
  const refresh = { ...options, ...(by.deliveryId ? { deliveryId: by.deliveryId } : {}) };
  const answer = async (kind: ReplyKind, text: string, reaction: "+1" | "confused") => {
    await react(github, ref, by.commentId, reaction);
    await reply(github, ref, kind, text);
  };
  if (prepared.kind !== "ready") {
    const why = prepared.kind === "no-agreement" ? "this repository has no agreement file (`.github/agreements.yml`) on the base branch yet" : "this pull request is closed";
    return answer("help", `${mention} Accord has nothing to check here: ${why}.`, "confused");
  }
  if (!file && command.kind !== "check") {
    return answer("help", `${mention} The agreement file has problems, so commands wait until it is fixed. The check run lists each problem and where it is.`, "confused");
  }
  const agreement = (id: string) => file?.agreements.find((a) => a.id === id);
  const unknownId = (id: string, kind: ReplyKind) =>
    answer(kind, `${mention} There is no agreement \`${id}\` here. The ids are: ${file!.agreements.map((a) => `\`${a.id}\``).join(", ")}.`, "confused");

  switch (command.kind) {
    case "check":
      await applyPrepared(github, prepared, deps, refresh);
      await react(github, ref, by.commentId, "+1");
      return;
    case "explain": {
      const found = agreement(command.id);
      if (!found) return unknownId(command.id, "explain");
      return answer("explain", explainAgreement(found, file!), "+1");
    }
    case "waive":
    case "unwaive": {
      const found = agreement(command.id);
      if (!found) return unknownId(command.id, "waive");
      const { state } = prepared.gathered;
      const membership = await resolveMembership(github, ref.owner, file!, deps.caches);
      const recorded = deps.store ? await deps.store.activeWaivers(repoName(ref), ref.number) : prepared.data.waivers;
      const existing = waiversInForce(recorded, file!, state.author, membership.members).find((w) => w.agreementId === found.id);
      const decision =
        command.kind === "waive" ? mayWaive(found, by.author, state.author, membership.members) : mayUnwaive(found, by.author, state.author, membership.members, existing);
      if (!decision.allowed) return answer("waive", refusal(decision, found, file!, command.kind, mention), "confused");
      if (command.kind === "unwaive" && !existing) {
        return answer("waive", `${mention} \`${found.id}\` is not waived on this pull request, so there is nothing to take back.`, "confused");
      }
      const waiver: Waiver = { agreementId: found.id, by: by.author, reason: command.kind === "waive" ? command.reason : "", at: new Date().toISOString() };
      const data = command.kind === "waive" ? withWaiver(prepared.data, waiver) : withoutWaiver(prepared.data, found.id);
      const event = { repo: repoName(ref), number: ref.number, agreementId: found.id, by: by.author, ...(by.deliveryId ? { deliveryId: by.deliveryId } : {}) };
      if (command.kind === "waive") await deps.store?.recordWaiver({ ...event, reason: waiver.reason });
      else await deps.store?.recordUnwaiver(event);
      await applyPrepared(github, prepared, deps, { ...refresh, commentData: data });
      await react(github, ref, by.commentId, "+1");
      return;
    }
    case "report": {
      if (!deps.store) {
        return answer("report", `${mention} Friction reports come from Accord's record of past evaluations, and this installation runs without one (set \`DATABASE_URL\`).`, "confused");
      }
      const window = parseSince("30d");
      if ("problem" in window) return;
      const report = await frictionReport(deps.store, repoName(ref), window);
      return answer("report", renderReport(report, "markdown"), "+1");
    }
    case "help":
    case "invalid":
      return answer("help", `${command.kind === "invalid" ? `${mention} ${command.problem}\n\n` : ""}${commandHelp(file)}`, command.kind === "help" ? "+1" : "confused");
  }
}
