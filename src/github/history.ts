/**
 * What reviewer suggestions need from GitHub beyond the pull request itself, read in at most
 * ONE GraphQL query per evaluation and cached so a warm evaluation asks nothing:
 *
 *  - recent work under the changed folders: aliased `history(path:)` connections on the base
 *    commit (what landed, not this PR's own commits), at most `maxDirectories` folders ×
 *    `commitsPerDirectory` commits from the last `horizonDays`. GraphQL gives no changed paths
 *    per commit, so a commit counts under the folder it was found in. Each commit brings the
 *    merged pull request it landed with and that PR's approvers (`associatedPullRequests`), so
 *    the ranking gets reviews, its strongest signal, and not only authorship; commits of one
 *    PR collapse into one change. Cost: ≈ dirs × commits × 2 connection requests / 100,
 *    about 8 rate-limit points at the bounds; cached per repository, base branch and folder
 *    for `historyMs`.
 *  - who is busy: `user(login:) { status { indicatesLimitedAvailability } }` per candidate,
 *    at most `maxStatusLogins`, cached per login for `statusMs` (short: people change it).
 *  - load (SPEC: "then by fewest open review requests"): GitHub has no per-user count, so
 *    the cheapest source is search's `issueCount` (no nodes fetched), aliased per candidate
 *    into the same query, bounded to `maxLoadLogins` and cached for `loadMs`. It counts open
 *    pull requests that ask the person directly (`user-review-requested:`; a request to a
 *    whole team says nothing about one person) in the owner's repositories, where the team's
 *    reviewing happens. The caller subtracts this PR's own request.
 *
 * A failed query never throws: what could be read is used, the rest is named in plain words,
 * and the repository is not asked again for `retryAfterMs` (a failing or rate-limited GitHub is
 * not hammered once per event).
 */
import { uniqueByLowerCase } from "../reviewers/index.js";
import { ReviewHistory } from "../reviewers/index.js";
import { TtlCache } from "./cache.js";
import { describeGitHubError, statusOf, type GitHub } from "./client.js";

/** One landed change found under a folder. */
export interface HistoryChange {
  /** `pr:12` for a merged pull request, `commit:<oid>` otherwise: one change seen twice is one change. */
  id: string;
  /** Merge time of the pull request, else the commit time (ISO 8601). */
  at: string;
  author: string | null;
  /** Approvers of the pull request (empty for a commit without one). */
  reviewers: string[];
}

export interface LookupLimits {
  maxDirectories: number;
  commitsPerDirectory: number;
  approvalsPerChange: number;
  maxStatusLogins: number;
  maxLoadLogins: number;
  /** How far back history is read (the ranking ignores anything older than a year). */
  horizonDays: number;
}

export interface LookupTtls {
  historyMs: number;
  statusMs: number;
  loadMs: number;
  /** After a failed query, how long the repository is left alone. */
  retryAfterMs: number;
}

export const DEFAULT_LOOKUP_LIMITS: LookupLimits = {
  maxDirectories: 8,
  commitsPerDirectory: 50,
  approvalsPerChange: 10,
  maxStatusLogins: 50,
  maxLoadLogins: 20,
  horizonDays: 365,
};

export const DEFAULT_LOOKUP_TTLS: LookupTtls = {
  historyMs: 60 * 60_000,
  statusMs: 5 * 60_000,
  loadMs: 5 * 60_000,
  retryAfterMs: 5 * 60_000,
};

const DAY_MS = 86_400_000;

/** Caches kept by one suggester (one app process), keyed by installation so answers never cross. */
export class ReviewerLookupCache {
  readonly history: TtlCache<HistoryChange[]>;
  /** Login → busy; null when GitHub knows no such user. */
  readonly busy: TtlCache<boolean | null>;
  readonly load: TtlCache<number>;
  /** Repository → why its last query failed, until it may be asked again. */
  readonly failed: TtlCache<string>;
  /** Folder → why its history could not be read (the rest of the query could), until it may be asked again. */
  readonly folderFailures: TtlCache<string>;

  constructor(
    readonly ttls: LookupTtls,
    now: () => number,
  ) {
    this.history = new TtlCache(2_000, ttls.historyMs, now);
    this.busy = new TtlCache(5_000, ttls.statusMs, now);
    this.load = new TtlCache(5_000, ttls.loadMs, now);
    this.failed = new TtlCache(1_000, ttls.retryAfterMs, now);
    this.folderFailures = new TtlCache(1_000, ttls.retryAfterMs, now);
  }
}

export interface LookupRequest {
  installationId: number;
  owner: string;
  repo: string;
  baseBranch: string;
  baseSha: string;
  /** Folders to read history for ("" is the repository root), at most `maxDirectories`. */
  directories: readonly string[];
  /** Logins whose status is wanted, most wanted first; trimmed to `maxStatusLogins`. */
  statusLogins: readonly string[];
  /** Logins whose load is wanted, most wanted first; trimmed to `maxLoadLogins`. */
  loadLogins: readonly string[];
  now: number;
}

export interface LookupResult {
  /** History per folder, for the folders whose history is known. */
  changes: Map<string, HistoryChange[]>;
  /** Lower-case logins GitHub shows as busy. */
  busy: Set<string>;
  /** Lower-case logins whose status is known (busy or not). */
  statusKnown: Set<string>;
  /** Logins (as asked) GitHub knows no user for: a typo in `members`, or a deleted account. */
  noSuchUser: string[];
  /** Open review requests by lower-case login, for the logins whose count is known. */
  load: Map<string, number>;
  /** Plain-words notes on what could not be read. */
  problems: string[];
  /** GraphQL queries made (0 or 1). */
  queries: number;
}

/** Where history is read: one repository's base branch, as one installation sees it. */
export type HistoryPlace = Pick<LookupRequest, "installationId" | "owner" | "repo" | "baseBranch">;

const historyKey = (r: HistoryPlace, dir: string) => `${r.installationId}:${r.owner}/${r.repo}@${r.baseBranch}:`.toLowerCase() + dir;
const statusKey = (r: LookupRequest, login: string) => `${r.installationId}:${login}`.toLowerCase();
const loadKey = (r: LookupRequest, login: string) => `${r.installationId}:${r.owner}:${login}`.toLowerCase();
const repoKey = (r: LookupRequest) => `${r.installationId}:${r.owner}/${r.repo}`.toLowerCase();

/** The folders' histories already cached, for ordering work before the query. */
export function cachedChanges(cache: ReviewerLookupCache, place: HistoryPlace, directories: readonly string[]): Map<string, HistoryChange[]> {
  const found = new Map<string, HistoryChange[]>();
  for (const dir of directories) {
    const known = cache.history.get(historyKey(place, dir));
    if (known) found.set(dir, known);
  }
  return found;
}

/** The folder of a path: "a/b/c.py" → "a/b", "README.md" → "". */
export function parentDirectory(path: string): string {
  const trimmed = path.replace(/^\.?\/+/, "").replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  return slash === -1 ? "" : trimmed.slice(0, slash);
}

function depth(dir: string): number {
  return dir === "" ? 0 : dir.split("/").length;
}

/**
 * The folders whose history is read: the folders of the changed files, at most `max`. When
 * there are more, the deepest are replaced by their parents (so every changed file stays
 * covered, less precisely) until they fit; past the top level, the folders with the most
 * changed files win. Sorted, so the same change asks the same question.
 */
export function chooseDirectories(paths: readonly string[], max: number): string[] {
  if (max <= 0) return [];
  let counts = new Map<string, number>();
  for (const path of paths) {
    const dir = parentDirectory(path);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  while (counts.size > max) {
    const deepest = Math.max(...[...counts.keys()].map(depth));
    if (deepest <= 1) break;
    const merged = new Map<string, number>();
    for (const [dir, count] of counts) {
      const target = depth(dir) === deepest ? parentDirectory(dir) : dir;
      merged.set(target, (merged.get(target) ?? 0) + count);
    }
    counts = merged;
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))
    .slice(0, max)
    .map(([dir]) => dir)
    .sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface QuerySpec {
  owner: string;
  repo: string;
  baseSha: string;
  since: string;
  directories: readonly string[];
  statusLogins: readonly string[];
  loadLogins: readonly string[];
  limits: LookupLimits;
}

/** GitHub search words for one person's open review requests in the owner's repositories. */
export function loadSearch(owner: string, login: string): string {
  return `is:pr is:open archived:false user:${owner} user-review-requested:${login}`;
}

const literal = (value: string) => JSON.stringify(value);

/** The one query: history aliases `h<i>`, statuses `u<i>`, loads `l<i>`, each only when asked for. */
export function reviewerLookupQuery(spec: QuerySpec): string {
  const parts: string[] = [];
  if (spec.directories.length > 0) {
    const histories = spec.directories.map(
      (dir, i) =>
        `h${i}: history(first: ${spec.limits.commitsPerDirectory}${dir === "" ? "" : `, path: ${literal(dir)}`}, since: ${literal(spec.since)}) { nodes { ...AccordChange } }`,
    );
    parts.push(`repository(owner: ${literal(spec.owner)}, name: ${literal(spec.repo)}) {
    base: object(oid: ${literal(spec.baseSha)}) {
      ... on Commit {
        ${histories.join("\n        ")}
      }
    }
  }`);
  }
  spec.statusLogins.forEach((login, i) => parts.push(`u${i}: user(login: ${literal(login)}) { status { indicatesLimitedAvailability } }`));
  spec.loadLogins.forEach((login, i) => parts.push(`l${i}: search(type: ISSUE, first: 1, query: ${literal(loadSearch(spec.owner, login))}) { issueCount }`));
  const fragment =
    spec.directories.length > 0
      ? `
fragment AccordChange on Commit {
  oid committedDate
  author { user { login } }
  associatedPullRequests(first: 1) { nodes { number mergedAt author { login } reviews(first: ${spec.limits.approvalsPerChange}, states: [APPROVED]) { nodes { author { login } } } } }
}`
      : "";
  return `query AccordReviewers {
  ${parts.join("\n  ")}
}${fragment}`;
}

interface CommitNode {
  oid: string;
  committedDate: string;
  author: { user: { login: string } | null } | null;
  associatedPullRequests: {
    nodes: ({ number: number; mergedAt: string | null; author: { login: string } | null; reviews: { nodes: { author: { login: string } | null }[] } | null } | null)[];
  } | null;
}

type Answer = {
  repository?: { base?: Record<string, { nodes: (CommitNode | null)[] } | null> | null } | null;
} & Record<string, unknown>;

interface ResponseError {
  type?: string;
  message?: string;
  path?: (string | number)[];
}

/** Commits of a folder as changes: commits of one merged pull request become that one change. */
export function changesFromCommits(nodes: readonly (CommitNode | null)[]): HistoryChange[] {
  const byId = new Map<string, HistoryChange>();
  for (const node of nodes) {
    if (!node) continue;
    const pr = node.associatedPullRequests?.nodes.find((candidate) => candidate?.mergedAt);
    if (pr && !byId.has(`pr:${pr.number}`)) {
      const reviewers = (pr.reviews?.nodes ?? []).flatMap((review) => (review.author?.login ? [review.author.login] : []));
      byId.set(`pr:${pr.number}`, { id: `pr:${pr.number}`, at: pr.mergedAt!, author: pr.author?.login ?? node.author?.user?.login ?? null, reviewers: [...new Set(reviewers)] });
    } else if (!pr) {
      byId.set(`commit:${node.oid}`, { id: `commit:${node.oid}`, at: node.committedDate, author: node.author?.user?.login ?? null, reviewers: [] });
    }
  }
  return [...byId.values()];
}

/**
 * One index from the folders' histories: a change found under several folders is one change
 * touching all of them, so it counts once per folder and once per person.
 */
export function historyFromChanges(changes: ReadonlyMap<string, readonly HistoryChange[]>): ReviewHistory {
  const merged = new Map<string, { change: HistoryChange; paths: Set<string> }>();
  for (const [dir, list] of changes) {
    for (const change of list) {
      let entry = merged.get(change.id);
      if (!entry) merged.set(change.id, (entry = { change, paths: new Set() }));
      // The root's history says who was around, not who knows a folder.
      if (dir !== "") entry.paths.add(`${dir}/`);
    }
  }
  const history = new ReviewHistory();
  for (const { change, paths } of merged.values()) {
    const at = Date.parse(change.at);
    if (!Number.isFinite(at)) continue;
    history.add({ at, author: change.author, reviewers: change.reviewers, paths: [...paths] });
  }
  return history;
}

/** Plain words for why a query failed. */
export function describeLookupError(error: unknown): string {
  if (statusOf(error) !== undefined) return describeGitHubError(error);
  const errors = (error as { errors?: ResponseError[] } | null)?.errors;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  if (first?.type === "FORBIDDEN" || /not accessible by integration/i.test(first?.message ?? "")) return "the app may not read it";
  if (first?.type === "RATE_LIMITED") return "GitHub is rate-limiting this installation";
  if (first?.message) return `GitHub answered: ${first.message.replace(/\s+/g, " ").trim()}`;
  return describeGitHubError(error);
}

/**
 * Reads what is not cached, in one query, and returns everything known. Never throws.
 */
export async function lookupReviewerFacts(
  github: GitHub,
  request: LookupRequest,
  cache: ReviewerLookupCache,
  limits: LookupLimits = DEFAULT_LOOKUP_LIMITS,
): Promise<LookupResult> {
  const result: LookupResult = { changes: new Map(), busy: new Set(), statusKnown: new Set(), noSuchUser: [], load: new Map(), problems: [], queries: 0 };
  const directories = [...new Set(request.directories)].slice(0, limits.maxDirectories);
  const statusLogins = uniqueByLowerCase(request.statusLogins).slice(0, limits.maxStatusLogins);
  const loadLogins = uniqueByLowerCase(request.loadLogins).slice(0, limits.maxLoadLogins);

  const unreadFolders: { dir: string; why: string }[] = [];
  const collect = () => {
    for (const dir of directories) {
      const known = cache.history.get(historyKey(request, dir));
      if (known) result.changes.set(dir, known);
      const failure = cache.folderFailures.get(historyKey(request, dir));
      if (!known && failure !== undefined) unreadFolders.push({ dir, why: failure });
    }
    for (const login of statusLogins) {
      const busy = cache.busy.get(statusKey(request, login));
      if (busy === undefined) continue;
      result.statusKnown.add(login.toLowerCase());
      if (busy) result.busy.add(login.toLowerCase());
      if (busy === null) result.noSuchUser.push(login);
    }
    for (const login of loadLogins) {
      const count = cache.load.get(loadKey(request, login));
      if (count !== undefined) result.load.set(login.toLowerCase(), count);
    }
  };

  const missing = {
    directories: directories.filter((dir) => cache.history.get(historyKey(request, dir)) === undefined && cache.folderFailures.get(historyKey(request, dir)) === undefined),
    statusLogins: statusLogins.filter((login) => cache.busy.get(statusKey(request, login)) === undefined),
    loadLogins: loadLogins.filter((login) => cache.load.get(loadKey(request, login)) === undefined),
  };
  const nothingMissing = missing.directories.length + missing.statusLogins.length + missing.loadLogins.length === 0;
  const earlierFailure = cache.failed.get(repoKey(request));
  if (nothingMissing || earlierFailure !== undefined) {
    collect();
    if (!nothingMissing && earlierFailure !== undefined) result.problems.push(unreadable(earlierFailure));
    else result.problems.push(...folderProblems(unreadFolders));
    return result;
  }

  const since = new Date(request.now - limits.horizonDays * DAY_MS).toISOString();
  const query = reviewerLookupQuery({ owner: request.owner, repo: request.repo, baseSha: request.baseSha, since, ...missing, limits });
  let answer: Answer | null = null;
  let errors: ResponseError[] = [];
  result.queries = 1;
  try {
    answer = await github.graphql<Answer>(query);
  } catch (error) {
    const partial = (error as { data?: unknown } | null)?.data;
    const listed = (error as { errors?: unknown } | null)?.errors;
    if (partial && typeof partial === "object" && Array.isArray(listed)) {
      answer = partial as Answer;
      errors = listed as ResponseError[];
    } else {
      const why = describeLookupError(error);
      cache.failed.set(repoKey(request), why);
      collect();
      result.problems.push(unreadable(why));
      return result;
    }
  }

  const aliasOf = (e: ResponseError) => (Array.isArray(e.path) ? e.path.find((part): part is string => typeof part === "string" && /^[hul]\d+$/.test(part)) : undefined);
  const failedAliases = new Set(errors.flatMap((e) => aliasOf(e) ?? []));
  const notFound = new Set(errors.flatMap((e) => (e.type === "NOT_FOUND" ? (aliasOf(e) ?? []) : [])));

  const base = answer.repository?.base;
  const fresh = new Map<string, HistoryChange[]>();
  const historyErrors = errors.filter((e) => e.path?.[0] === "repository");
  missing.directories.forEach((dir, i) => {
    const connection = base?.[`h${i}`];
    if (!connection || !Array.isArray(connection.nodes)) {
      // Not asked again on every event while it keeps failing; the notice stays meanwhile.
      const why = historyErrors.length > 0 ? describeLookupError({ errors: historyErrors }) : "GitHub did not return it";
      cache.folderFailures.set(historyKey(request, dir), why);
      return;
    }
    const changes = changesFromCommits(connection.nodes);
    // Part of it failed (say, one pull request's reviews): use it now, ask again next time.
    if (failedAliases.has(`h${i}`)) fresh.set(dir, changes);
    else cache.history.set(historyKey(request, dir), changes);
  });
  const statusUnknown: string[] = [];
  missing.statusLogins.forEach((login, i) => {
    const alias = `u${i}`;
    const user = answer![alias] as { status: { indicatesLimitedAvailability: boolean } | null } | null | undefined;
    // NOT_FOUND: GitHub knows no such user; any other failure leaves the status unknown.
    if (user) cache.busy.set(statusKey(request, login), user.status?.indicatesLimitedAvailability === true);
    else if (user === null && notFound.has(alias)) cache.busy.set(statusKey(request, login), null);
    else statusUnknown.push(login);
  });
  missing.loadLogins.forEach((login, i) => {
    const found = answer![`l${i}`] as { issueCount?: number } | null | undefined;
    if (found && typeof found.issueCount === "number") cache.load.set(loadKey(request, login), found.issueCount);
  });

  collect();
  for (const [dir, changes] of fresh) result.changes.set(dir, changes);
  result.problems.push(...folderProblems(unreadFolders));
  if (statusUnknown.length > 0) {
    const who = listWords(statusUnknown.map((login) => `@${login}`));
    result.problems.push(`Accord could not read whether ${who} ${statusUnknown.length === 1 ? "is" : "are"} busy on GitHub, so ${statusUnknown.length === 1 ? "that person" : "they"} may be suggested anyway.`);
  }
  return result;
}

/** One sentence per reason, naming the folders whose history could not be read. */
function folderProblems(unread: readonly { dir: string; why: string }[]): string[] {
  const byWhy = new Map<string, string[]>();
  for (const { dir, why } of unread) byWhy.set(why, [...(byWhy.get(why) ?? []), dir === "" ? "the repository" : `\`${dir}/\``]);
  return [...byWhy].map(([why, folders]) => `Accord could not read the recent history of ${listWords(folders)} (${why}), so the suggestions do not reflect recent work there.`);
}

function unreadable(why: string): string {
  return `Accord could not ask GitHub about recent reviews, busy statuses and open review requests this time (${why}), so the suggestions may leave some of that out.`;
}


function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
