/**
 * Team membership: the file's `members` together with the GitHub team's, read in one GraphQL
 * query for all teams and cached for ten minutes. When GitHub cannot say, fall back to
 * `members` and tell the reader in plain words.
 */
import type { AgreementFile } from "../agreement/schema.js";
import type { GitHub } from "./client.js";
import type { GitHubCaches } from "./gather.js";
import { MORE_TEAM_MEMBERS_QUERY, teamMembersQuery } from "./queries.js";

interface MembersPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { login: string }[];
}

export interface Membership {
  members: Record<string, string[]>;
  notices: string[];
}

const PERMISSION_HINT = "the app needs the organization permission “Members: read”";

export async function resolveMembership(github: GitHub, org: string, file: AgreementFile, caches: GitHubCaches): Promise<Membership> {
  const notices: string[] = [];
  const slugs = [...new Set(Object.values(file.teams).flatMap((team) => (team.github_team ? [team.github_team] : [])))];
  const cacheKey = (slug: string) => `${org}/${slug}`.toLowerCase();
  const missing = slugs.filter((slug) => caches.teamMembers.get(cacheKey(slug)) === undefined);
  let failure: string | undefined;
  if (missing.length > 0) {
    try {
      const answer = await github.graphql<{ organization: Record<string, { members: MembersPage } | null> | null }>(teamMembersQuery(missing), { org });
      for (const [i, slug] of missing.entries()) {
        const team = answer.organization?.[`t${i}`];
        caches.teamMembers.set(cacheKey(slug), team ? await allMembers(github, org, slug, team.members) : null);
      }
    } catch (error) {
      failure = describeMembershipError(error, org);
    }
  }
  const members: Record<string, string[]> = {};
  for (const [key, team] of Object.entries(file.teams)) {
    const listed = team.members ?? [];
    if (!team.github_team) {
      members[key] = [...listed];
      continue;
    }
    const fromGitHub = failure ? undefined : caches.teamMembers.get(cacheKey(team.github_team));
    if (fromGitHub === null) notices.push(`GitHub has no team \`${team.github_team}\` in ${org} that Accord can see, so ${team.name ?? key} counts only the \`members\` listed in the agreement file. Check the team's slug.`);
    members[key] = [...new Set([...listed, ...(fromGitHub ?? [])])];
  }
  if (failure) notices.push(`Accord could not read team members from GitHub (${failure}), so teams count only the \`members\` listed in the agreement file.`);
  return { members, notices };
}

async function allMembers(github: GitHub, org: string, slug: string, first: MembersPage): Promise<string[]> {
  const logins = first.nodes.map((node) => node.login);
  let page = first;
  while (page.pageInfo.hasNextPage) {
    const next = await github.graphql<{ organization: { team: { members: MembersPage } | null } | null }>(MORE_TEAM_MEMBERS_QUERY, { org, slug, after: page.pageInfo.endCursor });
    const members = next.organization?.team?.members;
    if (!members) break;
    logins.push(...members.nodes.map((node) => node.login));
    page = members;
  }
  return logins;
}

function describeMembershipError(error: unknown, org: string): string {
  const errors = (error as { errors?: { type?: string; message?: string }[] } | null)?.errors ?? [];
  if (errors.some((e) => e.type === "FORBIDDEN" || /not accessible by integration/i.test(e.message ?? ""))) return PERMISSION_HINT;
  if (errors.some((e) => e.type === "NOT_FOUND")) return `${org} is not an organization, so it has no teams`;
  const status = (error as { status?: number } | null)?.status;
  return status ? `GitHub answered HTTP ${status}` : PERMISSION_HINT;
}
