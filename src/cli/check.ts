/** `accord check`: a local branch judged as if it were a pull request (SPEC §4). */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadAgreements, type LoadedAgreements } from "../agreement/load.js";
import { formatProblem, parseAgreements } from "../agreement/parse.js";
import { IMPLICIT_AMENDMENT_ID, type AgreementFile } from "../agreement/schema.js";
import { plural } from "../engine/context.js";
import { contentNeeds, evaluate, type PullRequestFacts, type Waiver } from "../engine/index.js";
import { toCheckJson } from "../render/json.js";
import { renderSummary } from "../render/markdown.js";
import { headline } from "../render/headline.js";
import { renderText } from "../render/text.js";
import type { RenderInput } from "../render/report-model.js";
import { teamsStillNeeded } from "../reviewers/index.js";
import { allValues, lastValue, type OptionDef, type ParsedCommandLine } from "./args.js";
import { CliError } from "./errors.js";
import { localHistory, localSuggestions, noreplyLogin } from "./local-reviewers.js";
import { Git } from "./git.js";
import { resolveTeamMembers } from "./team-members.js";

export { CHECK_USAGE } from "./help.js";

export const CHECK_OPTIONS: Record<string, OptionDef> = {
  repo: { value: true },
  base: { value: true },
  head: { value: true },
  config: { value: true },
  title: { value: true },
  body: { value: true },
  "body-file": { value: true },
  author: { value: true },
  label: { value: true, multiple: true },
  "approved-by": { value: true, multiple: true },
  waive: { value: true, multiple: true },
  format: { value: true },
};

export interface CheckIo {
  stdout: (text: string) => void;
  colour: boolean;
  env: NodeJS.ProcessEnv;
  /** Where relative paths (`--repo`, `--config`, `--body-file`) start (default: the process's working directory). */
  cwd?: string;
}

/** The PR author for a commit: the login of a GitHub no-reply address, else the author's name. */
export function loginFromEmail(email: string, name: string): string {
  return noreplyLogin(email) ?? name;
}

const short = (sha: string) => sha.slice(0, 7);

/** The base commit; when it does not exist, says which branch the user probably meant. */
async function resolveBase(git: Git, baseRef: string, defaulted: boolean): Promise<string> {
  if (await git.hasCommit(baseRef)) return git.resolveCommit(baseRef, "--base");
  const name = await branchName(git, baseRef);
  const candidates = defaulted ? ["master", "origin/main", "origin/master"] : name === baseRef ? [`origin/${name}`] : [name];
  for (const candidate of candidates) {
    if (candidate !== baseRef && (await git.hasCommit(candidate))) {
      if (defaulted) {
        throw new CliError(
          `There is no branch ${baseRef} here, the base accord check takes when the remote names no default branch (origin/HEAD); ${candidate} exists: run \`accord check --base ${candidate}\`.`,
        );
      }
      throw new CliError(`--base ${baseRef}: no branch, tag or commit has that name, but ${candidate} exists: run \`accord check --base ${candidate}\`.`);
    }
  }
  return git.resolveCommit(baseRef, "--base");
}

async function readConfig(git: Git, base: string, baseRef: string, configPath: string | undefined, cwd: string): Promise<LoadedAgreements> {
  if (configPath !== undefined) {
    const text = await readFile(resolve(cwd, configPath), "utf8").catch(() => {
      throw new CliError(`--config ${configPath}: the file cannot be read. Check the path.`);
    });
    return { path: configPath, text, parsed: parseAgreements(text, configPath) };
  }
  const loaded = await loadAgreements((path) => git.show(base, path));
  if (loaded) return loaded;
  // The file is often there, only not where the base points: an unpushed local branch, or a local branch behind its remote.
  const name = await branchName(git, baseRef);
  if (name !== baseRef && (await git.hasCommit(`refs/heads/${name}`)) && (await loadAgreements((path) => git.show(`refs/heads/${name}`, path)))) {
    throw new CliError(
      `There is no agreement file at ${baseRef}, but your local branch ${name} has one (not pushed yet?). Check against it with \`accord check --base ${name}\`, or push ${name} first.`,
    );
  }
  if (name === baseRef && !baseRef.includes(":")) {
    for (const remote of ((await git.tryOutput(["remote"])) ?? "").split("\n").filter(Boolean)) {
      const remoteRef = `refs/remotes/${remote}/${name}`;
      if ((await git.hasCommit(remoteRef)) && (await loadAgreements((path) => git.show(remoteRef, path)))) {
        throw new CliError(
          `There is no agreement file at ${baseRef}, but ${remote}/${name} has one (your ${name} may be behind it). Run \`git pull\`, or check against it with \`accord check --base ${remote}/${name}\`.`,
        );
      }
    }
  }
  throw new CliError(
    `There is no agreement file at ${baseRef} (.github/agreements.yml or .yaml), so there is nothing to check yet.\n` +
      "Run `accord init` to write a commented starter, commit it to the base branch, and check again (or pass --config FILE).",
  );
}

/** What a local --waive says: it applies here, and who could waive the agreement on GitHub. */
function localWaiverReason(file: AgreementFile, id: string): string {
  const teams = file.agreements.find((agreement) => agreement.id === id)?.waivable_by ?? [];
  if (teams.length === 0) {
    return `--waive on the command line; on GitHub nobody may waive \`${id}\`, since the agreement file names no \`waivable_by\` team for it`;
  }
  const names = teams.map((team) => file.teams[team]?.name ?? team).join(" or ");
  return `--waive on the command line; on GitHub only members of ${names} may waive it, never the pull request's author: \`/accord waive ${id} <reason>\``;
}

export async function runCheck(parsed: ParsedCommandLine, io: CheckIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const format = lastValue(parsed, "format") ?? "text";
  if (format !== "text" && format !== "json" && format !== "markdown") throw new CliError(`--format ${format} is not one Accord knows; use text, json or markdown.`);
  const repoArg = lastValue(parsed, "repo") ?? ".";
  const git = new Git(resolve(cwd, repoArg));
  await git.assertRepository();
  const givenBase = lastValue(parsed, "base");
  const baseRef = givenBase ?? (await git.defaultBase());
  const base = await resolveBase(git, baseRef, givenBase === undefined);
  const headRef = lastValue(parsed, "head") ?? "HEAD";
  const head = await git.resolveCommit(headRef, "--head");
  const loaded = await readConfig(git, base, baseRef, lastValue(parsed, "config"), cwd);
  if (!loaded.parsed.ok) {
    throw new CliError(`The agreement file has problems, so nothing was checked:\n${loaded.parsed.problems.map(formatProblem).join("\n")}`);
  }
  const file = loaded.parsed.file;
  const mergeBase = await git.mergeBase(base, head);
  const { files, blobs } = await git.changedFiles(mergeBase, head);
  const [subject, ...bodyLines] = (await git.output(["log", "-1", "--format=%s%n%b", head])).replace(/\n+$/, "").split("\n");
  const [authorName, authorEmail] = (await git.output(["log", "-1", "--format=%an%n%ae", head])).split("\n");
  const bodyFile = lastValue(parsed, "body-file");
  const body = bodyFile !== undefined ? await readBodyFile(resolve(cwd, bodyFile), bodyFile) : lastValue(parsed, "body") ?? bodyLines.join("\n").trim();
  const { members, notices } = await resolveTeamMembers(file, git, io.env);
  const approvedBy = allValues(parsed, "approved-by");

  const facts: PullRequestFacts = {
    title: lastValue(parsed, "title") ?? subject ?? "",
    body,
    author: lastValue(parsed, "author") ?? loginFromEmail(authorEmail ?? "", authorName ?? ""),
    labels: allValues(parsed, "label"),
    draft: false,
    baseBranch: await branchName(git, baseRef),
    files,
    // No commit: an `--approved-by` approval is current, even under `stale_on_push`. The engine's
    // approvals message names the ones that did not count (the author's own, someone in no team asked).
    reviews: approvedBy.map((reviewer) => ({ reviewer, state: "APPROVED" as const })),
    teamMembers: members,
  };
  await addContents(git, file, facts, blobs);
  const waive = allValues(parsed, "waive");
  const unknownWaivers = waive.filter((id) => !file.agreements.some((a) => a.id === id) && id !== IMPLICIT_AMENDMENT_ID);
  if (unknownWaivers.length > 0) throw new CliError(`--waive ${unknownWaivers.join(", ")}: no agreement has that id. Ids: ${file.agreements.map((a) => a.id).join(", ")}.`);
  // No giver: a local waiver is nobody's decision on GitHub, and the renderers say "waived" without a name.
  const waivers: Waiver[] = waive.map((agreementId) => ({ agreementId, by: "", reason: localWaiverReason(file, agreementId) }));

  const evaluation = evaluate(file, facts, { waivers });
  const render: RenderInput = {
    evaluation,
    teamNames: Object.fromEntries(Object.keys(file.teams).map((k) => [k, file.teams[k]?.name ?? k])),
    notices,
    door: "cli",
  };
  if (teamsStillNeeded(evaluation).length > 0 && file.settings.reviewers.suggest > 0) {
    const history = await localHistory(git, base, members);
    render.suggestions = localSuggestions(file, facts, evaluation, history, Date.now(), `${repoArg}#${head}`);
  }

  // What was compared, said in the output: an empty diff and uncommitted work are easy to miss.
  const compared =
    files.length === 0
      ? `${headRef} (${short(head)}) into ${baseRef} (${short(base)}): 0 changed files — ${headRef} has no changes of its own since it left ${baseRef}.`
      : `${headRef} (${short(head)}) into ${baseRef} (${short(base)}): ${plural(files.length, "changed file")}.`;
  const headIsWorkingTree = headRef === "HEAD" || head === (await git.tryOutput(["rev-parse", "--verify", "--quiet", "HEAD"]))?.trim();
  const uncommitted = headIsWorkingTree ? await git.uncommitted() : { changed: 0, untracked: 0 };
  const uncommittedFiles = uncommitted.changed + uncommitted.untracked;
  const uncommittedNote =
    uncommittedFiles > 0
      ? `uncommitted changes are not included (${[uncommitted.changed > 0 ? plural(uncommitted.changed, "changed file") : "", uncommitted.untracked > 0 ? plural(uncommitted.untracked, "untracked file") : ""].filter(Boolean).join(", ")}): accord check judges commits; commit them to include them.`
      : undefined;

  if (format === "json") {
    const context = {
      base: { ref: baseRef, sha: base },
      head: { ref: headRef, sha: head },
      mergeBase,
      changedFiles: files.length,
      uncommittedFiles,
      notes: [...notices, ...(uncommittedNote ? [uncommittedNote[0]!.toUpperCase() + uncommittedNote.slice(1)] : [])],
    };
    io.stdout(`${JSON.stringify(toCheckJson(evaluation, render.suggestions, context), null, 2)}\n`);
  } else if (format === "markdown") {
    const lead = [`_${compared}_`, ...(uncommittedNote ? [`_Note: ${uncommittedNote}_`] : [])].join("  \n");
    io.stdout(`### ${file.settings.check_name}: ${headline(evaluation)}\n\n${lead}\n\n${renderSummary(render)}\n`);
  } else {
    io.stdout(`${renderText(render, { colour: io.colour, lead: [compared, ...(uncommittedNote ? [`note: ${uncommittedNote}`] : [])] })}\n`);
  }
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

async function readBodyFile(path: string, given: string): Promise<string> {
  try {
    return given === "-" ? readFileSync(0, "utf8") : await readFile(path, "utf8");
  } catch {
    throw new CliError(`--body-file ${given}: the file cannot be read. Check the path.`);
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
