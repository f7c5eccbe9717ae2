/** `accord check`: a local branch judged as if it were a pull request (SPEC §4). */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadAgreements, type LoadedAgreements } from "../agreement/load.js";
import { formatProblem, parseAgreements } from "../agreement/parse.js";
import type { AgreementFile } from "../agreement/schema.js";
import { contentNeeds, evaluate, type PullRequestFacts, type Waiver } from "../engine/index.js";
import { toCheckJson } from "../render/json.js";
import { renderSummary } from "../render/markdown.js";
import { headline } from "../render/headline.js";
import { renderText } from "../render/text.js";
import type { RenderInput } from "../render/report-model.js";
import { teamsStillNeeded } from "../reviewers/index.js";
import { CliError } from "./errors.js";
import { localHistory, localSuggestions, noreplyLogin } from "./local-reviewers.js";
import { Git } from "./git.js";
import { resolveTeamMembers } from "./team-members.js";

export const CHECK_USAGE = `Usage: accord check [options]

Judges the commits of --head as if they were a pull request into --base.

  --repo DIR          the git repository (default: .)
  --base REF          the target branch (default: the remote's default branch, else main)
  --head REF          the change (default: HEAD)
  --config FILE       use this agreement file instead of the one at the base
  --title TEXT        the PR title (default: the head commit's subject)
  --body TEXT         the PR description (default: the head commit's message body)
  --body-file FILE    read the PR description from a file
  --author LOGIN      the PR author (default: derived from the head commit's author)
  --label NAME        a label on the PR (repeatable)
  --approved-by LOGIN someone who approved (repeatable)
  --waive ID          treat an agreement as waived (repeatable)
  --format FORMAT     text, json or markdown (default: text)

Exit status: 0 success, neutral or waiting; 1 failure; 2 usage or configuration problems.`;

export interface CheckIo {
  stdout: (text: string) => void;
  colour: boolean;
  env: NodeJS.ProcessEnv;
}

function parseCheckArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: false,
      options: {
        repo: { type: "string", default: "." },
        base: { type: "string" },
        head: { type: "string", default: "HEAD" },
        config: { type: "string" },
        title: { type: "string" },
        body: { type: "string" },
        "body-file": { type: "string" },
        author: { type: "string" },
        label: { type: "string", multiple: true, default: [] },
        "approved-by": { type: "string", multiple: true, default: [] },
        waive: { type: "string", multiple: true, default: [] },
        format: { type: "string", default: "text" },
      },
    }).values;
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n\n${CHECK_USAGE}`);
  }
}

/** The PR author for a commit: the login of a GitHub no-reply address, else the author's name. */
export function loginFromEmail(email: string, name: string): string {
  return noreplyLogin(email) ?? name;
}

async function readConfig(git: Git, base: string, baseRef: string, configPath: string | undefined): Promise<LoadedAgreements> {
  if (configPath !== undefined) {
    const text = await readFile(configPath, "utf8").catch(() => {
      throw new CliError(`--config ${configPath}: the file cannot be read. Check the path.`);
    });
    return { path: configPath, text, parsed: parseAgreements(text, configPath) };
  }
  const loaded = await loadAgreements((path) => git.show(base, path));
  if (!loaded) {
    throw new CliError(
      `There is no agreement file at ${baseRef} (.github/agreements.yml or .yaml), so there is nothing to check yet.\n` +
        "Run `accord init` to write a commented starter, commit it to the base branch, and check again (or pass --config FILE).",
    );
  }
  return loaded;
}

export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  const options = parseCheckArgs(args);
  const format = options.format;
  if (format !== "text" && format !== "json" && format !== "markdown") throw new CliError(`--format ${format} is not one Accord knows; use text, json or markdown.`);
  const git = new Git(options.repo);
  await git.assertRepository();
  const baseRef = options.base ?? (await git.defaultBase());
  const base = await git.resolveCommit(baseRef, "--base");
  const head = await git.resolveCommit(options.head, "--head");
  const loaded = await readConfig(git, base, baseRef, options.config);
  if (!loaded.parsed.ok) {
    throw new CliError(`The agreement file has problems, so nothing was checked:\n${loaded.parsed.problems.map(formatProblem).join("\n")}`);
  }
  const file = loaded.parsed.file;
  const mergeBase = await git.mergeBase(base, head);
  const { files, blobs } = await git.changedFiles(mergeBase, head);
  const [subject, ...bodyLines] = (await git.output(["log", "-1", "--format=%s%n%b", head])).replace(/\n+$/, "").split("\n");
  const [authorName, authorEmail] = (await git.output(["log", "-1", "--format=%an%n%ae", head])).split("\n");
  const body = options["body-file"] !== undefined ? await readBodyFile(options["body-file"]) : options.body ?? bodyLines.join("\n").trim();
  const { members, notices } = await resolveTeamMembers(file, git, io.env);

  const facts: PullRequestFacts = {
    title: options.title ?? subject ?? "",
    body,
    author: options.author ?? loginFromEmail(authorEmail ?? "", authorName ?? ""),
    labels: options.label,
    draft: false,
    baseBranch: await branchName(git, baseRef),
    files,
    reviews: options["approved-by"].map((reviewer) => ({ reviewer, state: "APPROVED" as const })),
    teamMembers: members,
  };
  await addContents(git, file, facts, blobs);
  const waivers: Waiver[] = options.waive.map((agreementId) => ({ agreementId, by: facts.author, reason: "waived with --waive on the command line" }));
  const unknownWaivers = options.waive.filter((id) => !file.agreements.some((a) => a.id === id) && id !== "amend-agreements");
  if (unknownWaivers.length > 0) throw new CliError(`--waive ${unknownWaivers.join(", ")}: no agreement has that id. Ids: ${file.agreements.map((a) => a.id).join(", ")}.`);

  const evaluation = evaluate(file, facts, { waivers });
  const render: RenderInput = { evaluation, teamNames: Object.fromEntries(Object.keys(file.teams).map((k) => [k, file.teams[k]?.name ?? k])), notices };
  if (teamsStillNeeded(evaluation).length > 0 && file.settings.reviewers.suggest > 0) {
    const history = await localHistory(git, base, members);
    render.suggestions = localSuggestions(file, facts, evaluation, history, Date.now(), `${options.repo}#${head}`);
  }
  if (format === "json") io.stdout(`${JSON.stringify(toCheckJson(evaluation, render.suggestions), null, 2)}\n`);
  else if (format === "markdown") io.stdout(`### ${file.settings.check_name}: ${headline(evaluation)}\n\n${renderSummary(render)}\n`);
  else io.stdout(`${renderText(render, { colour: io.colour })}\n`);
  return evaluation.conclusion === "failure" ? 1 : 0;
}

/** `origin/main` → `main`, `refs/heads/release/1` → `release/1`; a local branch name stays as it is. */
export async function branchName(git: Git, ref: string): Promise<string> {
  const remotes = ((await git.tryOutput(["remote"])) ?? "").split("\n").filter(Boolean);
  let name = ref.replace(/^refs\/(heads|remotes)\//, "");
  for (const remote of remotes) {
    if (name.startsWith(`${remote}/`)) {
      name = name.slice(remote.length + 1);
      break;
    }
  }
  return name;
}

async function readBodyFile(path: string): Promise<string> {
  try {
    return path === "-" ? readFileSync(0, "utf8") : await readFile(path, "utf8");
  } catch {
    throw new CliError(`--body-file ${path}: the file cannot be read. Check the path.`);
  }
}

/** Reads only what the applicable agreements need: blob sizes in one batch, notebooks one by one. */
async function addContents(git: Git, file: AgreementFile, facts: PullRequestFacts, blobs: Map<string, string>): Promise<void> {
  const needs = contentNeeds(file, facts);
  if (needs.sizes.length > 0) {
    const sizes = await git.blobSizes(needs.sizes.map((path) => blobs.get(path)).filter((sha): sha is string => sha !== undefined));
    facts.fileSizes = Object.fromEntries(needs.sizes.map((path) => [path, sizes.get(blobs.get(path) ?? "") ?? null]));
  }
  if (needs.notebooks.length > 0) {
    const texts = await Promise.all(needs.notebooks.map(async (path) => [path, (await git.tryOutput(["cat-file", "blob", blobs.get(path) ?? "0"])) ?? null] as const));
    facts.notebooks = Object.fromEntries(texts);
  }
}
