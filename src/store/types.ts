/**
 * The friction record (SPEC §3): what Accord remembers about pull requests, one interface over
 * SQLite and PostgreSQL. Every method is async, even on SQLite, so callers never care which.
 */
import type { PullRequestFacts, ReviewState, Waiver } from "../engine/facts.js";
import type { Evaluation, Outcome } from "../engine/result.js";

/** A time: a Date, an ISO string, or epoch milliseconds. Omitted means "now". */
export type EventTime = Date | string | number;

export type StoreKind = "sqlite" | "postgres";

export type PullRequestEventKind = "opened" | "reopened" | "ready_for_review" | "converted_to_draft" | "closed" | "merged";

interface EventBase {
  /** `owner/name`. */
  repo: string;
  number: number;
  at?: EventTime;
  /**
   * The webhook delivery this event came from. With it, recording the same event twice (a
   * redelivery, or two instances racing) is a no-op guaranteed by a unique constraint.
   */
  deliveryId?: string;
}

export interface PullRequestEvent extends EventBase {
  kind: PullRequestEventKind;
  title?: string;
  author?: string;
  baseBranch?: string;
}

export interface EvaluationEvent extends EventBase {
  headSha: string;
  evaluation: Evaluation;
  /**
   * The facts the evaluation judged. Kept (compactly, latest per PR) so amendments can be
   * replayed later, and to know the author's and reviewers' teams.
   */
  facts?: PullRequestFacts;
  /** The agreement file the evaluation used (the base version); stored once per distinct text. */
  agreementFile?: { baseSha: string; text: string };
}

export interface WaiverEvent extends EventBase {
  agreementId: string;
  by: string;
  reason: string;
}

export interface UnwaiverEvent extends EventBase {
  agreementId: string;
  by: string;
}

export interface ReviewRequestEvent extends EventBase {
  /** Who asked (a login; Accord's own bot login when it requested the review itself). */
  requester: string;
  /** Whom: a login, or a team slug when a whole team was requested. */
  reviewer: string;
  /** The agreement teams (keys) this request is for. Default: the teams `reviewer` belongs to in the PR's latest facts. */
  reviewerTeams?: string[];
  /** 1-based rank when the reviewer was one of Accord's suggestions; absent otherwise. */
  suggestionRank?: number;
}

export interface ReviewEvent extends EventBase {
  reviewer: string;
  state: ReviewState;
  /** The reviewer's agreement teams (keys). Default: taken from the PR's latest facts. */
  reviewerTeams?: string[];
  /** GitHub's review id, when known. */
  reviewId?: number;
}

export interface AgreementVersion {
  repo: string;
  baseSha: string;
  text: string;
  at?: EventTime;
}

/** A report window: [since, until). */
export interface TimeWindow {
  since: Date;
  until: Date;
}

/** Per agreement, over the pull requests the agreement first applied to within a window. */
export interface AgreementAggregate {
  agreementId: string;
  /** Pull requests in scope (the agreement applied to them at least once). */
  pullRequests: number;
  evaluations: number;
  unmetEvaluations: number;
  /** Pull requests where it was ever unmet (fail, waiting or error before any waiver). */
  unmetPullRequests: number;
  /** Pull requests where a waiver covered it. */
  waivedPullRequests: number;
  /** Pull requests where it ever failed or errored (before any waiver). */
  failedPullRequests: number;
  /** Pull requests where it ever waited for approvals (before any waiver). */
  heldPullRequests: number;
  /** Of those, while the agreement was a required trial one: what enforcing it would have done. */
  trialBlockedPullRequests: number;
  trialHeldPullRequests: number;
  /** Pull requests where it went from unmet to met. */
  metAfterUnmet: number;
}

/** The counts of an AgreementAggregate, in the order the store sums them. */
export const AGGREGATE_FIELDS = [
  "pullRequests",
  "evaluations",
  "unmetEvaluations",
  "unmetPullRequests",
  "waivedPullRequests",
  "failedPullRequests",
  "heldPullRequests",
  "trialBlockedPullRequests",
  "trialHeldPullRequests",
  "metAfterUnmet",
] as const satisfies readonly (keyof AgreementAggregate)[];

export interface AgreementInfo {
  agreementId: string;
  title: string;
  severity: "required" | "advisory";
  mode: "enforce" | "trial";
  firstSeenAt: string;
  lastSeenAt: string;
  lastAppliedAt: string | null;
  lastUnmetAt: string | null;
}

export interface WaiverRow {
  agreementId: string;
  number: number;
  by: string;
  reason: string;
  at: string;
}

/** A team's first review on a PR, `seconds` after its wait started (the review request, else the PR first needing the team). */
export interface TeamReviewRow {
  team: string;
  /** The PR's author is not in the team. */
  crossTeam: boolean;
  seconds: number;
}

/** A PR still without a first review from a team it asked or needed. */
export interface TeamOpenRow {
  team: string;
  crossTeam: boolean;
  number: number;
  startedAt: string;
  /** The PR was closed by the end of the window (so the review is no longer awaited). */
  closed: boolean;
}

export interface TeamNeedRow {
  team: string;
  /** The agreements that needed the team on these PRs. */
  agreements: string[];
  pullRequests: number;
}

export interface PathAggregate {
  /** A top directory (at most two levels), "." for files at the root. */
  path: string;
  pullRequests: number;
  unmetPullRequests: number;
}

/** What the report is built from: aggregated rows for one repository and window, plus the previous window's. */
export interface ReportData {
  repo: string;
  window: { since: string; until: string };
  previousWindow: { since: string; until: string };
  evaluations: number;
  /** Pull requests evaluated at least once in the window. */
  pullRequests: number;
  agreements: AgreementAggregate[];
  previousAgreements: AgreementAggregate[];
  /** Every agreement ever recorded for the repository, latest title, severity and mode. */
  agreementInfo: AgreementInfo[];
  /** Seconds from first unmet to met, per agreement, for pull requests in the window. */
  unmetToMetSeconds: Record<string, number[]>;
  waivers: WaiverRow[];
  teamNames: Record<string, string>;
  /** Waits that started in the window: answered ones, open ones, and which agreements asked. */
  teamReviews: TeamReviewRow[];
  teamOpen: TeamOpenRow[];
  teamNeeds: TeamNeedRow[];
  paths: PathAggregate[];
  /** Pull requests in scope in the 90 days before `until`, per agreement (for retirement candidates). */
  inScopeLast90Days: Record<string, number>;
}

/** A report's data with nothing recorded yet: the start of every report, and what an unknown repository gets. */
export function emptyReportData(repo: string, window: ReportData["window"], previousWindow: ReportData["previousWindow"]): ReportData {
  return {
    repo,
    window,
    previousWindow,
    evaluations: 0,
    pullRequests: 0,
    agreements: [],
    previousAgreements: [],
    agreementInfo: [],
    unmetToMetSeconds: {},
    waivers: [],
    teamNames: {},
    teamReviews: [],
    teamOpen: [],
    teamNeeds: [],
    paths: [],
    inScopeLast90Days: {},
  };
}

/** What the store knows about one pull request. */
export interface RecordedPullRequest {
  repo: string;
  number: number;
  title: string | null;
  author: string | null;
  baseBranch: string | null;
  openedAt: string | null;
  readyAt: string | null;
  closedAt: string | null;
  mergedAt: string | null;
  evaluations: number;
  firstEvaluatedAt: string | null;
  lastEvaluatedAt: string | null;
}

/** One recorded evaluation, as kept (skipped agreements included, with outcome `skipped`). */
export interface RecordedEvaluation {
  headSha: string;
  at: string;
  conclusion: "success" | "failure" | "waiting" | "neutral";
  agreements: RecordedAgreementResult[];
}

/** One agreement's result as the store keeps it. */
export interface RecordedAgreementResult {
  id: string;
  outcome: Outcome;
  unwaived: Outcome;
  severity: "required" | "advisory";
  mode: "enforce" | "trial";
  /** Teams whose approvals were still missing. */
  pending: string[];
  /** Top directories of the changed paths it looked at. */
  dirs: string[];
}

export interface StoredAgreementVersion {
  repo: string;
  hash: string;
  text: string;
  firstBaseSha: string;
  firstSeenAt: string;
  lastBaseSha: string;
  lastSeenAt: string;
}

export interface RecentFactsOptions {
  /** Leave this pull request out (e.g. the amendment PR itself). */
  excludeNumber?: number;
}

/** A recorded pull request that was approved: who wrote it, who approved it, which files it changed. */
export interface RecordedApproval {
  number: number;
  author: string | null;
  /** Time of the latest approval (ms since epoch). */
  at: number;
  reviewers: string[];
  paths: string[];
}

/** One week of one agreement: pull requests it first applied to, those where it was not met, those where it was waived. */
export interface WeeklyAgreementRow {
  /** The week's first day, as an ISO date. */
  week: string;
  agreementId: string;
  pullRequests: number;
  unmetPullRequests: number;
  waivedPullRequests: number;
}

/** A pull request an agreement held: from first not met to met (or until now, still unmet). */
export interface HeldPullRequest {
  number: number;
  title: string | null;
  author: string | null;
  firstUnmetAt: string;
  metAt: string | null;
  heldSeconds: number;
  waived: boolean;
  lastOutcome: string;
}

export interface FrictionStore {
  readonly kind: StoreKind;
  /** True only the first time this delivery id is claimed, across every instance sharing the database. */
  claimDelivery(id: string): Promise<boolean>;
  /** Gives a claim back (handling failed before anything was recorded), so a redelivery is handled. */
  releaseDelivery(id: string): Promise<void>;
  /**
   * Runs `fn` while holding this pull request's lock: across instances on PostgreSQL (an
   * advisory lock), within the process on SQLite. Events recorded inside are committed as they
   * are recorded, so a later failure (e.g. writing to GitHub) loses none of them.
   */
  withPullRequestLock<T>(repo: string, number: number, fn: () => Promise<T>): Promise<T>;

  /**
   * Ties a repository's record to GitHub's id for it and its current name: after a rename or a
   * change of case, the history stays one and is shown under the new name. Names are matched
   * without regard to case everywhere else.
   */
  identifyRepository(githubId: number, name: string): Promise<void>;
  /** The pull request most recently evaluated at this head commit, if any. */
  pullRequestForHead(repo: string, headSha: string): Promise<number | undefined>;

  recordPullRequestEvent(event: PullRequestEvent): Promise<boolean>;
  /** False when this delivery's evaluation was already recorded. */
  recordEvaluation(event: EvaluationEvent): Promise<boolean>;
  recordWaiver(event: WaiverEvent): Promise<boolean>;
  recordUnwaiver(event: UnwaiverEvent): Promise<boolean>;
  /** The waivers in force on a pull request: the latest waive per agreement not followed by an unwaive. */
  activeWaivers(repo: string, number: number): Promise<Waiver[]>;
  recordReviewRequest(event: ReviewRequestEvent): Promise<boolean>;
  recordReview(event: ReviewEvent): Promise<boolean>;
  /** Stores the text once per repository and hash; returns the hash (sha256, hex). */
  recordAgreementVersion(version: AgreementVersion): Promise<string>;

  pullRequest(repo: string, number: number): Promise<RecordedPullRequest | undefined>;
  /** A pull request's evaluations, oldest first. */
  evaluationHistory(repo: string, number: number): Promise<RecordedEvaluation[]>;
  /** A stored version of the agreement file by its hash, or the latest one seen when `hash` is omitted. */
  agreementVersion(repo: string, hash?: string): Promise<StoredAgreementVersion | undefined>;
  /** The latest recorded facts of the most recently recorded pull requests, newest first. */
  recentPullRequestFacts(repo: string, limit?: number, options?: RecentFactsOptions): Promise<PullRequestFacts[]>;
  /** Approved pull requests since a time, newest first, for reviewer suggestions' history. */
  recentApprovals(repo: string, since: number, limit?: number): Promise<RecordedApproval[]>;
  /** Repositories with anything recorded, sorted. */
  repositories(): Promise<string[]>;
  reportData(repo: string, window: TimeWindow): Promise<ReportData>;
  /** `reportData` of several repositories at once, in the given order (the organisation view). */
  reportDataMany(repos: readonly string[], window: TimeWindow): Promise<ReportData[]>;
  /** Per week and agreement, for the dashboard's trend charts. */
  weeklyAgreements(repo: string, window: TimeWindow): Promise<WeeklyAgreementRow[]>;
  /** The pull requests an agreement held longest among those it first applied to in the window. */
  heldLongest(repo: string, agreementId: string, window: TimeWindow, limit?: number): Promise<HeldPullRequest[]>;
  /** Every stored version of the agreement file, oldest first (amendments). */
  agreementVersions(repo: string): Promise<StoredAgreementVersion[]>;

  close(): Promise<void>;
}
