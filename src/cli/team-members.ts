/** Team membership for the CLI: the file's `members`, plus the GitHub team's when GITHUB_TOKEN is set. */
import { Octokit } from "@octokit/rest";
import type { AgreementFile } from "../agreement/schema.js";
import type { Git } from "./git.js";

/** `git@github.com:owner/repo.git` or `https://github.com/owner/repo` → owner. */
export function ownerFromRemote(url: string): string | undefined {
  return /^(?:https?:\/\/(?:[^@/]+@)?[^/]+\/|git@[^:]+:|ssh:\/\/git@[^/]+\/)([^/]+)\/[^/]+?(?:\.git)?\/?$/.exec(url.trim())?.[1];
}

export async function resolveTeamMembers(
  file: AgreementFile,
  git: Git,
  env: NodeJS.ProcessEnv,
): Promise<{ members: Record<string, string[]>; notices: string[] }> {
  const members: Record<string, string[]> = {};
  const notices: string[] = [];
  const githubTeams = Object.entries(file.teams).filter(([, team]) => team.github_team !== undefined);
  for (const [key, team] of Object.entries(file.teams)) members[key] = [...(team.members ?? [])];
  if (githubTeams.length === 0) return { members, notices };
  if (!env.GITHUB_TOKEN) {
    notices.push(`Members of GitHub teams (${githubTeams.map(([key]) => key).join(", ")}) come from GitHub only when GITHUB_TOKEN is set; this run used the \`members\` listed in the file.`);
    return { members, notices };
  }
  const owner = ownerFromRemote((await git.tryOutput(["remote", "get-url", "origin"])) ?? "");
  if (!owner) {
    notices.push("GITHUB_TOKEN is set, but the repository has no GitHub `origin` remote to name the organization; this run used the `members` listed in the file.");
    return { members, notices };
  }
  const octokit = new Octokit({ auth: env.GITHUB_TOKEN, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
  for (const [key, team] of githubTeams) {
    try {
      const list = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org: owner, team_slug: team.github_team!, per_page: 100 });
      members[key] = [...new Set([...(members[key] ?? []), ...list.map((member) => member.login)])];
    } catch (error) {
      const status = (error as { status?: number }).status;
      const why = status === 404 ? `GitHub has no team ${owner}/${team.github_team} visible to this token` : `GitHub answered ${status ?? "with an error"}`;
      notices.push(`Could not read the members of ${team.name ?? key} (${why}); this run used the \`members\` listed in the file.`);
    }
  }
  return { members, notices };
}
