export { evaluate, type EvaluateOptions } from "./evaluate.js";
export { contentNeeds, type ContentNeeds } from "./needs.js";
export { changesAgreementFile } from "./amendment.js";
export { conclude, isUnmet } from "./outcome.js";
export { currentApprovers } from "./requirements/approvals.js";
export type * from "./facts.js";
export type * from "./result.js";
export { mayUnwaive, mayWaive, waiverTeams, waiversInForce, type WaiverDecision } from "./waivers.js";
