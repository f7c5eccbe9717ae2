/**
 * Gathers one pull request's state in as few calls as possible: the changed files (REST, with
 * an ETag so an unchanged list costs nothing), then one GraphQL query for the rest — PR fields,
 * reviews, our comment, our check run and, when not cached, the agreement file at the base SHA.
 */
import type { ChangedFile, FileStatus, Review, ReviewState } from "../engine/facts.js";
import { parseAgreements, type ParsedAgreements } from "../agreement/parse.js";
import { AGREEMENT_FILE_PATHS } from "../agreement/schema.js";
import { createHash } from "node:crypto";
import { TtlCache, approximateBytes } from "./cache.js";
import { prKey, statusOf, type GitHub, type PullRequestRef } from "./client.js";
import { COMMENT_MARKER } from "../render/markdown.js";
import { MORE_COMMENTS_QUERY, MORE_REVIEWS_QUERY, blobsQuery, pullRequestQuery, type FileExpression } from "./queries.js";

/** GitHub lists at most 3,000 files for a pull request. */
export const GITHUB_FILE_LIST_LIMIT = 3000;

export interface ExistingCheckRun {
  id: number;
  name: string;
  title: string | null;
  summary: string | null;
  status: string;
  conclusion: string | null;
  annotationCount: number;
}

export interface ExistingComment {
  id: number;
  body: string;
}

export interface AgreementText {
  path: string;
  text: string;
  /** Where it came from: this repository at the base SHA, or the organization's `.github` repository. */
  origin: "repository" | "organization";
}

export interface PullRequestState {
  ref: PullRequestRef;
  title: string;
  body: string;
  author: string;
  labels: string[];
  draft: boolean;
  open: boolean;
  baseBranch: string;
  baseSha: string;
  headSha: string;
  changedFileCount: number;
  files: ChangedFile[];
  reviews: Review[];
  /** Logins and team slugs with an open review request. */
  requestedReviewers: string[];
  requestedTeams: string[];
  comment?: ExistingComment;
  /** This app's check runs on the head commit, newest first. */
  checkRuns: ExistingCheckRun[];
  /** False when GitHub had more of this app's runs on the head commit than the query read. */
  checkRunsComplete: boolean;
}

/** The newest of our runs with this name, which is the one GitHub shows. */
export function checkRunNamed(state: PullRequestState, name: string): ExistingCheckRun | undefined {
  return state.checkRuns.find((run) => run.name === name);
}

interface BlobAnswer {
  byteSize?: number;
  isBinary?: boolean | null;
  text?: string | null;
  isTruncated?: boolean;
}

interface CommentNode {
  databaseId: number;
  body: string;
  viewerDidAuthor: boolean;
}

interface ReviewPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { author: { login: string } | null; state: ReviewState; submittedAt: string | null; commit: { oid: string } | null }[];
}

interface CommentPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: CommentNode[];
}

interface PullRequestAnswer {
  repository: {
    pullRequest: {
      number: number;
      title: string;
      body: string;
      isDraft: boolean;
      state: "OPEN" | "CLOSED" | "MERGED";
      author: { login: string } | null;
      baseRefName: string;
      baseRefOid: string;
      headRefOid: string;
      changedFiles: number;
      files: { totalCount: number; nodes: { path: string; additions: number; deletions: number; changeType: string }[] };
      labels: { nodes: { name: string }[] };
      reviews: ReviewPage;
      reviewRequests: { nodes: { requestedReviewer: { __typename: string; login?: string; slug?: string } | null }[] };
      comments: CommentPage;
      commits: {
        nodes: {
          commit: {
            oid: string;
            checkSuites: {
              pageInfo: { hasNextPage: boolean };
              nodes: {
                checkRuns: {
                  pageInfo: { hasPreviousPage: boolean };
                  nodes: { databaseId: number; name: string; title: string | null; summary: string | null; status: string; conclusion: string | null; annotations: { totalCount: number } }[];
                };
              }[];
            } | null;
          };
        }[];
      };
    } | null;
  } & Record<string, BlobAnswer | null | unknown>;
}

interface RestFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  previous_filename?: string;
}

const STATUS: Record<string, FileStatus> = {
  added: "added",
  removed: "removed",
  modified: "modified",
  renamed: "renamed",
  copied: "copied",
  changed: "changed",
  unchanged: "unchanged",
};

/** The parsed agreement file, from the cache when this exact text was parsed before. */
export function parseCached(caches: GitHubCaches, text: AgreementText): ParsedAgreements {
  const key = `${text.path}\0${createHash("sha256").update(text.text).digest("base64url")}`;
  const known = caches.parsed.get(key);
  if (known) return known.parsed;
  const parsed = parseAgreements(text.text, text.path);
  caches.parsed.set(key, { parsed, textLength: text.text.length });
  return parsed;
}

/** Byte budgets of the caches (estimates), so memory is bounded by size, not by entry count. */
export const CACHE_BUDGETS = {
  fileLists: 32 * 1024 * 1024,
  blobs: 16 * 1024 * 1024,
  agreementTexts: 8 * 1024 * 1024,
  parsed: 16 * 1024 * 1024,
};

/** A parsed file holds its agreements and compiled globs: about twenty bytes per character of its text. */
const weighParsed = (value: unknown) => 20 * (value as { textLength: number }).textLength + 4096;

/** Caches shared across events: immutable content by SHA, bounded by entries and bytes. */
export class GitHubCaches {
  /** Agreement file text at a base SHA (null: the repository has none there). Immutable. */
  readonly agreementAtSha = new TtlCache<AgreementText | null>({ maxEntries: 5_000, maxBytes: CACHE_BUDGETS.agreementTexts, weigh: approximateBytes });
  /** The organization's fallback file (default branch, so it can change): five minutes. */
  readonly organizationAgreement = new TtlCache<AgreementText | null>({ maxEntries: 1_000, ttlMs: 5 * 60_000, maxBytes: CACHE_BUDGETS.agreementTexts, weigh: approximateBytes });
  /** Blob size and text by `sha:path`. Immutable. */
  readonly blobs = new TtlCache<BlobAnswer | null>({ maxEntries: 20_000, maxBytes: CACHE_BUDGETS.blobs, weigh: approximateBytes });
  /**
   * A PR's changed files for one (base SHA, head SHA) pair, which never changes: reused without
   * asking GitHub again. Only what evaluation reads is kept (no patches, no URLs).
   */
  readonly fileLists = new TtlCache<ChangedFile[]>({ maxEntries: 5_000, ttlMs: 24 * 3_600_000, maxBytes: CACHE_BUDGETS.fileLists, weigh: approximateBytes });
  /** Parsed agreement files by path and text hash: parsing (YAML, schema) and glob compilation happen once per version. */
  readonly parsed = new TtlCache<{ parsed: ParsedAgreements; textLength: number }>({ maxEntries: 500, maxBytes: CACHE_BUDGETS.parsed, weigh: weighParsed });
  /** What the last evaluation of a PR read at its head, to read again in the next event's one query. */
  readonly lastNeeds = new TtlCache<{ path: string; withText: boolean }[]>({ maxEntries: 5_000, ttlMs: 24 * 3_600_000, maxBytes: 8 * 1024 * 1024, weigh: approximateBytes });
  /** Team members by `org/slug`: ten minutes. */
  readonly teamMembers = new TtlCache<string[] | null>(2_000, 10 * 60_000);
}

export interface GatherOptions {
  appId: number;
  caches: GitHubCaches;
  /** Head contents to read in the same query (what the last evaluation of this PR needed). */
  prefetch?: readonly { path: string; withText: boolean }[];
  /** Where the agreement file lives (default `.github/agreements.yml`, then `.yaml`). */
  agreementPaths?: readonly string[];
}

export interface Gathered {
  state: PullRequestState;
  agreement?: AgreementText;
  /** The head version of the agreement file, when this PR changes it. */
  proposed?: AgreementText | null;
  /** Set when the file list may be incomplete: whether the agreement file differs between base and head. */
  agreementFileChanged?: boolean;
}

function blobAlias(index: number): string {
  return `blob${index}`;
}

/**
 * Every page of the PR's changed files, as evaluation needs them. The list for one (base SHA,
 * head SHA) pair never changes, so it is kept under that pair and reused without a call; a
 * new push or a moved base reads every page afresh (a page's ETag vouches for that page only,
 * and each page embeds the head SHA in its URLs, so conditional requests would save nothing).
 */
async function changedFiles(github: GitHub, ref: PullRequestRef, baseSha: string, headSha: string, caches: GitHubCaches): Promise<ChangedFile[]> {
  const key = `${prKey(ref)}@${baseSha}..${headSha}`;
  const cached = caches.fileLists.get(key);
  if (cached) return cached;
  const files: ChangedFile[] = [];
  for (let page = 1; page <= GITHUB_FILE_LIST_LIMIT / 100; page++) {
    const response = await github.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner: ref.owner, repo: ref.repo, pull_number: ref.number, per_page: 100, page });
    const listed = response.data as RestFile[];
    for (const file of listed) files.push(toChangedFile(file));
    if (listed.length < 100) break;
  }
  caches.fileLists.set(key, files);
  return files;
}

function toChangedFile(file: RestFile): ChangedFile {
  return {
    path: file.filename,
    status: STATUS[file.status] ?? "modified",
    additions: file.additions,
    deletions: file.deletions,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
}

function baseFileKey(ref: PullRequestRef, sha: string) {
  return `${ref.owner}/${ref.repo}@${sha}`.toLowerCase();
}

const GRAPHQL_CHANGE_TYPES: Record<string, FileStatus> = {
  ADDED: "added",
  DELETED: "removed",
  MODIFIED: "modified",
  RENAMED: "renamed",
  COPIED: "copied",
  CHANGED: "changed",
};

const textAt = (sha: string, path: string): FileExpression => ({ alias: "", expression: `${sha}:${path}`, withText: true });

export async function gatherPullRequest(github: GitHub, ref: PullRequestRef, options: GatherOptions): Promise<Gathered | undefined> {
  const { caches } = options;
  const paths = options.agreementPaths ?? AGREEMENT_FILE_PATHS;
  // One query: the PR, its first 100 files, and — when the SHAs are known and not cached — the
  // agreement file at base and head, plus the head contents the last evaluation needed.
  const blobs: FileExpression[] = [];
  const wantText = (prefix: string, sha: string | undefined) => {
    if (sha === undefined || caches.agreementAtSha.get(baseFileKey(ref, sha)) !== undefined) return false;
    paths.forEach((path, i) => blobs.push({ ...textAt(sha, path), alias: `${prefix}${i}` }));
    return true;
  };
  const askedBase = wantText("base", ref.baseSha);
  const askedHead = wantText("head", ref.headSha);
  const prefetch = ref.headSha ? (options.prefetch ?? []).filter((p) => caches.blobs.get(`${ref.headSha}:${p.path}`) === undefined).slice(0, 100) : [];
  prefetch.forEach((p, i) => blobs.push({ alias: `pre${i}`, expression: `${ref.headSha}:${p.path}`, withText: p.withText }));

  const answer = await github.graphql<PullRequestAnswer>(pullRequestQuery(blobs), {
    owner: ref.owner,
    name: ref.repo,
    number: ref.number,
    appId: options.appId,
  });
  const pr = answer.repository.pullRequest;
  if (!pr) return undefined;
  const baseSha = pr.baseRefOid;
  const headSha = pr.headRefOid;
  const pick = (prefix: string): AgreementText | null => {
    for (const [i, path] of paths.entries()) {
      const blob = answer.repository[`${prefix}${i}`] as BlobAnswer | null | undefined;
      if (blob && typeof blob.text === "string") return { path, text: blob.text, origin: "repository" };
    }
    return null;
  };
  if (askedBase && ref.baseSha === baseSha) caches.agreementAtSha.set(baseFileKey(ref, baseSha), pick("base"));
  if (askedHead && ref.headSha === headSha) caches.agreementAtSha.set(baseFileKey(ref, headSha), pick("head"));
  if (ref.headSha === headSha) prefetch.forEach((p, i) => caches.blobs.set(`${headSha}:${p.path}`, (answer.repository[`pre${i}`] as BlobAnswer | null | undefined) ?? null));

  // GraphQL has no old path for renames: fall back to REST (with its ETag) only when it matters.
  const listed = pr.files;
  const needsRest = listed.totalCount > listed.nodes.length || listed.nodes.some((f) => f.changeType === "RENAMED" || f.changeType === "COPIED");
  const files = needsRest
    ? await changedFiles(github, ref, baseSha, headSha, caches)
    : listed.nodes.map((f) => ({ path: f.path, status: GRAPHQL_CHANGE_TYPES[f.changeType] ?? "modified", additions: f.additions, deletions: f.deletions }));
  // Beyond GitHub's 3,000 listed files the agreement file may be among the unlisted ones: compare it instead.
  const listMayBeIncomplete = files.length >= GITHUB_FILE_LIST_LIMIT;
  let changesAgreement = listMayBeIncomplete || files.some((file) => paths.includes(file.path));

  let agreement = caches.agreementAtSha.get(baseFileKey(ref, baseSha));
  let proposed = changesAgreement ? caches.agreementAtSha.get(baseFileKey(ref, headSha)) : null;
  if (agreement === undefined || proposed === undefined) {
    const fetched = await agreementTexts(github, ref, baseSha, changesAgreement ? headSha : undefined, paths);
    agreement = fetched.base;
    caches.agreementAtSha.set(baseFileKey(ref, baseSha), agreement);
    if (changesAgreement) {
      proposed = fetched.head;
      caches.agreementAtSha.set(baseFileKey(ref, headSha), proposed);
    }
  }
  if (listMayBeIncomplete) {
    changesAgreement = (agreement?.text ?? null) !== (proposed?.text ?? null) || agreement?.path !== proposed?.path;
  }
  const resolved = agreement ?? (await organizationAgreement(github, ref, caches));

  const state: PullRequestState = {
    ref: { ...ref, baseSha, headSha },
    title: pr.title,
    body: pr.body ?? "",
    author: pr.author?.login ?? "ghost",
    labels: pr.labels.nodes.map((label) => label.name),
    draft: pr.isDraft,
    open: pr.state === "OPEN",
    baseBranch: pr.baseRefName,
    baseSha,
    headSha,
    changedFileCount: pr.changedFiles,
    files,
    reviews: await allReviews(github, ref, pr.reviews),
    requestedReviewers: pr.reviewRequests.nodes.flatMap((node) => (node.requestedReviewer?.login ? [node.requestedReviewer.login] : [])),
    requestedTeams: pr.reviewRequests.nodes.flatMap((node) => (node.requestedReviewer?.slug ? [node.requestedReviewer.slug] : [])),
    checkRuns: [],
    checkRunsComplete: true,
  };
  const comment = await findComment(github, ref, pr.comments);
  if (comment) state.comment = comment;
  const head = pr.commits.nodes[0]?.commit;
  if (head && head.oid === headSha) {
    const suites = head.checkSuites;
    state.checkRunsComplete = !suites?.pageInfo.hasNextPage && !(suites?.nodes ?? []).some((suite) => suite.checkRuns.pageInfo.hasPreviousPage);
    state.checkRuns = (suites?.nodes ?? [])
      .flatMap((suite) => suite.checkRuns.nodes)
      .map((run) => ({ id: run.databaseId, name: run.name, title: run.title, summary: run.summary, status: run.status.toLowerCase(), conclusion: run.conclusion?.toLowerCase() ?? null, annotationCount: run.annotations.totalCount }))
      .sort((a, b) => b.id - a.id);
  }
  return {
    state,
    ...(resolved ? { agreement: resolved } : {}),
    ...(changesAgreement ? { proposed: proposed ?? null } : {}),
    ...(listMayBeIncomplete ? { agreementFileChanged: changesAgreement } : {}),
  };
}

/** The base (and head) agreement file in one query, when the webhook did not carry the SHAs. */
async function agreementTexts(github: GitHub, ref: PullRequestRef, baseSha: string, headSha: string | undefined, paths: readonly string[]) {
  const blobs: FileExpression[] = paths.map((path, i) => ({ alias: `base${i}`, expression: `${baseSha}:${path}`, withText: true }));
  if (headSha) paths.forEach((path, i) => blobs.push({ alias: `head${i}`, expression: `${headSha}:${path}`, withText: true }));
  const answer = await github.graphql<{ repository: Record<string, BlobAnswer | null> }>(blobsQuery(blobs), { owner: ref.owner, name: ref.repo });
  const pick = (prefix: string): AgreementText | null => {
    for (const [i, path] of paths.entries()) {
      const blob = answer.repository[`${prefix}${i}`];
      if (blob && typeof blob.text === "string") return { path, text: blob.text, origin: "repository" };
    }
    return null;
  };
  return { base: pick("base"), head: headSha ? pick("head") : null };
}

/** The organization's `.github` repository, default branch: the fallback of SPEC §1. */
async function organizationAgreement(github: GitHub, ref: PullRequestRef, caches: GitHubCaches): Promise<AgreementText | undefined> {
  const key = ref.owner.toLowerCase();
  let cached = caches.organizationAgreement.get(key);
  if (cached === undefined) {
    const blobs = AGREEMENT_FILE_PATHS.map((path, i) => ({ alias: `org${i}`, expression: `HEAD:${path}`, withText: true }));
    try {
      const answer = await github.graphql<{ repository: Record<string, BlobAnswer | null> | null }>(blobsQuery(blobs), { owner: ref.owner, name: ".github" });
      cached = null;
      for (const [i, path] of AGREEMENT_FILE_PATHS.entries()) {
        const blob = answer.repository?.[`org${i}`];
        if (blob && typeof blob.text === "string") {
          cached = { path: `${ref.owner}/.github:${path}`, text: blob.text, origin: "organization" };
          break;
        }
      }
    } catch (error) {
      // No `.github` repository, or not visible to this installation: no fallback.
      if (!isNotFound(error)) throw error;
      cached = null;
    }
    caches.organizationAgreement.set(key, cached);
  }
  return cached ?? undefined;
}

function isNotFound(error: unknown): boolean {
  const errors = (error as { errors?: { type?: string }[] } | null)?.errors;
  return statusOf(error) === 404 || (Array.isArray(errors) && errors.some((e) => e.type === "NOT_FOUND"));
}

/** Every review, however long the conversation (each inline reply is a review of its own). */
async function allReviews(github: GitHub, ref: PullRequestRef, first: ReviewPage): Promise<Review[]> {
  const nodes = [...first.nodes];
  let page = first;
  while (page.pageInfo.hasNextPage) {
    const next = await github.graphql<{ repository: { pullRequest: { reviews: ReviewPage } } }>(MORE_REVIEWS_QUERY, { owner: ref.owner, name: ref.repo, number: ref.number, after: page.pageInfo.endCursor });
    page = next.repository.pullRequest.reviews;
    nodes.push(...page.nodes);
  }
  return nodes
    .filter((review) => review.author)
    .map((review) => ({
      reviewer: review.author!.login,
      state: review.state,
      ...(review.submittedAt ? { submittedAt: review.submittedAt } : {}),
      ...(review.commit?.oid ? { commitSha: review.commit.oid } : {}),
    }));
}

interface RestCheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; annotations_count: number };
}

/**
 * The check run GitHub shows under `name` on the head commit. The one query reads this app's
 * latest 20 runs; when GitHub had more and none of those has the name, ask for exactly that one.
 */
export async function findCheckRun(github: GitHub, state: PullRequestState, name: string, appId: number): Promise<ExistingCheckRun | undefined> {
  const listed = checkRunNamed(state, name);
  if (listed || state.checkRunsComplete) return listed;
  const response = await github.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner: state.ref.owner,
    repo: state.ref.repo,
    ref: state.headSha,
    check_name: name,
    filter: "latest",
    per_page: 1,
    ...(appId ? { app_id: appId } : {}),
  });
  const run = (response.data as { check_runs: RestCheckRun[] }).check_runs[0];
  if (!run) return undefined;
  return { id: run.id, name: run.name, title: run.output.title, summary: run.output.summary, status: run.status, conclusion: run.conclusion, annotationCount: run.output.annotations_count };
}

/** Our summary comment: written by this app and carrying the marker; further pages only when needed. */
function findComment(github: GitHub, ref: PullRequestRef, first: CommentPage): Promise<ExistingComment | undefined> {
  return findOwnComment(github, ref, COMMENT_MARKER, first);
}

/**
 * The first comment this app wrote carrying `marker`, reading further pages of the PR's
 * comments only until it is found (from the first page when none is given).
 */
export async function findOwnComment(github: GitHub, ref: PullRequestRef, marker: string, first?: CommentPage): Promise<ExistingComment | undefined> {
  const more = (after: string | null) =>
    github.graphql<{ repository: { pullRequest: { comments: CommentPage } } }>(MORE_COMMENTS_QUERY, { owner: ref.owner, name: ref.repo, number: ref.number, after });
  let page = first ?? (await more(null)).repository.pullRequest.comments;
  for (;;) {
    const mine = page.nodes.find((node) => node.viewerDidAuthor && node.body.includes(marker));
    if (mine) return { id: mine.databaseId, body: mine.body };
    if (!page.pageInfo.hasNextPage) return undefined;
    page = (await more(page.pageInfo.endCursor)).repository.pullRequest.comments;
  }
}

/** Sizes and texts at the head commit, for the files the agreements ask about; cached by SHA and path. */
export async function headContents(
  github: GitHub,
  ref: PullRequestRef,
  headSha: string,
  sizes: readonly string[],
  notebooks: readonly string[],
  caches: GitHubCaches,
): Promise<{ fileSizes: Record<string, number | null>; notebooks: Record<string, string | null> }> {
  const wanted = [...new Set([...sizes, ...notebooks])];
  // A size-only answer does not serve a notebook that now needs its text.
  const missing = wanted.filter((path) => {
    const known = caches.blobs.get(`${headSha}:${path}`);
    return known === undefined || (notebooks.includes(path) && known !== null && known.text === undefined);
  });
  const isText = new Set(notebooks);
  for (let start = 0; start < missing.length; start += 100) {
    const batch = missing.slice(start, start + 100);
    const answer = await github.graphql<{ repository: Record<string, BlobAnswer | null> }>(
      blobsQuery(batch.map((path, i) => ({ alias: blobAlias(i), expression: `${headSha}:${path}`, withText: isText.has(path) }))),
      { owner: ref.owner, name: ref.repo },
    );
    batch.forEach((path, i) => caches.blobs.set(`${headSha}:${path}`, answer.repository[blobAlias(i)] ?? null));
  }
  const blob = (path: string) => caches.blobs.get(`${headSha}:${path}`) ?? null;
  return {
    fileSizes: Object.fromEntries(sizes.map((path) => [path, blob(path)?.byteSize ?? null])),
    notebooks: Object.fromEntries(
      notebooks.map((path) => {
        const b = blob(path);
        return [path, b && typeof b.text === "string" && !b.isTruncated ? b.text : null];
      }),
    ),
  };
}
