/**
 * Who may be suggested for a team at all. Pure: the caller fetches team members,
 * GitHub user statuses and reviews; this only decides, and says why each removed
 * person was removed so the decision can be shown in diagnostics.
 * Logins compare case-insensitively, as GitHub's do.
 */

/** A team member as GitHub lists them; `type` is the account type when known. */
export interface TeamMember {
  login: string;
  type?: string | undefined;
}

export type ExclusionReason = "author" | "bot" | "approved" | "away" | "busy";

export interface CandidateFilterInput {
  /** Union of the GitHub team's members and the agreement file's explicit logins; duplicates are fine. */
  members: ReadonlyArray<string | TeamMember>;
  /** The pull request's author. */
  author: string;
  /** `settings.reviewers.away`. */
  away?: Iterable<string>;
  /** Logins whose GitHub status sets `indicatesLimitedAvailability`. */
  busy?: Iterable<string>;
  /** Logins with a current approving review on the pull request. */
  approved?: Iterable<string>;
}

export interface ExcludedMember {
  login: string;
  reason: ExclusionReason;
}

export interface CandidateFilterResult {
  /** Remaining logins, in first-seen order, spelled as first given. */
  kept: string[];
  /** Everyone removed, with the first reason that applies (in ExclusionReason order). */
  removed: ExcludedMember[];
}

export function filterCandidates(input: CandidateFilterInput): CandidateFilterResult {
  const author = input.author.toLowerCase();
  const away = lowerCaseSet(input.away);
  const busy = lowerCaseSet(input.busy);
  const approved = lowerCaseSet(input.approved);
  const kept: string[] = [];
  const removed: ExcludedMember[] = [];

  for (const member of uniqueMembers(input.members)) {
    const key = member.login.toLowerCase();
    const reason: ExclusionReason | null =
      key === author
        ? "author"
        : isBot(member)
          ? "bot"
          : approved.has(key)
            ? "approved"
            : away.has(key)
              ? "away"
              : busy.has(key)
                ? "busy"
                : null;
    if (reason) removed.push({ login: member.login, reason });
    else kept.push(member.login);
  }
  return { kept, removed };
}

/** A bot account: GitHub type "Bot", or a login ending in "[bot]". */
export function isBot(member: string | TeamMember): boolean {
  const { login, type } = typeof member === "string" ? { login: member, type: undefined } : member;
  return login.toLowerCase().endsWith("[bot]") || type?.toLowerCase() === "bot";
}

/** Members deduplicated by lower-case login; a later entry may add the type an earlier one lacked. */
function uniqueMembers(members: ReadonlyArray<string | TeamMember>): TeamMember[] {
  const byKey = new Map<string, TeamMember>();
  for (const member of members) {
    const entry = typeof member === "string" ? { login: member.trim() } : { ...member, login: member.login.trim() };
    if (entry.login === "") continue;
    const key = entry.login.toLowerCase();
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, entry);
    else if (seen.type === undefined && entry.type !== undefined) seen.type = entry.type;
  }
  return [...byKey.values()];
}

function lowerCaseSet(logins: Iterable<string> | undefined): Set<string> {
  return new Set([...(logins ?? [])].map((login) => login.trim().toLowerCase()));
}
