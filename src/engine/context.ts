/** What every condition and requirement sees while one pull request is judged. */
import type { AgreementFile } from "../agreement/schema.js";
import type { ChangedFile, PullRequestFacts } from "./facts.js";
import { FileIndex } from "./globs.js";

export interface PullRequestView {
  facts: PullRequestFacts;
  file: AgreementFile;
  index: FileIndex;
  /** False when GitHub listed only part of the changed files. */
  filesComplete: boolean;
  /** Members per team key, lower-cased for comparison. */
  members: Map<string, Set<string>>;
  author: string;
  teamName(team: string): string;
  isMember(login: string, team: string): boolean;
  /** Answers shared by agreements within one evaluation (e.g. size totals per ignore list). */
  memo: Map<string, unknown>;
}

export function viewOf(file: AgreementFile, facts: PullRequestFacts): PullRequestView {
  const members = new Map<string, Set<string>>();
  for (const team of Object.keys(file.teams)) {
    // Explicit `members` always belong, together with whatever the adapter resolved (the GitHub team's).
    const logins = [...(file.teams[team]?.members ?? []), ...(facts.teamMembers[team] ?? [])];
    members.set(team, new Set(logins.map((login) => login.toLowerCase())));
  }
  return {
    facts,
    file,
    index: new FileIndex(facts.files),
    filesComplete: (facts.changedFileCount ?? facts.files.length) <= facts.files.length,
    members,
    author: facts.author.toLowerCase(),
    teamName: (team) => file.teams[team]?.name ?? team,
    isMember: (login, team) => members.get(team)?.has(login.toLowerCase()) ?? false,
    memo: new Map(),
  };
}

/** One agreement's view: the changed files it looks at. */
export interface AgreementScope {
  view: PullRequestView;
  /** Changed files in the agreement's `when.paths`/`paths_ignore` scope. */
  files: readonly ChangedFile[];
  /** The same files as sorted indices into `view.facts.files`. */
  indices: readonly number[];
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
export const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
export const listOf = (items: readonly string[], limit = 5): string => {
  const shown = items.slice(0, limit);
  const rest = items.length - shown.length;
  const words = rest > 0 ? [...shown, `${rest} more`] : shown;
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
};

export const UNLISTED_FILES_NOTE = (view: PullRequestView) =>
  `GitHub lists only the first ${view.facts.files.length.toLocaleString("en")} of this PR's ${(view.facts.changedFileCount ?? 0).toLocaleString("en")} changed files, and this agreement could depend on the ones not listed, so Accord cannot tell whether it is met and does not guess.`;

export const UNLISTED_FILES_HOW_TO = "Split the PR into smaller ones so GitHub lists every changed file, or ask a team that may waive this agreement for a waiver.";
