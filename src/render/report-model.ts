/** What every front door renders: the evaluation plus what the adapter learned around it. */
import type { ConfigProblem } from "../agreement/parse.js";
import type { AgreementResult, Conclusion, Evaluation, Outcome } from "../engine/result.js";
import type { FrontDoor } from "./how-to.js";

export interface ReviewerSuggestion {
  login: string;
  /** A short reason shown beside the name, e.g. "reviewed 6 changes under pipelines/ this quarter". */
  reason?: string;
}

/** What a proposed version of the agreement file would do (SPEC §1.4). */
export interface AmendmentPreview {
  problems: ConfigProblem[];
  /** The proposed version's verdict on this PR, when it is valid. */
  evaluation?: Evaluation;
  /** Replay over recent PRs, per agreement that was added, removed or changed. */
  replay?: AmendmentReplayRow[];
  replayedPullRequests?: number;
  /** Why part of the preview is missing (e.g. it took too long), in plain words. */
  note?: string;
}

/** Recorded pull requests an agreement would block (fail), hold (wait for review), or could not be judged on (facts not recorded). */
export interface ReplayCounts {
  blocked: number;
  held: number;
  unknown: number;
}

export interface AmendmentReplayRow {
  id: string;
  change: "added" | "removed" | "changed";
  base: ReplayCounts;
  proposed: ReplayCounts;
}

export interface RenderInput {
  evaluation: Evaluation;
  /** Team display names by key. */
  teamNames: Record<string, string>;
  suggestions?: Record<string, ReviewerSuggestion[]>;
  /** Plain-words notes for the reader (e.g. team membership could not be read). */
  notices?: string[];
  amendment?: AmendmentPreview;
  /** Who reads it, so "how to get there" uses that front door's words (default: GitHub for markdown, the CLI for text). */
  door?: FrontDoor;
}

export const OUTCOME_ICON: Record<Outcome, string> = {
  pass: "✅",
  fail: "❌",
  waiting: "⏳",
  waived: "🤝",
  skipped: "➖",
  error: "⚠️",
};

export const OUTCOME_WORDS: Record<Outcome, string> = {
  pass: "met",
  fail: "not met yet",
  waiting: "waiting for review",
  waived: "waived",
  skipped: "does not apply",
  error: "could not be checked",
};

export const CONCLUSION_WORDS: Record<Conclusion, string> = {
  success: "All agreements are met",
  failure: "Some agreements are not met yet",
  waiting: "Waiting for reviews",
  neutral: "Met, with advice",
};

/** The agreements that stand between the PR and green, most blocking first. */
export function attentionOrder(agreements: readonly AgreementResult[]): AgreementResult[] {
  const rank = (a: AgreementResult) =>
    (a.mode === "trial" ? 10 : 0) + (a.severity === "advisory" ? 5 : 0) + ({ fail: 0, error: 1, waiting: 2 } as Record<string, number>)[a.outcome]!;
  return agreements.filter((a) => a.outcome === "fail" || a.outcome === "error" || a.outcome === "waiting").sort((a, b) => rank(a) - rank(b));
}
