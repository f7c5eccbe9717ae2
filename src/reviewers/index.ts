/** Public API of reviewer suggestions: filter, history index, ranking, team glue. */
export { filterCandidates, isBot } from "./candidates.js";
export type {
  CandidateFilterInput,
  CandidateFilterResult,
  ExcludedMember,
  ExclusionReason,
  TeamMember,
} from "./candidates.js";
export { ReviewHistory, toMillis } from "./history.js";
export type { ChangeRecord, PersonActivity, TimeWindow } from "./history.js";
export { DEFAULT_RANK_OPTIONS, rankReviewers, resolveRankOptions, uniqueByLowerCase } from "./rank.js";
export type { RankedReviewer, RankInput, RankOptions, RankOptionsOverride } from "./rank.js";
export type { ExpertiseBreakdown, ExpertiseOptions, ExpertiseWeights } from "./expertise.js";
export type { RotationOptions } from "./rotation.js";
export { describeReason, openReviewsPhrase } from "./reason.js";
export type { ReasonQuery } from "./reason.js";
export { suggestForTeam } from "./suggest.js";
export type { TeamSuggestionInput, TeamSuggestions } from "./suggest.js";
export { teamsStillNeeded } from "./needed-teams.js";
export type { NeededTeam } from "./needed-teams.js";
