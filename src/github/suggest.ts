/**
 * Reviewer suggestions on GitHub (SPEC §2): for each team whose approval an enforced agreement
 * still needs, up to `settings.reviewers.suggest` members, ranked by the same pure code the
 * evaluation measures (`suggestForTeam` in src/reviewers), each with its one-line reason; with
 * `request: true`, the top candidate of each team that blocks merging is also requested, once.
 *
 * Cost per evaluation: at most one GraphQL query (history, statuses and loads, see history.ts)
 * and one POST of review requests; nothing when everything is cached and nobody is requested.
 * A problem here never fails the evaluation: it becomes a plain-words notice.
 */
import type { AgreementFile } from "../agreement/schema.js";
import { currentApprovers } from "../engine/index.js";
import type { ReviewerSuggestion } from "../render/report-model.js";
import {
  describeReason,
  filterCandidates,
  openReviewsPhrase,
  rankReviewers,
  suggestForTeam,
  type ExcludedMember,
  type RankOptionsOverride,
} from "../reviewers/index.js";
import { teamsStillNeeded, type NeededTeam } from "../reviewers/needed-teams.js";
import { TtlCache } from "./cache.js";
import { prKey } from "./client.js";
import {
  cachedChanges,
  chooseDirectories,
  DEFAULT_LOOKUP_LIMITS,
  DEFAULT_LOOKUP_TTLS,
  describeLookupError,
  historyFromChanges,
  lookupReviewerFacts,
  ReviewerLookupCache,
  type HistoryPlace,
  type LookupLimits,
  type LookupTtls,
} from "./history.js";
import type { SuggestionAnswer, SuggestionRequest } from "./refresh.js";

export interface ReviewerSuggesterOptions {
  /** The clock for ranking ("recent") and for the caches' expiry; default Date.now. */
  now?: () => number;
  /** Bounds of the one query (folders, commits, logins); see history.ts. */
  limits?: Partial<LookupLimits>;
  /** How long history, statuses and loads are kept, and how long a failing repository is left alone. */
  ttls?: Partial<LookupTtls & { requestFailureMs: number }>;
  /** Ranking options; the defaults are the ones measured in docs/reviewers.md. */
  rank?: RankOptionsOverride;
}

export type ReviewerSuggester = (request: SuggestionRequest) => Promise<SuggestionAnswer>;

export function createReviewerSuggester(options: ReviewerSuggesterOptions = {}): ReviewerSuggester {
  const now = options.now ?? Date.now;
  const limits: LookupLimits = { ...DEFAULT_LOOKUP_LIMITS, ...options.limits };
  const ttls: LookupTtls = { ...DEFAULT_LOOKUP_TTLS, ...options.ttls };
  const cache = new ReviewerLookupCache(ttls, now);
  /** `pr:team` → the notice about a request GitHub refused lately: not sent again on every event, still said. */
  const refusedRequests = new TtlCache<string>(2_000, options.ttls?.requestFailureMs ?? 60 * 60_000, now);

  return async (request) => {
    try {
      return await suggest(request, { now, limits, cache, refusedRequests, rank: options.rank });
    } catch (error) {
      return { suggestions: {}, notices: [`Accord could not suggest reviewers this time (${describeLookupError(error)}).`] };
    }
  };
}

interface Context {
  now: () => number;
  limits: LookupLimits;
  cache: ReviewerLookupCache;
  refusedRequests: TtlCache<string>;
  rank: RankOptionsOverride | undefined;
}

async function suggest(request: SuggestionRequest, context: Context): Promise<SuggestionAnswer> {
  const { github, state, file, facts, evaluation } = request;
  const settings = file.settings.reviewers;
  const answer: SuggestionAnswer = { suggestions: {}, notices: [] };
  if (settings.suggest <= 0) return answer;
  const teams = teamsStillNeeded(evaluation);
  if (teams.length === 0) return answer;

  const now = context.now();
  const key = prKey(state.ref);
  const author = state.author;
  const approved = currentApprovers(state.reviews);
  const away = settings.away;

  // Who could be suggested at all, before asking GitHub anything.
  const membersOf = new Map<string, string[]>();
  const eligible: string[] = [];
  for (const team of teams) {
    const members = facts.teamMembers[team.key] ?? [];
    if (members.length === 0) {
      answer.notices.push(noMembers(team, file));
      continue;
    }
    membersOf.set(team.key, members);
    eligible.push(...filterCandidates({ members, author, away, approved }).kept);
  }
  if (membersOf.size === 0) return answer;

  const paths = [...new Set(state.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])))];
  const directories = chooseDirectories(paths, context.limits.maxDirectories);
  const place: HistoryPlace = { installationId: state.ref.installationId, owner: state.ref.owner, repo: state.ref.repo, baseBranch: state.baseBranch };
  const lookupOrder = provisionalOrder(eligible, { key, author, paths, now }, context, place, directories);
  const known = await lookupReviewerFacts(
    github,
    { ...place, baseSha: state.baseSha, directories, statusLogins: lookupOrder, loadLogins: lookupOrder, now },
    context.cache,
    context.limits,
  );
  answer.notices.push(...known.problems);
  const history = historyFromChanges(known.changes);
  // Accord's own record of approvals adds the exact files of each PR it saw (GitHub's history is per folder).
  let recorded = 0;
  if (request.recordedApprovals) {
    const seen = new Set([...known.changes.values()].flat().map((change) => change.id));
    for (const approval of await request.recordedApprovals().catch(() => [])) {
      if (approval.number === state.ref.number || seen.has(`pr:${approval.number}`)) continue;
      history.add({ at: approval.at, author: approval.author, reviewers: approval.reviewers, paths: approval.paths });
      recorded += 1;
    }
  }
  const historyKnown = known.changes.size > 0 || recorded > 0;
  // Nobody can review as a login GitHub does not know; say so rather than suggest it.
  const unavailable = new Set([...known.busy, ...known.noSuchUser.map((login) => login.toLowerCase())]);
  if (known.noSuchUser.length > 0) {
    const who = known.noSuchUser.map((login) => `@${login}`).join(", ");
    answer.notices.push(`GitHub knows no user ${who}, so Accord does not suggest ${known.noSuchUser.length === 1 ? "that login" : "those logins"}; check the spelling in the agreement file's \`members\`.`);
  }

  // Open requests elsewhere: this PR's own request is not load, it is this very review.
  const requestedHere = new Set(state.requestedReviewers.map((login) => login.toLowerCase()));
  const load = new Map<string, number>();
  for (const [login, count] of known.load) load.set(login, Math.max(0, count - (requestedHere.has(login) ? 1 : 0)));

  for (const team of teams) {
    const members = membersOf.get(team.key);
    if (!members) continue;
    const teamLoad = loadFor(members, load);
    const result = suggestForTeam({
      prKey: key,
      members,
      author,
      away,
      busy: unavailable,
      approved,
      paths,
      history,
      now,
      count: settings.suggest,
      ...(teamLoad ? { load: teamLoad.load } : {}),
      ...(context.rank ? { options: context.rank } : {}),
    });
    const suggestions: ReviewerSuggestion[] = result.suggestions.map((entry) => {
      const loadKnown = teamLoad?.known.has(entry.login.toLowerCase()) ?? false;
      // Without any history read, "no recent reviews" would be a guess: say only what is known.
      if (!historyKnown) return loadKnown ? { login: entry.login, reason: openReviewsPhrase(entry.load) } : { login: entry.login };
      // Someone whose open requests could not be counted gets no made-up count.
      return { login: entry.login, reason: teamLoad && !loadKnown ? describeReason(history, { login: entry.login, author, paths, now }) : entry.reason };
    });
    if (suggestions.length > 0) answer.suggestions[team.key] = suggestions;
    else answer.notices.push(nobodyLeft(team, result.removed));
  }

  if (settings.request && !state.draft) {
    // Only people GitHub confirmed are not busy: a request is an interruption, a suggestion is not.
    const confirmed = (login: string) => known.statusKnown.has(login.toLowerCase());
    const { picks, refused } = chooseRequests(request, teams, answer.suggestions, context.refusedRequests, confirmed);
    answer.notices.push(...refused);
    if (picks.length > 0) {
      const logins = picks.map((pick) => pick.login);
      try {
        await github.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
          owner: state.ref.owner,
          repo: state.ref.repo,
          pull_number: state.ref.number,
          reviewers: logins,
        });
        answer.requested = logins;
      } catch (error) {
        const notice = `Accord could not request a review from ${listWords(logins.map((login) => `@${login}`))} on GitHub (${describeLookupError(error)}); the suggestions still stand, so ask them directly.`;
        for (const pick of picks) for (const team of pick.teams) context.refusedRequests.set(`${key}:${team}`, notice);
        answer.notices.push(notice);
      }
    }
  }
  return answer;
}

/**
 * Whom to ask on GitHub: per blocking team, the first suggested person who has not reviewed
 * this PR yet and whom GitHub shows as not busy (an unknown status defers the request to a
 * later event rather than risk interrupting someone who asked not to be). A team is asked once: never again when Accord asked one of its members before
 * (remembered in the comment), nor when one of its members or the GitHub team itself already
 * has an open request (someone else asked; a second request would only add noise). A team
 * whose request GitHub refused lately is not asked again until that is forgotten; the notice
 * saying so stays meanwhile, so the comment does not flicker.
 */
function chooseRequests(
  request: SuggestionRequest,
  teams: readonly NeededTeam[],
  suggestions: Record<string, ReviewerSuggestion[]>,
  refusedRequests: TtlCache<string>,
  confirmed: (login: string) => boolean,
): { picks: { login: string; teams: string[] }[]; refused: string[] } {
  const { state, facts, file } = request;
  const lower = (logins: readonly string[]) => new Set(logins.map((login) => login.toLowerCase()));
  const askedBefore = lower(request.alreadyRequested);
  const openRequests = lower(state.requestedReviewers);
  const requestedTeams = lower(state.requestedTeams);
  const reviewed = lower(state.reviews.map((review) => review.reviewer));
  const author = state.author.toLowerCase();
  const key = prKey(state.ref);
  const picks: { login: string; teams: string[] }[] = [];
  const refused = new Set<string>();
  for (const team of teams) {
    if (!team.blocking) continue;
    const members = [...lower(facts.teamMembers[team.key] ?? [])].filter((login) => login !== author);
    const pickedMember = picks.find((pick) => members.includes(pick.login.toLowerCase()));
    if (pickedMember) {
      // One person asked for two teams covers both.
      pickedMember.teams.push(team.key);
      continue;
    }
    if (members.some((login) => askedBefore.has(login) || openRequests.has(login))) continue;
    const slug = file.teams[team.key]?.github_team?.toLowerCase();
    if (slug && requestedTeams.has(slug)) continue;
    const refusal = refusedRequests.get(`${key}:${team.key}`);
    if (refusal !== undefined) {
      refused.add(refusal);
      continue;
    }
    const pick = (suggestions[team.key] ?? []).find(({ login }) => !reviewed.has(login.toLowerCase()) && confirmed(login));
    if (pick) picks.push({ login: pick.login, teams: [team.key] });
  }
  return { picks, refused: [...refused] };
}

/** Load per member when any is known; unknown ones count as the busiest known, so a missing count never wins first place. */
function loadFor(members: readonly string[], load: ReadonlyMap<string, number>): { load: Map<string, number>; known: Set<string> } | undefined {
  const known = new Set(members.map((login) => login.toLowerCase()).filter((login) => load.has(login)));
  if (known.size === 0) return undefined;
  const highest = Math.max(...[...known].map((login) => load.get(login)!));
  return { load: new Map(members.map((login) => [login, load.get(login.toLowerCase()) ?? highest])), known };
}

/**
 * The order in which candidates' statuses and loads are asked for, which only matters when a
 * team is larger than the bounds: the best by whatever history is already cached first.
 */
function provisionalOrder(
  eligible: readonly string[],
  pr: { key: string; author: string; paths: readonly string[]; now: number },
  context: Context,
  place: HistoryPlace,
  directories: readonly string[],
): string[] {
  const unique = [...new Map(eligible.map((login) => [login.toLowerCase(), login])).values()];
  if (unique.length <= Math.min(context.limits.maxStatusLogins, context.limits.maxLoadLogins)) return unique;
  const history = historyFromChanges(cachedChanges(context.cache, place, directories));
  return rankReviewers({ prKey: pr.key, author: pr.author, paths: pr.paths, candidates: unique, history, now: pr.now, explain: 0 }).map((entry) => entry.login);
}

function noMembers(team: NeededTeam, file: AgreementFile): string {
  const slug = file.teams[team.key]?.github_team;
  return slug
    ? `Accord has no members for ${team.name} to suggest; add \`members\` or check \`github_team: ${slug}\`.`
    : `Accord has no members for ${team.name} to suggest; add \`members\` to it in the agreement file.`;
}

const REMOVED_WORDS: Record<ExcludedMember["reason"], string> = {
  author: "wrote this pull request",
  bot: "is a bot",
  approved: "already approved",
  away: "is away",
  busy: "is busy",
};

function nobodyLeft(team: NeededTeam, removed: readonly ExcludedMember[]): string {
  const reasons = [...new Set(removed.map((member) => member.reason))].map((reason) => REMOVED_WORDS[reason]);
  return `Accord has nobody left to suggest from ${team.name}: everyone in it ${listWords(reasons, "or")}.`;
}

function listWords(items: readonly string[], last = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}`;
}
