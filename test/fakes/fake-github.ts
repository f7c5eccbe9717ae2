/**
 * A small stateful GitHub, for tests (behind nock) and benchmarks (behind a loopback HTTP
 * server): the REST and GraphQL calls Accord makes, answered from one in-memory pull request,
 * with every request recorded so tests can count and inspect them.
 *
 * It answers as strictly as GitHub does, so it cannot hide a bug a kinder fake would: REST
 * lists come 100 to a page, each page with its own ETag (a 304 vouches for that page only, and
 * every page embeds the head SHA in its URLs); GraphQL connections honour `first`/`last`/
 * `after`, refuse more than 100 records, and say when there is more.
 */
import { createHash } from "node:crypto";

export interface FakeFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  previous_filename?: string;
}

export interface FakeReview {
  author: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  submittedAt?: string;
  /** The commit the review was given on; default: the head at the time it is read. */
  commitOid?: string;
}

export interface FakeComment {
  id: number;
  body: string;
  author: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string | null;
  output: { title: string; summary: string };
  annotations: Record<string, unknown>[];
  /** When it was created or last changed (ms), for latency measurements. */
  at?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  operation?: string;
}

/** A commit on the base branch, for `history(path:)` in reviewer suggestions. */
export interface FakeCommit {
  oid: string;
  committedDate: string;
  /** The commit author's GitHub login (null: an email GitHub cannot match to a user). */
  author: string | null;
  /** Files it changed: `history(path:)` answers the commits touching files under the path. */
  paths: string[];
  /** The merged pull request it landed with, and who approved that. */
  pullRequest?: { number: number; mergedAt: string; author: string; approvedBy: string[] };
}

export const BOT = "accord[bot]";

/** One attempt in the app's delivery log, as GitHub lists it. */
export interface FakeHookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  /** Not GitHub's: what the stub sends when asked to redeliver. */
  payload?: unknown;
}

/** `[status, body, headers]`, the shape nock replies take and the HTTP stub writes. */
export type Reply = [number, unknown, Record<string, string>];

export class FakeGitHub {
  owner = "Codertocat";
  repo = "Hello-World";
  /** GitHub's id for the repository. */
  repoId = 1296269;
  appId = 123;
  pr = {
    number: 2,
    title: "feat: update the pipeline",
    body: "## What\nA change.\n## How\nTested locally.",
    author: "alice",
    labels: [] as string[],
    draft: false,
    state: "OPEN" as "OPEN" | "CLOSED" | "MERGED",
    baseRef: "master",
    baseSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
    headSha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
  };
  files: FakeFile[] = [];
  /** What GitHub reports as the PR's changed-file count, when larger than the listed files. */
  changedFilesOverride = 0;
  reviews: FakeReview[] = [];
  reviewRequests: string[] = [];
  /** Team slugs with an open review request on the PR. */
  teamReviewRequests: string[] = [];
  /** `sha:path` → text (or a size for binary files). */
  blobs = new Map<string, { text?: string; size?: number }>();
  /** Files of the organization's `.github` repository, by path. */
  orgFiles = new Map<string, string>();
  teams = new Map<string, string[]>();
  teamsForbidden = false;
  comments: FakeComment[] = [];
  checkRuns: FakeCheckRun[] = [];
  reactions: { commentId: number; content: string }[] = [];
  /** Issues the app opened (the weekly "Agreement health" issue). */
  issues: { number: number; title: string; body: string; updatedAt: string }[] = [];
  requestedReviewers: string[][] = [];
  /** Commits on the base branch, any order; `history(path:)` answers newest first. */
  commits: FakeCommit[] = [];
  /** Logins whose GitHub status says Busy (limited availability). */
  busyUsers = new Set<string>();
  /** Open review requests per login, answered as search's `issueCount`. */
  openReviewRequests = new Map<string, number>();
  /** Logins GitHub does not know: `user(login:)` answers null with a NOT_FOUND error. */
  unknownUsers = new Set<string>();
  /** The app's webhook delivery log, newest first (GET /app/hook/deliveries). */
  hookDeliveries: FakeHookDelivery[] = [];
  /** Delivery attempt ids the app asked GitHub to send again. */
  redeliveryRequests: number[] = [];
  /** Called when the app asks for a redelivery (a loopback stub sends the webhook again). */
  onRedeliver?: (attempt: FakeHookDelivery) => void;
  calls: RecordedCall[] = [];
  /** Statuses to answer the next matching requests with, before answering normally. */
  failures: { match: RegExp; status: number; headers?: Record<string, string>; message?: string }[] = [];
  private nextId = 1000;

  constructor(readonly baseUrl = "https://api.github.com") {}

  setAgreement(text: string, sha = this.pr.baseSha, path = ".github/agreements.yml"): this {
    this.blobs.set(`${sha}:${path}`, { text });
    return this;
  }

  setFiles(files: FakeFile[]): this {
    this.files = files;
    return this;
  }

  get writes(): RecordedCall[] {
    return this.calls.filter((call) => call.method !== "GET" && !(call.method === "POST" && call.path === "/graphql"));
  }

  callsSince(mark: number): RecordedCall[] {
    return this.calls.slice(mark);
  }

  private failure(method: string, path: string): { status: number; headers?: Record<string, string>; message?: string } | undefined {
    const index = this.failures.findIndex((f) => f.match.test(`${method} ${path}`));
    if (index === -1) return undefined;
    return this.failures.splice(index, 1)[0];
  }

  /** Answers one request as GitHub would: `[status, body, headers]`. Unknown routes answer 404. */
  handle(method: string, uri: string, headers: Record<string, string | string[] | undefined>, body: unknown): Reply {
    const prefix = `/repos/${this.owner}/${this.repo}`;
    const record = (path: string, operation?: string) => this.calls.push({ method, path, body, ...(operation ? { operation } : {}) });
    const fail = (path: string): Reply | undefined => {
      const f = this.failure(method, path);
      return f ? [f.status, { message: f.message ?? `fake ${f.status}` }, f.headers ?? {}] : undefined;
    };
    const path = uri.split("?")[0]!;
    const id = () => Number(path.split("/").pop());

    if (method === "GET" && new RegExp(`^${prefix}/pulls/\\d+/files$`).test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const params = new URL(uri, this.baseUrl).searchParams;
      const perPage = Math.min(100, Number(params.get("per_page") ?? "30"));
      const page = Number(params.get("page") ?? "1");
      // GitHub lists 3,000 files at most; each entry's URLs carry the head SHA.
      const listed = this.files.slice(0, 3000).slice((page - 1) * perPage, page * perPage).map((file) => this.restFile(file));
      const etag = `W/"${createHash("sha1").update(JSON.stringify(listed)).digest("hex")}"`;
      if (headers["if-none-match"] === etag) return [304, "", { etag }];
      return [200, listed, { etag }];
    }

    if (method === "GET" && new RegExp(`^${prefix}/commits/[0-9a-f]+/check-runs$`).test(path)) {
      record(uri);
      const params = new URL(uri, this.baseUrl).searchParams;
      const sha = path.split("/")[5]!;
      const runs = this.checkRuns
        .filter((run) => run.head_sha === sha && (!params.get("check_name") || run.name === params.get("check_name")))
        .sort((a, b) => b.id - a.id)
        // filter=latest: the newest run per name.
        .filter((run, i, all) => params.get("filter") === "all" || all.findIndex((other) => other.name === run.name) === i);
      const perPage = Math.min(100, Number(params.get("per_page") ?? "30"));
      return [
        200,
        {
          total_count: runs.length,
          check_runs: runs.slice(0, perPage).map((run) => ({
            id: run.id,
            name: run.name,
            head_sha: run.head_sha,
            status: run.status,
            conclusion: run.conclusion ?? null,
            output: { title: run.output.title, summary: run.output.summary, annotations_count: run.annotations.length },
          })),
        },
        {},
      ];
    }

    if (method === "GET" && new RegExp(`^${prefix}/commits/[0-9a-f]+/pulls$`).test(path)) {
      record(uri);
      const sha = path.split("/")[5]!;
      const open = this.pr.state === "OPEN" ? "open" : "closed";
      return [200, this.pr.headSha === sha ? [{ number: this.pr.number, state: open, head: { sha: this.pr.headSha }, base: { sha: this.pr.baseSha } }] : [], {}];
    }

    if (method === "GET" && path === "/app/hook/deliveries") {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const params = new URL(uri, this.baseUrl).searchParams;
      const perPage = Math.min(100, Number(params.get("per_page") ?? "30"));
      const start = Number(params.get("cursor") ?? "0");
      const page = this.hookDeliveries.slice(start, start + perPage).map(({ payload: _payload, ...attempt }) => attempt);
      const next: Record<string, string> = start + perPage < this.hookDeliveries.length ? { link: `<${this.baseUrl}/app/hook/deliveries?per_page=${perPage}&cursor=${start + perPage}>; rel="next"` } : {};
      return [200, page, next];
    }

    if (method === "POST" && /^\/app\/hook\/deliveries\/\d+\/attempts$/.test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const attempt = this.hookDeliveries.find((d) => d.id === Number(path.split("/")[4]));
      if (!attempt) return [404, { message: "Not Found" }, {}];
      this.redeliveryRequests.push(attempt.id);
      this.onRedeliver?.(attempt);
      return [202, {}, {}];
    }

    if (method === "GET" && path === "/app/installations") {
      record(uri);
      return [200, [{ id: 4242, account: { login: this.owner } }], {}];
    }

    if (method === "GET" && path === "/installation/repositories") {
      record(uri);
      return [200, { total_count: 1, repositories: [{ id: this.repoId, name: this.repo, owner: { login: this.owner } }] }, {}];
    }

    if (method === "POST" && path.endsWith("/graphql")) {
      const { query, variables } = body as { query: string; variables: Record<string, unknown> };
      const operation = /query (\w+)/.exec(query)?.[1] ?? "unknown";
      record("/graphql", operation);
      const failed = fail(`/graphql ${operation}`);
      if (failed) return failed;
      if (operation === "AccordReviewers") return [200, this.reviewersAnswer(query), {}];
      if (operation === "AccordTeams" && this.teamsForbidden) {
        return [200, { data: { organization: null }, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] }, {}];
      }
      try {
        return [200, { data: this.graphql(operation, query, variables) }, {}];
      } catch (error) {
        if (!(error instanceof ConnectionLimitError)) throw error;
        return [200, { data: null, errors: [{ type: "EXCESSIVE_PAGINATION", message: error.message }] }, {}];
      }
    }

    if (method === "POST" && path === `${prefix}/check-runs`) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const input = body as Record<string, unknown> & { output: { title: string; summary: string; annotations?: Record<string, unknown>[] } };
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: String(input.name),
        head_sha: String(input.head_sha),
        status: String(input.status ?? "queued"),
        conclusion: (input.conclusion as string | undefined) ?? null,
        output: { title: input.output.title, summary: input.output.summary },
        annotations: [...(input.output.annotations ?? [])],
      };
      run.at = Date.now();
      this.checkRuns.push(run);
      return [201, { id: run.id }, {}];
    }

    if (method === "PATCH" && new RegExp(`^${prefix}/check-runs/\\d+$`).test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const run = this.checkRuns.find((r) => r.id === id());
      if (!run) return [404, {}, {}];
      const input = body as Record<string, unknown> & { output?: { title: string; summary: string; annotations?: Record<string, unknown>[] } };
      run.at = Date.now();
      if (input.status) run.status = String(input.status);
      if ("conclusion" in input) run.conclusion = input.conclusion as string;
      else if (input.status === "in_progress") run.conclusion = null;
      if (input.output) {
        run.output = { title: input.output.title, summary: input.output.summary };
        run.annotations.push(...(input.output.annotations ?? []));
      }
      return [200, { id: run.id }, {}];
    }

    if (method === "POST" && new RegExp(`^${prefix}/issues/\\d+/comments$`).test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const comment = { id: this.nextId++, body: (body as { body: string }).body, author: BOT };
      this.comments.push(comment);
      return [201, { id: comment.id }, {}];
    }

    if (method === "PATCH" && new RegExp(`^${prefix}/issues/comments/\\d+$`).test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const comment = this.comments.find((c) => c.id === id());
      if (!comment) return [404, {}, {}];
      comment.body = (body as { body: string }).body;
      return [200, { id: comment.id }, {}];
    }

    if (method === "POST" && path === `${prefix}/issues`) {
      record(uri);
      const input = body as { title: string; body: string };
      const issue = { number: this.nextId++, title: input.title, body: input.body, updatedAt: new Date().toISOString() };
      this.issues.push(issue);
      return [201, { number: issue.number }, {}];
    }

    if (method === "PATCH" && new RegExp(`^${prefix}/issues/\\d+$`).test(path)) {
      record(uri);
      const issue = this.issues.find((i) => i.number === id());
      if (!issue) return [404, {}, {}];
      issue.body = (body as { body: string }).body;
      issue.updatedAt = new Date().toISOString();
      return [200, { number: issue.number }, {}];
    }

    if (method === "POST" && new RegExp(`^${prefix}/issues/comments/\\d+/reactions$`).test(path)) {
      record(uri);
      this.reactions.push({ commentId: Number(path.split("/")[6]), content: (body as { content: string }).content });
      return [201, {}, {}];
    }

    if (method === "POST" && new RegExp(`^${prefix}/pulls/\\d+/requested_reviewers$`).test(path)) {
      record(uri);
      const failed = fail(uri);
      if (failed) return failed;
      const reviewers = (body as { reviewers: string[] }).reviewers;
      this.requestedReviewers.push(reviewers);
      this.reviewRequests.push(...reviewers);
      return [201, {}, {}];
    }

    record(uri);
    return [404, { message: `the fake GitHub does not answer ${method} ${path}` }, {}];
  }

  /** A changed file as REST lists it, with the URLs (carrying the head SHA) and patch GitHub sends. */
  private restFile(file: FakeFile): Record<string, unknown> {
    const base = `https://github.com/${this.owner}/${this.repo}`;
    return {
      sha: createHash("sha1").update(`${this.pr.headSha}:${file.filename}`).digest("hex"),
      filename: file.filename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      blob_url: `${base}/blob/${this.pr.headSha}/${file.filename}`,
      raw_url: `${base}/raw/${this.pr.headSha}/${file.filename}`,
      contents_url: `https://api.github.com/repos/${this.owner}/${this.repo}/contents/${file.filename}?ref=${this.pr.headSha}`,
      patch: `@@ -1,${file.deletions} +1,${file.additions} @@\n${"+ a line of the change\n".repeat(Math.min(file.additions, 20))}`,
      ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    };
  }

  /** Adds a comment by a person (not the app), e.g. a command. */
  addUserComment(author: string, body: string): FakeComment {
    const comment = { id: this.nextId++, body, author };
    this.comments.push(comment);
    return comment;
  }

  private blobAnswers(query: string, owner: string, name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const match of query.matchAll(/(\w+): object\(expression: ("(?:[^"\\]|\\.)*")\)/g)) {
      const [sha, ...rest] = (JSON.parse(match[2]!) as string).split(":");
      const path = rest.join(":");
      if (name === ".github") {
        const text = sha === "HEAD" && owner === this.owner ? this.orgFiles.get(path) : undefined;
        out[match[1]!] = text === undefined ? null : { byteSize: text.length, isBinary: false, text, isTruncated: false };
        continue;
      }
      const blob = this.blobs.get(`${sha}:${path}`);
      out[match[1]!] = blob
        ? { byteSize: blob.size ?? blob.text?.length ?? 0, isBinary: blob.text === undefined, ...(/text isTruncated/.test(match.input!.slice(match.index!, match.index! + match[0].length + 80)) ? { text: blob.text ?? null, isTruncated: false } : {}) }
        : null;
    }
    return out;
  }

  /** `AccordReviewers`: aliased history on the base commit, user statuses and review-request counts. */
  private reviewersAnswer(query: string): { data: Record<string, unknown>; errors?: Record<string, unknown>[] } {
    const data: Record<string, unknown> = {};
    const errors: Record<string, unknown>[] = [];
    const base = /base: object\(oid: ("[^"]*")\)/.exec(query);
    if (base) {
      const histories: Record<string, unknown> = {};
      for (const match of query.matchAll(/(h\d+): history\(first: (\d+)(?:, path: ("(?:[^"\\]|\\.)*"))?, since: ("[^"]*")\)/g)) {
        const dir = match[3] ? (JSON.parse(match[3]) as string) : "";
        const since = Date.parse(JSON.parse(match[4]!) as string);
        const approvals = Number(/reviews\(first: (\d+)/.exec(query)?.[1] ?? 100);
        const nodes = this.commits
          .filter((c) => Date.parse(c.committedDate) >= since && (dir === "" || c.paths.some((path) => path.startsWith(`${dir}/`))))
          .sort((a, b) => Date.parse(b.committedDate) - Date.parse(a.committedDate))
          .slice(0, Number(match[2]))
          .map((c) => ({
            oid: c.oid,
            committedDate: c.committedDate,
            author: { user: c.author ? { login: c.author } : null },
            associatedPullRequests: {
              nodes: c.pullRequest
                ? [{ number: c.pullRequest.number, mergedAt: c.pullRequest.mergedAt, author: { login: c.pullRequest.author }, reviews: { nodes: c.pullRequest.approvedBy.slice(0, approvals).map((login) => ({ author: { login } })) } }]
                : [],
            },
          }));
        histories[match[1]!] = { nodes };
      }
      data.repository = { base: JSON.parse(base[1]!) === this.pr.baseSha ? histories : null };
    }
    for (const match of query.matchAll(/(u\d+): user\(login: ("[^"]*")\)/g)) {
      const login = JSON.parse(match[2]!) as string;
      if (this.unknownUsers.has(login)) {
        data[match[1]!] = null;
        errors.push({ type: "NOT_FOUND", path: [match[1]], message: `Could not resolve to a User with the login of '${login}'.` });
      } else {
        data[match[1]!] = { status: this.busyUsers.has(login) ? { indicatesLimitedAvailability: true } : null };
      }
    }
    for (const match of query.matchAll(/(l\d+): search\(type: ISSUE, first: 1, query: ("(?:[^"\\]|\\.)*")\)/g)) {
      const login = /user-review-requested:(\S+)/.exec(JSON.parse(match[2]!) as string)?.[1] ?? "";
      data[match[1]!] = { issueCount: this.openReviewRequests.get(login) ?? 0 };
    }
    return errors.length > 0 ? { data, errors } : { data };
  }

  private graphql(operation: string, query: string, variables: Record<string, unknown>): unknown {
    const reviews = () =>
      this.reviews.map((r) => ({ author: { login: r.author }, state: r.state, submittedAt: r.submittedAt ?? null, commit: { oid: r.commitOid ?? this.pr.headSha } }));
    const comments = () => this.comments.map((c) => ({ databaseId: c.id, body: c.body, viewerDidAuthor: c.author === BOT }));
    if (operation === "AccordReviews") return { repository: { pullRequest: { reviews: connection(query, "reviews", reviews(), variables) } } };
    if (operation === "AccordComments") return { repository: { pullRequest: { comments: connection(query, "comments", comments(), variables) } } };
    if (operation === "AccordPullRequest") {
      const runs = this.checkRuns
        .filter((r) => r.head_sha === this.pr.headSha)
        .sort((a, b) => a.id - b.id)
        .map((r) => ({ databaseId: r.id, name: r.name, title: r.output.title, summary: r.output.summary, status: r.status.toUpperCase(), conclusion: r.conclusion?.toUpperCase() ?? null, annotations: { totalCount: r.annotations.length } }));
      const listed = Math.min(3000, Math.max(this.files.length, this.changedFilesOverride));
      return {
        repository: {
          pullRequest: {
            number: this.pr.number,
            title: this.pr.title,
            body: this.pr.body,
            isDraft: this.pr.draft,
            state: this.pr.state,
            author: { login: this.pr.author },
            baseRefName: this.pr.baseRef,
            baseRefOid: this.pr.baseSha,
            headRefOid: this.pr.headSha,
            changedFiles: Math.max(this.files.length, this.changedFilesOverride),
            files: {
              ...connection(query, "files", this.files.slice(0, 3000).map((f) => ({ path: f.filename, additions: f.additions, deletions: f.deletions, changeType: f.status === "removed" ? "DELETED" : f.status.toUpperCase() })), variables),
              totalCount: listed,
            },
            labels: connection(query, "labels", this.pr.labels.map((name) => ({ name })), variables),
            reviews: connection(query, "reviews", reviews(), variables),
            reviewRequests: connection(
              query,
              "reviewRequests",
              [
                ...this.reviewRequests.map((login) => ({ requestedReviewer: { __typename: "User", login } })),
                ...this.teamReviewRequests.map((slug) => ({ requestedReviewer: { __typename: "Team", slug } })),
              ],
              variables,
            ),
            comments: connection(query, "comments", comments(), variables),
            commits: {
              nodes: [
                {
                  commit: {
                    oid: this.pr.headSha,
                    checkSuites: connection(query, "checkSuites", runs.length ? [{ checkRuns: connection(query, "checkRuns", runs, variables) }] : [], variables),
                  },
                },
              ],
            },
          },
          ...this.blobAnswers(query, this.owner, this.repo),
        },
      };
    }
    if (operation === "AccordSweep") {
      const suites = this.checkRuns.filter((run) => run.head_sha === this.pr.headSha).length > 0 ? 1 : 0;
      const open = this.pr.state === "OPEN" ? [{ number: this.pr.number, headRefOid: this.pr.headSha, baseRefOid: this.pr.baseSha, commits: { nodes: [{ commit: { checkSuites: { totalCount: suites } } }] } }] : [];
      return { repository: { pullRequests: { nodes: open } } };
    }
    if (operation === "AccordHealthIssue") {
      return { search: { nodes: this.issues.map((i) => ({ number: i.number, title: i.title, updatedAt: i.updatedAt, viewerDidAuthor: true, body: i.body })) } };
    }
    if (operation === "AccordBlobs") {
      const name = variables.name as string;
      if (name === ".github" && this.orgFiles.size === 0) return { repository: null };
      return { repository: this.blobAnswers(query, variables.owner as string, name) };
    }
    if (operation === "AccordTeams") {
      const organization: Record<string, unknown> = {};
      for (const match of query.matchAll(/(t\d+): team\(slug: ("[^"]*")\)/g)) {
        const members = this.teams.get(JSON.parse(match[2]!) as string);
        organization[match[1]!] = members ? { members: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: members.map((login) => ({ login })) } } : null;
      }
      return { organization };
    }
    return {};
  }
}

/** GitHub's refusal of a connection asked for more than 100 records. */
export class ConnectionLimitError extends Error {}

/**
 * One page of a GraphQL connection, as GitHub answers it: the arguments are read from the
 * query text (`first`/`last` literal, `after` literal or a variable), more than 100 records is
 * an error, and `pageInfo` says whether there is more. Cursors are opaque position strings.
 */
export function connection<T>(query: string, field: string, nodes: readonly T[], variables: Record<string, unknown> = {}) {
  const args = new RegExp(`\\b${field}\\(([^)]*)\\)`).exec(query)?.[1] ?? "";
  const number = (name: string) => {
    const found = new RegExp(`\\b${name}:\\s*(\\d+)`).exec(args);
    return found ? Number(found[1]) : undefined;
  };
  const cursor = (name: string) => {
    const found = new RegExp(`\\b${name}:\\s*(?:\\$(\\w+)|"([^"]*)")`).exec(args);
    const value = found ? (found[1] ? variables[found[1]] : found[2]) : undefined;
    return typeof value === "string" ? Number(Buffer.from(value, "base64").toString().replace("cursor:", "")) : undefined;
  };
  const first = number("first");
  const last = number("last");
  if (first === undefined && last === undefined) throw new ConnectionLimitError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`);
  for (const [name, value] of [["first", first], ["last", last]] as const) {
    if (value !== undefined && value > 100) throw new ConnectionLimitError(`Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`);
  }
  const after = cursor("after");
  const before = cursor("before");
  let start = after === undefined ? 0 : after + 1;
  let end = before === undefined ? nodes.length : before;
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const encode = (i: number) => Buffer.from(`cursor:${i}`).toString("base64");
  return {
    totalCount: nodes.length,
    pageInfo: {
      hasNextPage: end < nodes.length,
      hasPreviousPage: start > 0,
      endCursor: end > start ? encode(end - 1) : null,
      startCursor: end > start ? encode(start) : null,
    },
    nodes: nodes.slice(start, end),
  };
}
