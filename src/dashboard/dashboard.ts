/**
 * The friction dashboard at /dashboard (SPEC §7). People sign in with GitHub through the app's
 * OAuth client and see only repositories the app is installed on that they can read. Three
 * views — organisation, repository, agreement — built from the same report models as the CLI,
 * each table downloadable as CSV, charts drawn on the server. Nothing without signing in.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseAgreements } from "../agreement/parse.js";
import { buildReport, mostFriction, organizationReport, parseSince } from "../report/index.js";
import type { AgreementHealth, FrictionReport } from "../report/model.js";
import type { OrganizationReport } from "../report/organization.js";
import { duration, percent } from "../report/format.js";
import type { ReportWindow } from "../report/window.js";
import type { FrictionStore } from "../store/types.js";
import { frictionChart, pathsChart, teamWaitChart, weeklyTrendChart } from "./charts.js";
import { GitHubUsers, TokenExpired, type GitHubEndpoints } from "./github-user.js";
import { csv, html, page, prose, raw, table, type Crumb, type Html } from "./html.js";
import { cookie, readCookies, Sealer } from "./session.js";

export interface DashboardOptions {
  store: FrictionStore;
  endpoints: GitHubEndpoints;
  clientId?: string;
  clientSecret?: string;
  /** Seals the cookies; default: the OAuth client secret. */
  sessionSecret?: string;
  /** How long what a person may read is kept before GitHub is asked again. */
  accessTtlMs?: number;
  /** GitHub's side of signing in (tests and benchmarks give their own). */
  users?: Pick<GitHubUsers, "authorizeUrl" | "exchange" | "login" | "readable">;
  now?: () => number;
}

interface Session {
  login: string;
  token: string;
  expires: number;
}

const SESSION = "accord_session";
const SIGN_IN = "accord_signin";
const SESSION_HOURS = 8;
const DEFAULT_WINDOW = "30d";

interface Request {
  url: URL;
  secure: boolean;
  cookies: Record<string, string>;
}

type Reply = { status: number; headers?: Record<string, string | string[]>; body: string };

const htmlReply = (status: number, body: string, headers: Record<string, string | string[]> = {}): Reply => ({ status, headers: { "content-type": "text/html; charset=utf-8", ...headers }, body });
const redirect = (location: string, headers: Record<string, string | string[]> = {}): Reply => ({ status: 302, headers: { location, ...headers }, body: "" });

/** A plain page for when something is not there or not yours, always with a way back. */
function problem(status: number, title: string, message: Html, back: Crumb, login?: string): Reply {
  return htmlReply(status, page({ title, crumbs: [back, { label: title }], ...(login ? { login } : {}), body: html`<h1>${title}</h1><p>${message}</p><p><a href="${back.href ?? "/dashboard"}">Back to ${back.label}</a></p>` }));
}

/** A session cookie's value for `login` (benchmarks render as a signed-in person without GitHub). */
export function sessionCookieFor(secret: string, login: string, token: string, now = Date.now()): string {
  return `${SESSION}=${encodeURIComponent(new Sealer(secret).seal({ login, token, expires: now + SESSION_HOURS * 3_600_000 } satisfies Session))}`;
}

export function dashboardHandler(options: DashboardOptions) {
  const now = options.now ?? Date.now;
  const configured = Boolean(options.users || (options.clientId && options.clientSecret));
  const sealer = new Sealer(options.sessionSecret ?? options.clientSecret ?? "unconfigured");
  const users = options.users ?? (configured ? new GitHubUsers(options.endpoints, options.clientId!, options.clientSecret!, options.accessTtlMs) : undefined);
  const web = options.endpoints.web;

  const origin = (req: IncomingMessage, secure: boolean) => `${secure ? "https" : "http"}://${req.headers["x-forwarded-host"] ?? req.headers.host ?? "localhost"}`;

  async function route(req: IncomingMessage, request: Request): Promise<Reply> {
    const path = request.url.pathname.replace(/\/+$/, "") || "/dashboard";
    const root: Crumb = { label: "Dashboard", href: "/dashboard" };
    if (!users) {
      return problem(503, "Sign-in is not set up", html`The dashboard signs people in with the GitHub App's OAuth client. Set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (the setup page writes both into .env when it registers the app) and restart.`, root);
    }
    const redirectUri = `${origin(req, request.secure)}/dashboard/callback`;

    if (path === "/dashboard/login") {
      const next = safeNext(request.url.searchParams.get("next"));
      const state = randomBytes(18).toString("base64url");
      const ticket = sealer.seal({ state, next, expires: now() + 10 * 60_000 });
      return redirect(users.authorizeUrl(redirectUri, state), { "set-cookie": cookie(SIGN_IN, ticket, { maxAgeSeconds: 600, secure: request.secure }) });
    }
    if (path === "/dashboard/callback") {
      const ticket = sealer.unseal<{ state: string; next: string; expires: number }>(request.cookies[SIGN_IN] ?? "");
      const state = request.url.searchParams.get("state");
      const code = request.url.searchParams.get("code");
      if (!ticket || !state || ticket.state !== state || ticket.expires < now()) {
        return problem(403, "Sign-in did not match", html`This sign-in did not start here, or took too long. Nothing was signed in.`, root);
      }
      if (!code) return problem(403, "Sign-in was not completed", html`GitHub did not send back a sign-in${request.url.searchParams.get("error") ? ` (${request.url.searchParams.get("error")})` : ""}.`, root);
      const exchanged = await users.exchange(code, redirectUri);
      if ("error" in exchanged) return problem(403, "GitHub refused the sign-in", html`GitHub said: ${exchanged.error}.`, root);
      const login = await users.login(exchanged.token);
      const session: Session = { login, token: exchanged.token, expires: now() + SESSION_HOURS * 3_600_000 };
      return redirect(ticket.next, {
        "set-cookie": [cookie(SESSION, sealer.seal(session), { maxAgeSeconds: SESSION_HOURS * 3600, secure: request.secure }), cookie(SIGN_IN, "", { maxAgeSeconds: 0, secure: request.secure })],
      });
    }
    if (path === "/dashboard/logout") {
      return htmlReply(200, page({ title: "Signed out", crumbs: [root, { label: "Signed out" }], body: html`<h1>Signed out</h1><p><a href="/dashboard/login">Sign in again</a></p>` }), {
        "set-cookie": cookie(SESSION, "", { maxAgeSeconds: 0, secure: request.secure }),
      });
    }

    const signIn = () => redirect(`/dashboard/login?next=${encodeURIComponent(request.url.pathname + request.url.search)}`, { "set-cookie": cookie(SESSION, "", { maxAgeSeconds: 0, secure: request.secure }) });
    const sealed = request.cookies[SESSION];
    if (!sealed) return signIn();
    const session = sealer.unseal<Session>(sealed);
    if (!session) {
      return htmlReply(
        403,
        page({ title: "Sign-in not recognised", crumbs: [root, { label: "Sign-in not recognised" }], body: html`<h1>Your sign-in could not be verified</h1><p>The dashboard's cookie was changed or comes from another server, so nothing is shown. <a href="/dashboard/login?next=${encodeURIComponent(request.url.pathname)}">Sign in again</a>.</p>` }),
        { "set-cookie": cookie(SESSION, "", { maxAgeSeconds: 0, secure: request.secure }) },
      );
    }
    if (session.expires < now()) return signIn();
    let readable: Set<string>;
    try {
      readable = await users.readable(session.token);
    } catch (error) {
      if (error instanceof TokenExpired) return signIn();
      throw error;
    }

    const since = request.url.searchParams.get("since") ?? DEFAULT_WINDOW;
    const parsed = parseSince(since, now());
    const window: ReportWindow = "problem" in parsed ? (parseSince(DEFAULT_WINDOW, now()) as ReportWindow) : parsed;
    const windowNote = "problem" in parsed ? html`<p class="note" role="status">The window <code>${since}</code> could not be read (${parsed.problem}), so this shows the last 30 days.</p>` : raw("");
    const sinceQuery = "problem" in parsed ? DEFAULT_WINDOW : since;
    const view: ViewContext = { login: session.login, window, windowNote, since: sinceQuery, request, web, store: options.store };

    const parts = path.split("/").slice(2).map(decodeURIComponent);
    const recorded = await options.store.repositories();
    if (parts.length === 0) return home(view, recorded, readable);
    const owner = parts[0]!;
    const ownerRepos = recorded.filter((repo) => repo.toLowerCase().startsWith(`${owner.toLowerCase()}/`));
    if (ownerRepos.length === 0) return problem(404, "Not found", html`Accord has recorded nothing for ${owner}.`, root, session.login);
    const visible = ownerRepos.filter((repo) => readable.has(repo.toLowerCase()));
    const ownerCrumb: Crumb = { label: owner, href: `/dashboard/${encodeURIComponent(owner)}?since=${encodeURIComponent(sinceQuery)}` };
    if (parts.length === 1) {
      if (visible.length === 0) return problem(403, "Not yours to see", html`You cannot read any of ${owner}'s repositories that Accord records, so none is shown.`, root, session.login);
      return organizationView(view, owner, visible);
    }
    const repo = ownerRepos.find((name) => name.toLowerCase() === `${owner}/${parts[1]}`.toLowerCase());
    if (!repo) return problem(404, "Not found", html`Accord has recorded nothing for ${owner}/${parts[1]}.`, ownerCrumb, session.login);
    if (!readable.has(repo.toLowerCase())) return problem(403, "Not yours to see", html`You cannot read ${repo} on GitHub (or the app is not installed on it), so its figures are not shown.`, ownerCrumb, session.login);
    if (parts.length === 2) return repositoryView(view, repo, ownerCrumb);
    if (parts.length === 4 && parts[2] === "agreements") return agreementView(view, repo, parts[3]!, ownerCrumb);
    return problem(404, "Not found", html`There is no such page.`, ownerCrumb, session.login);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://dashboard.local");
    if (req.method !== "GET" || !(url.pathname === "/dashboard" || url.pathname.startsWith("/dashboard/"))) return false;
    const secure = req.headers["x-forwarded-proto"] === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
    let reply: Reply;
    try {
      reply = await route(req, { url, secure, cookies: readCookies(req.headers.cookie) });
    } catch {
      reply = problem(500, "Something went wrong", html`The dashboard could not read the record just now. Try again in a moment.`, { label: "Dashboard", href: "/dashboard" });
    }
    res.writeHead(reply.status, { "cache-control": "no-store", "x-content-type-options": "nosniff", "referrer-policy": "same-origin", ...reply.headers });
    res.end(reply.body);
    return true;
  };
}

/** Only paths on this dashboard: never an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/dashboard") && !next.startsWith("//") ? next : "/dashboard";
}

interface ViewContext {
  login: string;
  window: ReportWindow;
  windowNote: Html;
  since: string;
  request: Request;
  web: string;
  store: FrictionStore;
}

const WINDOWS = ["30d", "90d", "180d", "365d"];

function windowPicker(view: ViewContext, path: string): Html {
  return html`<p class="windows">Window: ${WINDOWS.map((w) => (w === view.since ? html`<strong aria-current="true">${w}</strong> ` : html`<a href="${path}?since=${w}">${w}</a> `))}</p>`;
}

const csvHref = (view: ViewContext, tableId: string) => {
  const url = new URL(view.request.url.href);
  url.searchParams.set("since", view.since);
  url.searchParams.set("format", "csv");
  url.searchParams.set("table", tableId);
  return `${url.pathname}${url.search}`;
};

/** Every table of a view, as rows; the page renders them, `?format=csv&table=ID` sends one. */
interface ViewTable {
  id: string;
  caption: string;
  head: { label: string; numeric?: boolean }[];
  rows: unknown[][];
  empty?: string;
}

function respond(view: ViewContext, title: string, crumbs: Crumb[], tables: ViewTable[], body: (t: (id: string) => Html) => Html): Reply {
  const wanted = view.request.url.searchParams.get("format") === "csv" ? view.request.url.searchParams.get("table") : null;
  if (wanted !== null) {
    const found = tables.find((t) => t.id === wanted);
    if (!found) return htmlReply(404, page({ title: "No such table", crumbs, login: view.login, body: html`<h1>No such table</h1><p>This page has the tables ${tables.map((t) => t.id).join(", ")}.</p>` }));
    const name = `${title.replace(/[^\w.-]+/g, "-")}-${found.id}-${view.since}.csv`.toLowerCase();
    return { status: 200, headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` }, body: csv(found.head.map((h) => h.label), found.rows) };
  }
  const render = (id: string) => {
    const t = tables.find((candidate) => candidate.id === id)!;
    return table({ caption: t.caption, csvHref: csvHref(view, t.id), head: t.head, rows: t.rows, ...(t.empty ? { empty: t.empty } : {}) });
  };
  return htmlReply(200, page({ title, crumbs, login: view.login, body: body(render) }));
}

const hours = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 3600) * 10) / 10);

function home(view: ViewContext, recorded: readonly string[], readable: Set<string>): Reply {
  const owners = new Map<string, number>();
  for (const repo of recorded) if (readable.has(repo.toLowerCase())) owners.set(repo.split("/")[0]!, (owners.get(repo.split("/")[0]!) ?? 0) + 1);
  if (owners.size === 1) return redirect(`/dashboard/${encodeURIComponent([...owners.keys()][0]!)}?since=${encodeURIComponent(view.since)}`);
  const body =
    owners.size === 0
      ? html`<h1>Nothing to show yet</h1><p>None of the repositories Accord records is one you can read on GitHub. Once the app checks pull requests in a repository you can read, its figures appear here.</p>`
      : html`<h1>Agreement health</h1><ul>${[...owners.entries()].map(([owner, n]) => html`<li><a href="/dashboard/${encodeURIComponent(owner)}?since=${view.since}">${owner}</a> (${n} ${n === 1 ? "repository" : "repositories"})</li>`)}</ul>`;
  return htmlReply(200, page({ title: "Dashboard", crumbs: [{ label: "Dashboard" }], login: view.login, body }));
}

const prLink = (view: ViewContext, repo: string, n: number) => html`<a href="${view.web}/${repo}/pull/${n}">#${n}</a>`;

async function organizationView(view: ViewContext, owner: string, repos: readonly string[]): Promise<Reply> {
  const report: OrganizationReport = await organizationReport(view.store, owner, view.window, repos);
  const base = `/dashboard/${encodeURIComponent(owner)}`;
  const friction = mostFriction(report);
  const agreementLink = (id: string, from: readonly { repo: string }[]) =>
    from[0] ? html`<a href="/dashboard/${from[0].repo.split("/").map(encodeURIComponent).join("/")}/agreements/${encodeURIComponent(id)}?since=${view.since}">${id}</a>` : html`${id}`;
  const repoLinks = (from: readonly { repo: string }[]) => raw(from.map((r) => html`<a href="/dashboard/${r.repo.split("/").map(encodeURIComponent).join("/")}?since=${view.since}">${r.repo}</a>`.value).join(", "));
  const tables: ViewTable[] = [
    {
      id: "agreements",
      caption: "Agreements, most friction first",
      head: [{ label: "Agreement" }, { label: "Title" }, { label: "Pull requests", numeric: true }, { label: "Not met", numeric: true }, { label: "Waived", numeric: true }, { label: "Waited for reviews", numeric: true }, { label: "From" }],
      rows: friction.map((a) => [agreementLink(a.id, a.repositories), a.title, a.pullRequests, a.unmetPullRequests, a.waivedPullRequests, a.heldPullRequests, repoLinks(a.repositories)]),
    },
    {
      id: "teams",
      caption: "Wait for a first review, per team (hours)",
      head: [{ label: "Team" }, { label: "Median", numeric: true }, { label: "90th percentile", numeric: true }, { label: "Reviewed", numeric: true }, { label: "Other teams' PRs: median", numeric: true }, { label: "Other teams' PRs reviewed", numeric: true }, { label: "Still waiting", numeric: true }, { label: "From" }],
      rows: report.teams.map((t) => [t.name, hours(t.medianSecondsToFirstReview), hours(t.p90SecondsToFirstReview), t.reviewed, hours(t.crossTeam.medianSecondsToFirstReview), t.crossTeam.reviewed, t.stillWaiting, repoLinks(t.repositories)]),
      empty: "No team was asked for a review in this window.",
    },
    {
      id: "suggestions",
      caption: "Suggestions, with every repository they come up in",
      head: [{ label: "Suggestion" }, { label: "Kind" }, { label: "Agreement or team" }, { label: "Repositories", numeric: true }, { label: "Where" }],
      rows: report.suggestions.map((s) => [s.headline, s.kind, s.agreementId ?? s.team ?? "", s.repositories.length, s.repositories.join(" ")]),
      empty: "No agreement stands out in this window.",
    },
    {
      id: "repositories",
      caption: "Repositories",
      head: [{ label: "Repository" }, { label: "Pull requests", numeric: true }, { label: "Evaluations", numeric: true }, { label: "Suggestions", numeric: true }],
      rows: report.repositories.map((r) => [html`<a href="/dashboard/${r.repo.split("/").map(encodeURIComponent).join("/")}?since=${view.since}">${r.repo}</a>`, r.pullRequests, r.evaluations, r.suggestions]),
    },
  ];
  return respond(view, owner, [{ label: "Dashboard", href: "/dashboard" }, { label: owner }], tables, (t) => html`
<h1>Agreement health for ${owner}</h1>
<p class="lead">Across ${report.repositories.length} ${report.repositories.length === 1 ? "repository" : "repositories"} you can read, over the last ${report.window.days} days.</p>
${view.windowNote}${windowPicker(view, base)}
<div class="figures"><div class="figure"><b>${report.pullRequests}</b>pull requests</div><div class="figure"><b>${report.evaluations}</b>evaluations</div><div class="figure"><b>${report.suggestions.length}</b>suggestions to renegotiate</div></div>
<h2>Agreements most often not met, waived or keeping pull requests waiting</h2>
<div class="chart">${raw(frictionChart(friction.map((a) => ({ id: a.id, unmet: a.unmetPullRequests, waived: a.waivedPullRequests }))))}</div>
${t("agreements")}
<h2>Each team's wait for a first review</h2>
<div class="chart">${raw(teamWaitChart(report.teams.map((team) => ({ name: team.name, medianHours: hours(team.medianSecondsToFirstReview), p90Hours: hours(team.p90SecondsToFirstReview) }))))}</div>
${t("teams")}
<h2>Worth renegotiating</h2>
${report.suggestions.length === 0 ? html`<p>No agreement stands out in this window.</p>` : report.suggestions.map((s) => html`<div class="suggestion"><p><strong>${prose(s.headline)}</strong> — <a href="/dashboard/${s.repo.split("/").map(encodeURIComponent).join("/")}?since=${view.since}">${s.repo}</a>${s.repositories.length > 1 ? html`, and the same in ${s.repositories.length - 1} more ${s.repositories.length === 2 ? "repository" : "repositories"}` : ""}</p><ul>${s.evidence.map((e) => html`<li>${prose(e)}</li>`)}</ul><p><em>To discuss:</em> ${prose(s.discuss)}</p></div>`)}
<details><summary>Every suggestion and where it comes up, as a table</summary>${t("suggestions")}</details>
<h2>Repositories</h2>
${t("repositories")}
`);
}

function agreementRows(view: ViewContext, repo: string, report: FrictionReport) {
  return report.agreements.map((a: AgreementHealth) => [
    html`<a href="/dashboard/${repo.split("/").map(encodeURIComponent).join("/")}/agreements/${encodeURIComponent(a.id)}?since=${view.since}">${a.id}</a>`,
    a.title,
    `${a.severity}${a.mode === "trial" ? ", trial" : ""}`,
    a.pullRequests,
    a.unmetPullRequests,
    percent(a.unmetShare),
    a.waivedPullRequests,
    a.metAfterUnmet > 0 ? duration(a.medianSecondsToMet) : "–",
    a.trend.direction,
  ]);
}

async function repositoryView(view: ViewContext, repo: string, ownerCrumb: Crumb): Promise<Reply> {
  const [data, weekly] = await Promise.all([view.store.reportData(repo, view.window), view.store.weeklyAgreements(repo, view.window)]);
  const report = buildReport(data);
  const path = `/dashboard/${repo.split("/").map(encodeURIComponent).join("/")}`;
  const top = [...report.agreements].filter((a) => a.pullRequests > 0).sort((a, b) => b.unmetPullRequests + b.waivedPullRequests - (a.unmetPullRequests + a.waivedPullRequests)).slice(0, 6);
  const tables: ViewTable[] = [
    {
      id: "agreements",
      caption: "Agreements",
      head: [{ label: "Agreement" }, { label: "Title" }, { label: "Kind" }, { label: "Pull requests", numeric: true }, { label: "Not met", numeric: true }, { label: "Share not met", numeric: true }, { label: "Waived", numeric: true }, { label: "Median to met" }, { label: "Trend" }],
      rows: agreementRows(view, repo, report),
    },
    {
      id: "weekly",
      caption: "Per week",
      head: [{ label: "Week" }, { label: "Agreement" }, { label: "Pull requests", numeric: true }, { label: "Not met", numeric: true }, { label: "Waived", numeric: true }],
      rows: weekly.map((w) => [w.week, w.agreementId, w.pullRequests, w.unmetPullRequests, w.waivedPullRequests]),
    },
    {
      id: "teams",
      caption: "Wait for a first review, per team (hours)",
      head: [{ label: "Team" }, { label: "Median", numeric: true }, { label: "90th percentile", numeric: true }, { label: "Reviewed", numeric: true }, { label: "Other teams' PRs: median", numeric: true }, { label: "Still waiting", numeric: true }],
      rows: report.teams.map((t) => [t.name, hours(t.medianSecondsToFirstReview), hours(t.p90SecondsToFirstReview), t.reviewed, hours(t.crossTeam.medianSecondsToFirstReview), t.stillWaiting]),
      empty: "No team was asked for a review in this window.",
    },
    {
      id: "paths",
      caption: "The paths most involved",
      head: [{ label: "Path" }, { label: "Pull requests", numeric: true }, { label: "Not met", numeric: true }],
      rows: report.paths.map((p) => [p.path, p.pullRequests, p.unmetPullRequests]),
    },
  ];
  return respond(view, repo, [{ label: "Dashboard", href: "/dashboard" }, ownerCrumb, { label: repo.split("/")[1]! }], tables, (t) => html`
<h1>${repo}</h1>
<p class="lead">Over the last ${report.window.days} days. <a href="${view.web}/${repo}">The repository on GitHub</a>.</p>
${view.windowNote}${windowPicker(view, path)}
<div class="figures"><div class="figure"><b>${report.pullRequests}</b>pull requests</div><div class="figure"><b>${report.evaluations}</b>evaluations</div><div class="figure"><b>${report.agreements.filter((a) => a.pullRequests > 0).length}</b>agreements applied</div></div>
<h2>Week by week</h2>
<div class="chart">${raw(weeklyTrendChart(weekly, top))}</div>
${t("agreements")}
<h2>Each team's wait for a first review</h2>
<div class="chart">${raw(teamWaitChart(report.teams.map((team) => ({ name: team.name, medianHours: hours(team.medianSecondsToFirstReview), p90Hours: hours(team.p90SecondsToFirstReview) }))))}</div>
${t("teams")}
<h2>The paths most involved</h2>
<div class="chart">${raw(pathsChart(report.paths))}</div>
${t("paths")}
<h2>Worth renegotiating</h2>
${report.suggestions.length === 0 ? html`<p>No agreement stands out in this window.</p>` : report.suggestions.map((s) => html`<div class="suggestion"><p><strong>${prose(s.headline)}</strong></p><ul>${s.evidence.map((e) => html`<li>${prose(e)}</li>`)}</ul><p><em>To discuss:</em> ${prose(s.discuss)}</p></div>`)}
<details><summary>Week by week, as a table</summary>${t("weekly")}</details>
`);
}

/** The versions of the file in which this agreement appeared, changed or went away. */
function amendmentsOf(versions: Awaited<ReturnType<FrictionStore["agreementVersions"]>>, id: string) {
  const out: { at: string; sha: string; change: "added" | "changed" | "removed" }[] = [];
  let previous: string | undefined;
  for (const version of versions) {
    const parsed = parseAgreements(version.text);
    if (!parsed.ok) continue;
    const found = parsed.file.agreements.find((a) => a.id === id);
    const definition = found ? JSON.stringify({ ...found, title: undefined, context: undefined }) : undefined;
    if (definition !== previous) {
      if (definition && previous === undefined) out.push({ at: version.firstSeenAt, sha: version.firstBaseSha, change: "added" });
      else if (definition && previous !== undefined) out.push({ at: version.firstSeenAt, sha: version.firstBaseSha, change: "changed" });
      else if (!definition && previous !== undefined) out.push({ at: version.firstSeenAt, sha: version.firstBaseSha, change: "removed" });
    }
    previous = definition;
  }
  return out;
}

async function agreementView(view: ViewContext, repo: string, id: string, ownerCrumb: Crumb): Promise<Reply> {
  const [data, weekly, held, versions] = await Promise.all([
    view.store.reportData(repo, view.window),
    view.store.weeklyAgreements(repo, view.window),
    view.store.heldLongest(repo, id, view.window, 10),
    view.store.agreementVersions(repo),
  ]);
  const report = buildReport(data);
  const repoPath = `/dashboard/${repo.split("/").map(encodeURIComponent).join("/")}`;
  const repoCrumb: Crumb = { label: repo.split("/")[1]!, href: `${repoPath}?since=${view.since}` };
  const agreement = report.agreements.find((a) => a.id === id);
  const known = agreement ?? (data.agreementInfo.some((a) => a.agreementId === id) ? undefined : null);
  if (known === null) return problem(404, "Not found", html`${repo} has no agreement ${id} in Accord's record.`, repoCrumb, view.login);
  const info = data.agreementInfo.find((a) => a.agreementId === id);
  const mine = weekly.filter((w) => w.agreementId === id);
  const latest = versions.at(-1);
  const parsedLatest = latest ? parseAgreements(latest.text) : undefined;
  const context = parsedLatest?.ok ? parsedLatest.file.agreements.find((a) => a.id === id)?.context : undefined;
  const tables: ViewTable[] = [
    {
      id: "weekly",
      caption: "Per week",
      head: [{ label: "Week" }, { label: "Pull requests", numeric: true }, { label: "Not met", numeric: true }, { label: "Waived", numeric: true }],
      rows: mine.map((w) => [w.week, w.pullRequests, w.unmetPullRequests, w.waivedPullRequests]),
    },
    {
      id: "waivers",
      caption: "Waivers and their reasons",
      head: [{ label: "Reason" }, { label: "Pull requests" }, { label: "Waived by" }],
      rows: (agreement?.waivers ?? []).map((w) => [w.reason, raw(w.pullRequests.map((n) => prLink(view, repo, n).value).join(", ")), w.by.join(", ")]),
      empty: "Nobody waived it in this window.",
    },
    {
      id: "held",
      caption: "The pull requests it held longest",
      head: [{ label: "Pull request" }, { label: "Title" }, { label: "Author" }, { label: "Held (hours)", numeric: true }, { label: "Outcome" }],
      rows: held.map((h) => [prLink(view, repo, h.number), h.title ?? "", h.author ?? "", hours(h.heldSeconds), h.metAt ? "met" : h.waived ? "waived" : h.lastOutcome === "pass" ? "met" : "not met yet"]),
      empty: "It held no pull request in this window.",
    },
    {
      id: "amendments",
      caption: "Amendments",
      head: [{ label: "First seen" }, { label: "Change" }, { label: "Base commit" }],
      rows: amendmentsOf(versions, id).map((a) => [a.at.slice(0, 10), a.change, html`<a href="${view.web}/${repo}/commit/${a.sha}">${a.sha.slice(0, 7)}</a>`]),
      empty: "Accord has seen no change to it.",
    },
  ];
  const title = agreement?.title ?? info?.title ?? id;
  return respond(view, `${repo} ${id}`, [{ label: "Dashboard", href: "/dashboard" }, ownerCrumb, repoCrumb, { label: id }], tables, (t) => html`
<h1>${title} <code>${id}</code></h1>
${context ? html`<blockquote>${context}</blockquote>` : raw("")}
${view.windowNote}${windowPicker(view, `${repoPath}/agreements/${encodeURIComponent(id)}`)}
<div class="figures"><div class="figure"><b>${agreement?.pullRequests ?? 0}</b>pull requests</div><div class="figure"><b>${agreement?.unmetPullRequests ?? 0}</b>not met (${percent(agreement?.unmetShare ?? null)})</div><div class="figure"><b>${agreement?.waivedPullRequests ?? 0}</b>waived</div><div class="figure"><b>${agreement && agreement.metAfterUnmet > 0 ? duration(agreement.medianSecondsToMet) : "–"}</b>median from not met to met</div></div>
<h2>History</h2>
<div class="chart">${raw(weeklyTrendChart(mine, [{ id, title }]))}</div>
${t("weekly")}
<h2>Waivers</h2>
${t("waivers")}
<h2>Pull requests it held longest</h2>
${t("held")}
<h2>Amendments</h2>
${t("amendments")}
`);
}
