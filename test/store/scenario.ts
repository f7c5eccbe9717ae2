/** A small, hand-checkable history of one repository, applied through the live store or the bulk loader. */
import type { Waiver } from "../../src/engine/facts.js";
import type { SqlStore } from "../../src/store/index.js";
import type { EvaluationEvent, PullRequestEvent, ReviewEvent, ReviewRequestEvent, UnwaiverEvent, WaiverEvent } from "../../src/store/types.js";
import { AGREEMENTS_YAML, approved, changed, DAY, evaluated, facts, HOUR, NOW } from "./helpers.js";

export const REPO = "acme/ml";

export type Step =
  | { kind: "pr"; event: PullRequestEvent }
  | { kind: "evaluation"; event: EvaluationEvent }
  | { kind: "waiver"; event: WaiverEvent }
  | { kind: "unwaiver"; event: UnwaiverEvent }
  | { kind: "request"; event: ReviewRequestEvent }
  | { kind: "review"; event: ReviewEvent };

const agreementFile = { baseSha: "b".repeat(40), text: AGREEMENTS_YAML };

/**
 * - #1 (20 days ago): a pipeline change waits for both teams; Carol is requested (suggestion 1),
 *   approves 5 h later, Bob a day later; met after 24 h; merged.
 * - #2 (10 days ago): a pickle and an unconventional title; `no-pickles` waived ("Hotfix: model needed now."),
 *   the trial title agreement would have blocked it.
 * - #3 (5 days ago): a notebook with outputs; waived ("hotfix - model needed now"), unwaived, still failing.
 * - #4 (40 days ago, previous window): a pipeline change that waited and was closed unreviewed.
 */
export function scenario(now: number = NOW): Step[] {
  const at = (days: number, hours = 0) => new Date(now - days * DAY + hours * HOUR).toISOString();
  const steps: Step[] = [];
  const evaluation = (number: number, when: string, f: ReturnType<typeof facts>, deliveryId: string, waivers: Waiver[] = []) =>
    steps.push({
      kind: "evaluation",
      event: { repo: REPO, number, headSha: `${number}`.padStart(40, "0"), at: when, deliveryId, evaluation: evaluated(f, waivers), facts: f, agreementFile },
    });

  // #4, previous window
  const f4 = facts({ title: "feat: old pipeline", author: "carol", files: [changed("pipelines/etl/old.py")] });
  steps.push({ kind: "pr", event: { repo: REPO, number: 4, kind: "opened", at: at(40), author: "carol", title: f4.title, deliveryId: "d4-open" } });
  evaluation(4, at(40), f4, "d4-e1");
  steps.push({ kind: "pr", event: { repo: REPO, number: 4, kind: "closed", at: at(38), deliveryId: "d4-close" } });

  // #1
  const f1 = facts({ title: "feat: faster training", files: [changed("pipelines/train/a.py"), changed("pipelines/train/b.py")] });
  steps.push({ kind: "pr", event: { repo: REPO, number: 1, kind: "opened", at: at(20), author: "alice", title: f1.title, baseBranch: "main", deliveryId: "d1-open" } });
  evaluation(1, at(20), f1, "d1-e1");
  steps.push({ kind: "request", event: { repo: REPO, number: 1, requester: "alice", reviewer: "carol", suggestionRank: 1, at: at(20, 1), deliveryId: "d1-req" } });
  steps.push({ kind: "review", event: { repo: REPO, number: 1, reviewer: "carol", state: "APPROVED", at: at(20, 6), deliveryId: "d1-rev1", reviewId: 11 } });
  evaluation(1, at(20, 6), { ...f1, reviews: [approved("carol")] }, "d1-e2");
  steps.push({ kind: "review", event: { repo: REPO, number: 1, reviewer: "bob", state: "APPROVED", at: at(19), deliveryId: "d1-rev2", reviewId: 12 } });
  evaluation(1, at(19), { ...f1, reviews: [approved("carol"), approved("bob")] }, "d1-e3");
  steps.push({ kind: "pr", event: { repo: REPO, number: 1, kind: "merged", at: at(19, 1), deliveryId: "d1-merge" } });

  // #2
  const f2 = facts({ title: "update model", author: "bob", files: [changed("models/churn/model.pkl", "added"), changed("models/churn/train.py")] });
  steps.push({ kind: "pr", event: { repo: REPO, number: 2, kind: "opened", at: at(10), author: "bob", title: f2.title, deliveryId: "d2-open" } });
  evaluation(2, at(10), f2, "d2-e1");
  const waiver2: Waiver = { agreementId: "no-pickles", by: "carol", reason: "Hotfix: model needed now.", at: at(10, 2) };
  steps.push({ kind: "waiver", event: { repo: REPO, number: 2, agreementId: "no-pickles", by: "carol", reason: waiver2.reason, at: at(10, 2), deliveryId: "d2-waive" } });
  evaluation(2, at(10, 2), f2, "d2-e2", [waiver2]);

  // #3
  const notebook = JSON.stringify({ cells: [{ outputs: [{ text: "hi" }], execution_count: 3 }, { outputs: [], execution_count: null }] });
  const f3 = facts({ title: "docs: notebook", files: [changed("notebooks/eda/x.ipynb", "added")], notebooks: { "notebooks/eda/x.ipynb": notebook } });
  steps.push({ kind: "pr", event: { repo: REPO, number: 3, kind: "opened", at: at(5), author: "alice", title: f3.title, deliveryId: "d3-open" } });
  steps.push({ kind: "pr", event: { repo: REPO, number: 3, kind: "ready_for_review", at: at(5, 1), deliveryId: "d3-ready" } });
  evaluation(3, at(5, 1), f3, "d3-e1");
  const waiver3: Waiver = { agreementId: "notebooks-cleared", by: "carol", reason: "hotfix - model needed now", at: at(5, 2) };
  steps.push({ kind: "waiver", event: { repo: REPO, number: 3, agreementId: "notebooks-cleared", by: "carol", reason: waiver3.reason, at: at(5, 2), deliveryId: "d3-waive" } });
  evaluation(3, at(5, 2), f3, "d3-e2", [waiver3]);
  steps.push({ kind: "unwaiver", event: { repo: REPO, number: 3, agreementId: "notebooks-cleared", by: "dave", at: at(5, 3), deliveryId: "d3-unwaive" } });
  evaluation(3, at(5, 3), f3, "d3-e3");
  return steps;
}

export async function applyLive(store: SqlStore, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    switch (step.kind) {
      case "pr":
        await store.recordPullRequestEvent(step.event);
        break;
      case "evaluation":
        await store.recordEvaluation(step.event);
        break;
      case "waiver":
        await store.recordWaiver(step.event);
        break;
      case "unwaiver":
        await store.recordUnwaiver(step.event);
        break;
      case "request":
        await store.recordReviewRequest(step.event);
        break;
      case "review":
        await store.recordReview(step.event);
        break;
    }
  }
}

export async function applyBulk(store: SqlStore, steps: readonly Step[]): Promise<void> {
  await store.importHistory(async (loader) => {
    for (const step of steps) {
      switch (step.kind) {
        case "pr":
          await loader.pullRequestEvent(step.event);
          break;
        case "evaluation":
          await loader.evaluation(step.event);
          break;
        case "waiver":
          await loader.waiver(step.event);
          break;
        case "unwaiver":
          await loader.unwaiver(step.event);
          break;
        case "request":
          await loader.reviewRequest(step.event);
          break;
        case "review":
          await loader.review(step.event);
          break;
      }
    }
  });
}
