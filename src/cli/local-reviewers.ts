/**
 * Reviewer suggestions for `accord check`, from the local git log: who changed the same folders
 * (authors) and who approved those changes (`Reviewed-by:` trailers), ranked by the same code
 * as the app and the evaluation.
 */
import type { AgreementFile } from "../agreement/schema.js";
import { currentApprovers, type Evaluation, type PullRequestFacts } from "../engine/index.js";
import type { ReviewerSuggestion } from "../render/report-model.js";
import { ReviewHistory, suggestForTeam, teamsStillNeeded } from "../reviewers/index.js";
import type { Git } from "./git.js";

/** How far back the local history is read: a year, at most this many commits. */
const MAX_COMMITS = 2000;
const FIELD = "\u001f";
const RECORD = "\u001e";

/** GitHub's no-reply addresses carry the login: `123+octocat@users.noreply.github.com`. */
export function noreplyLogin(email: string): string | undefined {
  return /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(email)?.[1];
}

/** Maps a git identity onto a team member's login where one plausibly matches. */
function loginFor(name: string, email: string, logins: ReadonlyMap<string, string>): string {
  const noreply = noreplyLogin(email);
  if (noreply) return noreply;
  for (const candidate of [name, email.split("@")[0] ?? ""]) {
    const login = logins.get(candidate.toLowerCase());
    if (login) return login;
  }
  return name;
}

export async function localHistory(git: Git, baseCommit: string, members: Record<string, string[]>): Promise<ReviewHistory> {
  const logins = new Map<string, string>();
  for (const list of Object.values(members)) for (const login of list) logins.set(login.toLowerCase(), login);
  const format = `${RECORD}%ct${FIELD}%an${FIELD}%ae${FIELD}%(trailers:key=Reviewed-by,valueonly,separator=%x1d)${FIELD}`;
  const out = (await git.tryOutput(["log", `--max-count=${MAX_COMMITS}`, "--since=1.year", "--no-merges", "--name-only", `--format=${format}`, baseCommit])) ?? "";
  const history = new ReviewHistory();
  for (const record of out.split(RECORD)) {
    const [time, name = "", email = "", trailers = "", names = ""] = record.split(FIELD);
    if (!time) continue;
    const reviewers = trailers
      .split("\u001d")
      .map((value) => value.trim())
      .filter(Boolean)
      .map((value) => {
        const match = /^(.*?)\s*<([^>]*)>$/.exec(value);
        return match ? loginFor(match[1]!, match[2]!, logins) : loginFor(value, "", logins);
      });
    const paths = names.split("\n").map((line) => line.trim()).filter(Boolean);
    history.add({ at: Number(time) * 1000, author: loginFor(name, email, logins), reviewers, paths });
  }
  return history;
}

export function localSuggestions(
  file: AgreementFile,
  facts: PullRequestFacts,
  evaluation: Evaluation,
  history: ReviewHistory,
  now: number,
  prKey: string,
): Record<string, ReviewerSuggestion[]> {
  const count = file.settings.reviewers.suggest;
  const suggestions: Record<string, ReviewerSuggestion[]> = {};
  if (count <= 0) return suggestions;
  const paths = [...new Set(facts.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];
  const approved = [...currentApprovers(facts.reviews)];
  for (const team of teamsStillNeeded(evaluation)) {
    const { suggestions: ranked } = suggestForTeam({
      members: facts.teamMembers[team.key] ?? [],
      author: facts.author,
      away: file.settings.reviewers.away,
      approved,
      prKey,
      paths,
      history,
      now,
      count,
    });
    if (ranked.length > 0) suggestions[team.key] = ranked.map((r) => ({ login: r.login, ...(r.reason ? { reason: r.reason } : {}) }));
  }
  return suggestions;
}

