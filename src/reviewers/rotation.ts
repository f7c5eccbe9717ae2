/**
 * Who goes first. Expertise decides who is in the strong group at the top; inside
 * it, first place goes to the least loaded regular reviewer, and equal loads are
 * settled by a turn drawn from the PR key (different PRs, different turns; the same
 * PR, the same turn). Only the first place moves: the strong group stays at the
 * top, so the people most likely to review are still all suggested.
 *
 * Why "regular": someone who reviews rarely has no open reviews because they are
 * seldom asked, not because they have room; rotating first place to them would push
 * the review onto the person least likely to pick it up soon. They still appear in
 * their expertise place.
 */
import { hashString } from "./seeded.js";

export interface RotationOptions {
  /** First place may go to any of the best `poolSize` by expertise... */
  poolSize: number;
  /** ...whose expertise is at least this share of the best score... */
  poolShare: number;
  /** ...and who did at least this share of the candidates' reviews in the last `regularDays` (a regular reviewer). */
  regularShare: number;
  regularDays: number;
}

// Tuned on golang/tools history (see docs/reviewers.md).
export const DEFAULT_ROTATION: RotationOptions = { poolSize: 3, poolShare: 0.05, regularShare: 0.03, regularDays: 180 };

export interface RotationEntry {
  login: string;
  /** Expertise score; entries arrive sorted by it, best first. */
  score: number;
  /** Open review requests (or the evaluation's stand-in). */
  load: number;
  /** Share of the candidates' recent reviews, 0..1. */
  reviewShare: number;
}

/** A per-PR, per-person turn: stable for the same PR, shuffled across PRs. */
export function rotationTurn(prKey: string, login: string): number {
  return hashString(`${prKey}\u0000${login.toLowerCase()}`);
}

/**
 * Returns the entries with the chosen first place moved to the front; the others
 * keep their order. Unchanged when nobody in the strong group is a regular reviewer.
 */
export function rotateFirstPlace<T extends RotationEntry>(ranked: readonly T[], prKey: string, options: RotationOptions): T[] {
  const leader = ranked[0];
  if (!leader) return [];
  const pool = ranked
    .slice(0, Math.max(1, options.poolSize))
    .filter((entry) => entry.score >= options.poolShare * leader.score && entry.reviewShare >= options.regularShare);
  const first = pool
    .map((entry) => ({ entry, turn: rotationTurn(prKey, entry.login) }))
    .sort((a, b) => a.entry.load - b.entry.load || a.turn - b.turn)[0]?.entry;
  if (!first || first === leader) return [...ranked];
  return [first, ...ranked.filter((entry) => entry !== first)];
}
