/** The friction report (SPEC §3): what every renderer shows, as plain data (also the JSON format). */

export type TrendDirection = "more-often" | "less-often" | "steady" | "new" | "quiet";

export interface WaiverReason {
  /** The reason as first written. */
  reason: string;
  /** Pull requests it was given on, each once. */
  pullRequests: number[];
  by: string[];
}

export interface AgreementHealth {
  id: string;
  title: string;
  severity: "required" | "advisory";
  mode: "enforce" | "trial";
  /** Pull requests the agreement first applied to in the window. */
  pullRequests: number;
  evaluations: number;
  /** Of those, where it was ever not met (fail, waiting or error, before waivers). */
  unmetPullRequests: number;
  unmetShare: number | null;
  /** Of those, PRs where it failed or errored, and PRs where it waited for approvals (a PR can be both). */
  failedPullRequests: number;
  heldPullRequests: number;
  waivedPullRequests: number;
  waivers: WaiverReason[];
  /** Median time from first not met to met, over the PRs that got there. */
  medianSecondsToMet: number | null;
  metAfterUnmet: number;
  trend: {
    direction: TrendDirection;
    previousPullRequests: number;
    previousUnmetPullRequests: number;
    previousUnmetShare: number | null;
  };
  /** Trial agreements only: what enforcing it would have done. */
  wouldHaveBlocked?: number;
  wouldHaveHeld?: number;
}

export interface TeamHealth {
  team: string;
  name: string;
  /** Pull requests where the team was asked (or needed) and has reviewed. */
  reviewed: number;
  medianSecondsToFirstReview: number | null;
  p90SecondsToFirstReview: number | null;
  longestSecondsToFirstReview: number | null;
  /** Open PRs still without a review from the team, and the longest of those waits so far. */
  stillWaiting: number;
  longestOpenWaitSeconds: number | null;
  /** The same, on pull requests authored outside the team. */
  crossTeam: { reviewed: number; medianSecondsToFirstReview: number | null; stillWaiting: number };
  /** Agreements that needed the team, most often first. */
  neededBy: { id: string; pullRequests: number }[];
}

export interface PathFriction {
  path: string;
  pullRequests: number;
  unmetPullRequests: number;
}

export type SuggestionKind = "often-waived" | "repeated-reason" | "long-wait" | "trial" | "retire";

export interface Suggestion {
  kind: SuggestionKind;
  agreementId?: string;
  team?: string;
  /** One line saying what the data shows. */
  headline: string;
  /** The figures behind it, in words. */
  evidence: string[];
  /** What the teams might talk about; never who is at fault. */
  discuss: string;
  /** The same figures as numbers, for machines. */
  figures: Record<string, number | string | null>;
}

export interface FrictionReport {
  repo: string;
  window: { since: string; until: string; days: number };
  previousWindow: { since: string; until: string };
  pullRequests: number;
  evaluations: number;
  agreements: AgreementHealth[];
  teams: TeamHealth[];
  paths: PathFriction[];
  suggestions: Suggestion[];
}
