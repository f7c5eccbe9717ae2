/**
 * What a proposed agreement file would do (SPEC §1.4): its problems, its verdict on this pull
 * request, and its replay over recently recorded ones. Pure, so the app can run it in a worker
 * with a time and memory limit: the proposed text comes from the PR's head, which anyone who
 * can open a pull request (a fork too) controls.
 */
import { parseAgreements } from "../agreement/parse.js";
import { evaluate } from "../engine/evaluate.js";
import type { PullRequestFacts, Waiver } from "../engine/facts.js";
import type { AmendmentPreview } from "../render/report-model.js";
import { replayAmendment } from "./replay.js";

export interface AmendmentPreviewInput {
  proposed: { path: string; text: string } | null;
  base: { path: string; text: string };
  facts: PullRequestFacts;
  waivers: Waiver[];
  /** Recent recorded pull requests to replay over; absent without a friction record. */
  recent?: PullRequestFacts[];
}

export function computeAmendmentPreview(input: AmendmentPreviewInput): AmendmentPreview {
  if (!input.proposed) return { problems: [] };
  const proposed = parseAgreements(input.proposed.text, input.proposed.path);
  if (!proposed.ok) return { problems: proposed.problems };
  const preview: AmendmentPreview = { problems: [], evaluation: evaluate(proposed.file, input.facts, { waivers: input.waivers }) };
  const base = parseAgreements(input.base.text, input.base.path);
  if (input.recent && base.ok) {
    const replay = replayAmendment(base.file, proposed.file, input.recent);
    if (replay.rows.length > 0) {
      preview.replay = replay.rows;
      preview.replayedPullRequests = replay.replayed;
    }
  }
  return preview;
}
