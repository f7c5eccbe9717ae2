/**
 * One team's suggestions for one pull request: filter the members, rank the rest,
 * keep the first `count`. The glue the app and the CLI call; still pure.
 */
import { type CandidateFilterInput, type ExcludedMember, filterCandidates } from "./candidates.js";
import type { ReviewHistory } from "./history.js";
import { type RankedReviewer, type RankOptionsOverride, rankReviewers } from "./rank.js";

export interface TeamSuggestionInput extends CandidateFilterInput {
  /** Stable key of the pull request, e.g. "owner/repo#123". */
  prKey: string;
  paths: readonly string[];
  history: ReviewHistory;
  /** Open review requests per login. */
  load?: ReadonlyMap<string, number>;
  now: Date | number | string;
  /** `settings.reviewers.suggest`; 0 turns suggestions off. */
  count: number;
  options?: RankOptionsOverride;
}

export interface TeamSuggestions {
  suggestions: RankedReviewer[];
  /** Members left out before ranking, and why. */
  removed: ExcludedMember[];
}

export function suggestForTeam(input: TeamSuggestionInput): TeamSuggestions {
  const { kept, removed } = filterCandidates(input);
  if (input.count <= 0 || kept.length === 0) return { suggestions: [], removed };
  const ranked = rankReviewers({
    prKey: input.prKey,
    author: input.author,
    paths: input.paths,
    candidates: kept,
    history: input.history,
    now: input.now,
    explain: input.count,
    ...(input.load ? { load: input.load } : {}),
    ...(input.options ? { options: input.options } : {}),
  });
  return { suggestions: ranked.slice(0, input.count), removed };
}
