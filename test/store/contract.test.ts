/**
 * One contract, two databases: every test runs against SQLite and PostgreSQL (the latter skipped,
 * saying so, when ACCORD_TEST_POSTGRES_URL is unset). Each test gets a fresh database or schema.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { MIGRATIONS } from "../../src/store/schema.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { openStore, parseDatabaseUrl, StoreError, type SqlStore } from "../../src/store/index.js";
import { sha256 } from "../../src/store/codec.js";
import type { EvaluationEvent, PullRequestEvent, ReviewEvent, ReviewRequestEvent, WaiverEvent } from "../../src/store/types.js";
import type { HistoryLoader } from "../../src/store/bulk.js";
import { BENCH_REPO, generateHistory } from "../../bench/store.js";
import { buildReport } from "../../src/report/build.js";
import { AGREEMENTS_YAML, BACKENDS, changed, DAY, evaluated, facts, FILE, HOUR, NOW, POSTGRES_SKIPPED, POSTGRES_URL, type Target } from "./helpers.js";
import { applyBulk, applyLive, REPO, scenario } from "./scenario.js";

const window30 = { since: new Date(NOW - 30 * DAY), until: new Date(NOW) };

beforeAll(() => {
  if (!POSTGRES_URL) console.warn(POSTGRES_SKIPPED);
});

describe.each(BACKENDS)("friction store on $name", (backend) => {
  const targets: Target[] = [];
  const stores: SqlStore[] = [];
  const fresh = async (now: () => number = () => NOW) => {
    const target = await backend.fresh();
    targets.push(target);
    const store = await target.open(now);
    stores.push(store);
    return { target, store };
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const target of targets.splice(0)) await target.drop();
  });

  describe.skipIf(!backend.available)(backend.available ? "contract" : POSTGRES_SKIPPED, () => {
    it("sets itself up on first use and records each migration once, even when two instances open at once", async () => {
      const target = await backend.fresh();
      targets.push(target);
      const [a, b] = await Promise.all([target.open(), target.open()]);
      stores.push(a!, b!);
      const c = await target.open();
      stores.push(c);
      expect(await c.repositories()).toEqual([]);
      if (backend.name === "sqlite") {
        const path = parseDatabaseUrl(target.url).kind === "sqlite" ? (parseDatabaseUrl(target.url) as { path: string }).path : "";
        expect(existsSync(path)).toBe(true);
        const raw = new Database(path, { readonly: true });
        expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
        expect(raw.prepare("SELECT version, name FROM accord_migrations").all()).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
        raw.close();
      }
    });

    it("claims a delivery only the first time, also when claims race", async () => {
      const { store } = await fresh();
      expect(await store.claimDelivery("d-1")).toBe(true);
      expect(await store.claimDelivery("d-1")).toBe(false);
      const raced = await Promise.all(Array.from({ length: 20 }, () => store.claimDelivery("d-2")));
      expect(raced.filter(Boolean)).toHaveLength(1);
      await store.releaseDelivery("d-1");
      expect(await store.claimDelivery("d-1")).toBe(true);
    });

    it("records an evaluation once per delivery, and again without one", async () => {
      const { store } = await fresh();
      const f = facts({ files: [changed("pipelines/a.py")] });
      const event = { repo: REPO, number: 7, headSha: "a".repeat(40), at: NOW - DAY, deliveryId: "x", evaluation: evaluated(f), facts: f };
      expect(await store.recordEvaluation(event)).toBe(true);
      expect(await store.recordEvaluation(event)).toBe(false);
      expect((await store.pullRequest(REPO, 7))?.evaluations).toBe(1);
      const [kept] = await store.evaluationHistory(REPO, 7);
      expect(kept).toEqual({
        headSha: "a".repeat(40),
        at: new Date(NOW - DAY).toISOString(),
        conclusion: "waiting",
        agreements: [
          { id: "pipelines-both-teams", outcome: "waiting", unwaived: "waiting", severity: "required", mode: "enforce", pending: ["data-science", "platform"], dirs: ["pipelines"] },
          { id: "no-pickles", outcome: "pass", unwaived: "pass", severity: "required", mode: "enforce", pending: [], dirs: ["pipelines"] },
          { id: "conventional-title", outcome: "pass", unwaived: "pass", severity: "required", mode: "trial", pending: [], dirs: ["pipelines"] },
          { id: "notebooks-cleared", outcome: "skipped", unwaived: "skipped", severity: "required", mode: "enforce", pending: [], dirs: [] },
        ],
      });
      const { deliveryId: _, ...withoutDelivery } = event;
      expect(await store.recordEvaluation(withoutDelivery)).toBe(true);
      const data = await store.reportData(REPO, window30);
      expect(data.evaluations).toBe(2);
      expect(data.agreements.find((a) => a.agreementId === "pipelines-both-teams")).toMatchObject({ pullRequests: 1, evaluations: 2, unmetPullRequests: 1 });
    });

    it("keeps the pull request's lifecycle", async () => {
      const { store } = await fresh();
      await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "opened", at: NOW - 3 * DAY, title: "feat: x", author: "alice", baseBranch: "main", deliveryId: "o" });
      expect(await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "opened", at: NOW - 3 * DAY, deliveryId: "o" })).toBe(false);
      await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "ready_for_review", at: NOW - 2 * DAY });
      await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "closed", at: NOW - DAY });
      expect(await store.pullRequest(REPO, 9)).toMatchObject({ title: "feat: x", author: "alice", baseBranch: "main", closedAt: new Date(NOW - DAY).toISOString(), mergedAt: null });
      await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "reopened", at: NOW - DAY + HOUR });
      expect((await store.pullRequest(REPO, 9))?.closedAt).toBeNull();
      await store.recordPullRequestEvent({ repo: REPO, number: 9, kind: "merged", at: NOW });
      expect(await store.pullRequest(REPO, 9)).toMatchObject({
        openedAt: new Date(NOW - 3 * DAY).toISOString(),
        readyAt: new Date(NOW - 2 * DAY).toISOString(),
        closedAt: new Date(NOW).toISOString(),
        mergedAt: new Date(NOW).toISOString(),
      });
      expect(await store.pullRequest(REPO, 10)).toBeUndefined();
    });

    it("knows the waivers in force: latest waive per agreement not followed by an unwaive", async () => {
      const { store } = await fresh();
      const base = { repo: REPO, number: 3 };
      await store.recordWaiver({ ...base, agreementId: "no-pickles", by: "carol", reason: "first", at: NOW - 3 * HOUR, deliveryId: "w1" });
      expect(await store.recordWaiver({ ...base, agreementId: "no-pickles", by: "carol", reason: "first", at: NOW - 3 * HOUR, deliveryId: "w1" })).toBe(false);
      await store.recordWaiver({ ...base, agreementId: "pipelines-both-teams", by: "dave", reason: "urgent", at: NOW - 2 * HOUR });
      await store.recordUnwaiver({ ...base, agreementId: "no-pickles", by: "dave", at: NOW - HOUR });
      expect(await store.activeWaivers(REPO, 3)).toEqual([{ agreementId: "pipelines-both-teams", by: "dave", reason: "urgent", at: new Date(NOW - 2 * HOUR).toISOString() }]);
      await store.recordWaiver({ ...base, agreementId: "no-pickles", by: "carol", reason: "second", at: NOW });
      expect((await store.activeWaivers(REPO, 3)).map((w) => `${w.agreementId}:${w.reason}`).sort()).toEqual(["no-pickles:second", "pipelines-both-teams:urgent"]);
      expect(await store.activeWaivers(REPO, 4)).toEqual([]);
      expect(await store.activeWaivers("acme/other", 3)).toEqual([]);
    });

    it("keys a repository by GitHub's id: a rename or a change of case keeps one history, shown under the current name", async () => {
      // Fails on the code before this change: "acme/ML" and "acme/ml" were two repositories with half the history each.
      const { store } = await fresh();
      const f = facts();
      await store.identifyRepository(77, "acme/ML");
      await store.recordEvaluation({ repo: "acme/ML", number: 1, headSha: "a".repeat(40), at: NOW - 3 * HOUR, evaluation: evaluated(f), facts: f });
      await store.identifyRepository(77, "acme/ml");
      await store.recordEvaluation({ repo: "acme/ml", number: 2, headSha: "b".repeat(40), at: NOW - 2 * HOUR, evaluation: evaluated(f), facts: f });
      await store.identifyRepository(77, "acme/models");
      await store.recordEvaluation({ repo: "acme/models", number: 3, headSha: "c".repeat(40), at: NOW - HOUR, evaluation: evaluated(f), facts: f });
      expect(await store.repositories()).toEqual(["acme/models"]);
      expect((await store.reportData("acme/models", window30)).pullRequests).toBe(3);
      expect((await store.reportData("ACME/Models", window30)).pullRequests).toBe(3);
      expect((await store.pullRequest("acme/models", 1))?.evaluations).toBe(1);
      // Another repository later takes the old name: its record starts empty, and the renamed one keeps its own.
      await store.identifyRepository(88, "acme/ml");
      await store.recordEvaluation({ repo: "acme/ml", number: 1, headSha: "d".repeat(40), at: NOW - HOUR, evaluation: evaluated(f), facts: f });
      expect((await store.reportData("acme/ml", window30)).pullRequests).toBe(1);
      expect((await store.reportData("acme/models", window30)).pullRequests).toBe(3);
      // The first repository moves back to a name a second row still holds from before: the stale row steps aside.
      await store.identifyRepository(88, "acme/other");
      await store.identifyRepository(77, "acme/ml");
      expect((await store.reportData("acme/ml", window30)).pullRequests).toBe(3);
    });

    it("finds the pull request last evaluated at a head commit (re-run on a fork's check run)", async () => {
      const { store } = await fresh();
      const f = facts();
      await store.recordEvaluation({ repo: REPO, number: 9, headSha: "e".repeat(40), at: NOW, evaluation: evaluated(f), facts: f });
      expect(await store.pullRequestForHead(REPO, "e".repeat(40))).toBe(9);
      expect(await store.pullRequestForHead(REPO.toUpperCase(), "e".repeat(40))).toBe(9);
      expect(await store.pullRequestForHead(REPO, "f".repeat(40))).toBeUndefined();
    });

    it("stores each version of the agreement file once, with the base SHAs it was seen at", async () => {
      const { store } = await fresh();
      const hash = await store.recordAgreementVersion({ repo: REPO, baseSha: "1".repeat(40), text: AGREEMENTS_YAML, at: NOW - DAY });
      expect(hash).toBe(sha256(AGREEMENTS_YAML));
      await store.recordAgreementVersion({ repo: REPO, baseSha: "2".repeat(40), text: AGREEMENTS_YAML, at: NOW });
      const changedText = `${AGREEMENTS_YAML}# note\n`;
      await store.recordAgreementVersion({ repo: REPO, baseSha: "3".repeat(40), text: changedText, at: NOW - 2 * DAY });
      expect(await store.agreementVersion(REPO, hash)).toMatchObject({ text: AGREEMENTS_YAML, firstBaseSha: "1".repeat(40), lastBaseSha: "2".repeat(40) });
      expect((await store.agreementVersion(REPO))?.hash).toBe(hash);
      expect(await store.agreementVersion(REPO, "0".repeat(64))).toBeUndefined();
    });

    it("keeps each PR's latest facts compactly, newest PR first, and they replay to the same verdicts", async () => {
      const { store } = await fresh();
      const { steps } = { steps: scenario() };
      await applyLive(store, steps);
      const recent = await store.recentPullRequestFacts(REPO);
      expect(recent.map((f) => f.title)).toEqual(["docs: notebook", "update model", "feat: faster training", "feat: old pipeline"]);
      expect((await store.recentPullRequestFacts(REPO, 2)).map((f) => f.title)).toEqual(["docs: notebook", "update model"]);
      expect((await store.recentPullRequestFacts(REPO, 50, { excludeNumber: 3 })).map((f) => f.title)[0]).toBe("update model");
      // The notebook is kept as a stand-in with the same verdict, and approvals as recorded.
      const latest = new Map(
        steps.filter((s) => s.kind === "evaluation").map((s) => [(s.event as { number: number }).number, (s.event as { facts: ReturnType<typeof facts> }).facts]),
      );
      for (const stored of recent) {
        const original = [...latest.values()].find((f) => f.title === stored.title)!;
        const outcomes = (f: ReturnType<typeof facts>) => evaluate(FILE, f).agreements.map((a) => `${a.id}:${a.outcome}`);
        expect(outcomes(stored)).toEqual(outcomes(original));
        expect(stored.files).toEqual(original.files);
        expect(stored.reviews).toEqual(original.reviews);
      }
      expect(await store.recentPullRequestFacts("acme/none")).toEqual([]);
    });

    it("returns recent approvals per PR with their files, for reviewer suggestions", async () => {
      const { store } = await fresh();
      const f = facts({ files: [{ path: "pipelines/train.py", status: "modified", additions: 1, deletions: 0 }] });
      await store.recordEvaluation({ repo: REPO, number: 7, headSha: "a".repeat(40), evaluation: evaluated(f), facts: f, at: NOW - 3 * DAY });
      await store.recordReview({ repo: REPO, number: 7, reviewer: "dave", state: "APPROVED", at: NOW - 2 * DAY });
      await store.recordReview({ repo: REPO, number: 7, reviewer: "Dave", state: "APPROVED", at: NOW - DAY });
      await store.recordReview({ repo: REPO, number: 7, reviewer: "erin", state: "COMMENTED", at: NOW - DAY });
      await store.recordReview({ repo: REPO, number: 7, reviewer: "carol", state: "APPROVED", at: NOW - 40 * DAY });
      expect(await store.recentApprovals(REPO, NOW - 10 * DAY)).toEqual([{ number: 7, author: "alice", at: NOW - DAY, reviewers: ["Dave"], paths: ["pipelines/train.py"] }]);
      expect(await store.recentApprovals("acme/none", 0)).toEqual([]);
    });

    it("holds one PR's lock at a time, lets other PRs through, and keeps what was recorded when the work fails later", async () => {
      const { store } = await fresh();
      const log: string[] = [];
      const work = (name: string, ms: number) => async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        return name;
      };
      const results = await Promise.all([
        store.withPullRequestLock(REPO, 1, work("a", 30)),
        store.withPullRequestLock(REPO, 1, work("b", 1)),
        store.withPullRequestLock(REPO, 2, work("c", 1)),
      ]);
      expect(results).toEqual(["a", "b", "c"]);
      expect(log.indexOf("a-")).toBeLessThan(log.indexOf("b+"));
      expect(log.indexOf("c-")).toBeLessThan(log.indexOf("a-"));

      const f = facts();
      await expect(
        store.withPullRequestLock(REPO, 5, async () => {
          await store.recordEvaluation({ repo: REPO, number: 5, headSha: "c".repeat(40), at: NOW, evaluation: evaluated(f), facts: f, deliveryId: "keep" });
          throw new Error("GitHub said 502");
        }),
      ).rejects.toThrow("502");
      expect((await store.pullRequest(REPO, 5))?.evaluations).toBe(1);
      // The lock was given back.
      expect(await store.withPullRequestLock(REPO, 5, async () => "again")).toBe("again");
    });

    it("reports per agreement, team and path over the window, with the previous window beside it", async () => {
      const { store } = await fresh();
      await applyLive(store, scenario());
      expect(await store.repositories()).toEqual([REPO]);
      const data = await store.reportData(REPO, window30);
      expect(data.evaluations).toBe(8);
      expect(data.pullRequests).toBe(3);
      const byId = Object.fromEntries(data.agreements.map((a) => [a.agreementId, a]));
      expect(byId["pipelines-both-teams"]).toMatchObject({ pullRequests: 1, evaluations: 3, unmetEvaluations: 2, unmetPullRequests: 1, heldPullRequests: 1, metAfterUnmet: 1 });
      expect(byId["no-pickles"]).toMatchObject({ pullRequests: 3, unmetPullRequests: 1, waivedPullRequests: 1, failedPullRequests: 1, metAfterUnmet: 0 });
      expect(byId["conventional-title"]).toMatchObject({ pullRequests: 3, unmetPullRequests: 1, trialBlockedPullRequests: 1, trialHeldPullRequests: 0 });
      expect(byId["notebooks-cleared"]).toMatchObject({ pullRequests: 1, unmetPullRequests: 1, waivedPullRequests: 1, failedPullRequests: 1 });
      expect(data.previousAgreements.map((a) => [a.agreementId, a.pullRequests, a.unmetPullRequests])).toEqual([
        ["conventional-title", 1, 0],
        ["no-pickles", 1, 0],
        ["pipelines-both-teams", 1, 1],
      ]);
      expect(data.unmetToMetSeconds).toEqual({ "pipelines-both-teams": [24 * 3600] });
      expect(data.waivers.map((w) => [w.agreementId, w.number, w.by, w.reason])).toEqual([
        ["no-pickles", 2, "carol", "Hotfix: model needed now."],
        ["notebooks-cleared", 3, "carol", "hotfix - model needed now"],
      ]);
      expect(data.teamNames).toEqual({ "data-science": "Data Science", platform: "Platform" });
      expect(data.teamReviews).toEqual([
        { team: "data-science", crossTeam: false, seconds: 24 * 3600 },
        { team: "platform", crossTeam: true, seconds: 5 * 3600 },
      ]);
      expect(data.teamOpen).toEqual([]);
      expect(data.teamNeeds).toEqual([
        { team: "data-science", agreements: ["pipelines-both-teams"], pullRequests: 1 },
        { team: "platform", agreements: ["pipelines-both-teams"], pullRequests: 1 },
      ]);
      expect(data.paths).toEqual([
        { path: "models/churn", pullRequests: 1, unmetPullRequests: 1 },
        { path: "notebooks/eda", pullRequests: 1, unmetPullRequests: 1 },
        { path: "pipelines/train", pullRequests: 1, unmetPullRequests: 1 },
      ]);
      const info = Object.fromEntries(data.agreementInfo.map((a) => [a.agreementId, a]));
      expect(info["conventional-title"]).toMatchObject({ title: "Titles follow the convention", mode: "trial", severity: "required" });
      expect(info["notebooks-cleared"]?.lastAppliedAt).toBe(new Date(NOW - 5 * DAY + 3 * HOUR).toISOString());
      // Every agreement was unmet within 90 days, so none is counted for retirement.
      expect(data.inScopeLast90Days).toEqual({});

      const previous = await store.reportData(REPO, { since: new Date(NOW - 60 * DAY), until: new Date(NOW - 30 * DAY) });
      expect(previous.teamReviews).toEqual([]);
      expect(previous.teamOpen).toEqual([
        { team: "data-science", crossTeam: true, number: 4, startedAt: new Date(NOW - 40 * DAY).toISOString(), closed: true },
        { team: "platform", crossTeam: false, number: 4, startedAt: new Date(NOW - 40 * DAY).toISOString(), closed: true },
      ]);
      expect((await store.reportData("acme/none", window30)).agreements).toEqual([]);
    });

    it("gives the same figures when the window's ends fall mid-day (whole days from daily sums, the ends from rows)", async () => {
      const aligned = await fresh();
      await applyLive(aligned.store, scenario(NOW));
      const shiftedNow = NOW + 7 * HOUR + 13 * 60_000;
      const shifted = await fresh(() => shiftedNow);
      await applyLive(shifted.store, scenario(shiftedNow));
      // Windows in days before "now"; fractions put events inside the partial days at either end.
      for (const [from, to] of [
        [30, 0],
        [60, 30],
        [12, 0],
        [1, 0],
        [20 + 2 / 24, 5 - 2.5 / 24],
        [10 + 1 / 24, 10 - 3 / 24],
        [40.5, 19.9],
        [5 - 1.5 / 24, 5 - 2.5 / 24],
      ] as const) {
        const a = await aligned.store.reportData(REPO, { since: new Date(NOW - from * DAY), until: new Date(NOW - to * DAY) });
        const b = await shifted.store.reportData(REPO, { since: new Date(shiftedNow - from * DAY), until: new Date(shiftedNow - to * DAY) });
        expect({ window: [from, to], agreements: b.agreements, previous: b.previousAgreements, paths: b.paths, evaluations: b.evaluations, prs: b.pullRequests }).toEqual({
          window: [from, to],
          agreements: a.agreements,
          previous: a.previousAgreements,
          paths: a.paths,
          evaluations: a.evaluations,
          prs: a.pullRequests,
        });
      }
      // A window inside one day.
      const day = await shifted.store.reportData(REPO, { since: new Date(shiftedNow - 5 * DAY), until: new Date(shiftedNow - 5 * DAY + 4 * HOUR) });
      expect(day.evaluations).toBe(3);
      expect(day.agreements.find((a) => a.agreementId === "notebooks-cleared")).toMatchObject({ pullRequests: 1, evaluations: 3, waivedPullRequests: 1 });
    });

    it("moves a PR to the day its agreement first applied when an earlier evaluation arrives late", async () => {
      const { store } = await fresh();
      const fail = facts({ title: "oops", files: [changed("models/x.pkl", "added")] });
      const pass = facts({ title: "feat: ok", files: [changed("models/x.py")] });
      await store.recordEvaluation({ repo: REPO, number: 11, headSha: "1".repeat(40), at: NOW - 2 * DAY, evaluation: evaluated(pass), facts: pass });
      await store.recordEvaluation({ repo: REPO, number: 11, headSha: "0".repeat(40), at: NOW - 9 * DAY, evaluation: evaluated(fail), facts: fail });
      const early = await store.reportData(REPO, { since: new Date(NOW - 10 * DAY), until: new Date(NOW - 8 * DAY) });
      const late = await store.reportData(REPO, { since: new Date(NOW - 3 * DAY), until: new Date(NOW) });
      expect(early.agreements.find((a) => a.agreementId === "no-pickles")).toMatchObject({ pullRequests: 1, evaluations: 2, unmetPullRequests: 1, failedPullRequests: 1 });
      expect(late.agreements.find((a) => a.agreementId === "no-pickles")).toBeUndefined();
      expect(early.paths).toEqual([{ path: "models", pullRequests: 1, unmetPullRequests: 1 }]);
      expect(late.paths).toEqual([]);
      expect([early.evaluations, late.evaluations]).toEqual([1, 1]);
      // The facts kept are the latest by time, not by arrival.
      expect((await store.recentPullRequestFacts(REPO))[0]?.title).toBe("feat: ok");
    });

    it("counts agreements not unmet for 90 days as retirement candidates", async () => {
      const { store } = await fresh();
      for (let i = 0; i < 5; i++) {
        const f = facts({ title: "feat: fine", files: [changed(`src/m${i}.py`)] });
        await store.recordEvaluation({ repo: REPO, number: 100 + i, headSha: "d".repeat(40), at: NOW - (120 - i * 25) * DAY, evaluation: evaluated(f), facts: f });
      }
      const data = await store.reportData(REPO, window30);
      // no-pickles and conventional-title applied to every PR and passed; the others never applied.
      expect(data.inScopeLast90Days).toEqual({ "conventional-title": 3, "no-pickles": 3, "notebooks-cleared": 0, "pipelines-both-teams": 0 });
    });

    it("takes reviewer teams from the PR's facts and ignores dismissals and draft-time needs", async () => {
      const { store } = await fresh();
      const draft = facts({ draft: true, files: [changed("pipelines/x.py")] });
      await store.recordEvaluation({ repo: REPO, number: 8, headSha: "e".repeat(40), at: NOW - 4 * DAY, evaluation: evaluated(draft), facts: draft });
      const ready = { ...draft, draft: false };
      await store.recordEvaluation({ repo: REPO, number: 8, headSha: "e".repeat(40), at: NOW - 3 * DAY, evaluation: evaluated(ready), facts: ready });
      await store.recordReview({ repo: REPO, number: 8, reviewer: "Dave", state: "DISMISSED", at: NOW - 3 * DAY + HOUR });
      await store.recordReview({ repo: REPO, number: 8, reviewer: "Dave", state: "COMMENTED", at: NOW - 2 * DAY });
      await store.recordReview({ repo: REPO, number: 8, reviewer: "stranger", state: "APPROVED", at: NOW - 2 * DAY });
      const data = await store.reportData(REPO, window30);
      // The draft evaluation started no wait; Dave's dismissal answered nothing, his comment did; a stranger is in no team.
      expect(data.teamReviews).toEqual([{ team: "platform", crossTeam: true, seconds: DAY / 1000 }]);
      expect(data.teamOpen).toEqual([{ team: "data-science", crossTeam: false, number: 8, startedAt: new Date(NOW - 3 * DAY).toISOString(), closed: false }]);
    });

    it("bulk loading and the live path agree on a generated history, whole days and partial ones", async () => {
      const now = NOW + 5 * HOUR;
      const { store: bulk } = await fresh(() => now);
      await bulk.importHistory((loader) => generateHistory(loader, now, 1500));
      const { store: live } = await fresh(() => now);
      const asLoader = {
        evaluation: (e: EvaluationEvent) => live.recordEvaluation(e),
        pullRequestEvent: (e: PullRequestEvent) => live.recordPullRequestEvent(e),
        waiver: (e: WaiverEvent) => live.recordWaiver(e),
        reviewRequest: (e: ReviewRequestEvent) => live.recordReviewRequest(e),
        review: (e: ReviewEvent) => live.recordReview(e),
        finishPullRequest: async () => undefined,
      } as unknown as HistoryLoader;
      expect(await generateHistory(asLoader, now, 1500)).toBe(1500);
      for (const days of [30, 90, 365]) {
        const window = { since: new Date(now - days * DAY), until: new Date(now) };
        const [a, b] = [await bulk.reportData(BENCH_REPO, window), await live.reportData(BENCH_REPO, window)];
        expect(a).toEqual(b);
        expect(buildReport(a)).toEqual(buildReport(b));
      }
      const all = await bulk.reportData(BENCH_REPO, { since: new Date(now - 400 * DAY), until: new Date(now) });
      expect(all.evaluations).toBe(1500);
      expect(all.agreements.find((a) => a.agreementId === "no-pickles")?.evaluations).toBeGreaterThan(1000);
    });

    it("learns a team's display name when the PR first needs it, even after a review request", async () => {
      const { store } = await fresh();
      await store.recordReviewRequest({ repo: REPO, number: 12, requester: "alice", reviewer: "carol", reviewerTeams: ["platform"], at: NOW - 2 * DAY });
      const f = facts({ files: [changed("pipelines/x.py")] });
      await store.recordEvaluation({ repo: REPO, number: 12, headSha: "e".repeat(40), at: NOW - DAY, evaluation: evaluated(f), facts: f });
      expect((await store.reportData(REPO, window30)).teamNames).toEqual({ "data-science": "Data Science", platform: "Platform" });
    });

    it("bulk loading gives the same record as the live path", async () => {
      const steps = scenario();
      const { store: live } = await fresh();
      await applyLive(live, steps);
      const { store: bulk } = await fresh();
      await applyBulk(bulk, steps);
      for (const window of [window30, { since: new Date(NOW - 60 * DAY), until: new Date(NOW - 30 * DAY) }]) {
        expect(await bulk.reportData(REPO, window)).toEqual(await live.reportData(REPO, window));
      }
      expect(await bulk.recentPullRequestFacts(REPO)).toEqual(await live.recentPullRequestFacts(REPO));
      expect(await bulk.activeWaivers(REPO, 2)).toEqual(await live.activeWaivers(REPO, 2));
      expect(await bulk.pullRequest(REPO, 1)).toEqual(await live.pullRequest(REPO, 1));
      // Live events keep flowing after a bulk load.
      const f = facts();
      expect(await bulk.recordEvaluation({ repo: REPO, number: 99, headSha: "f".repeat(40), at: NOW - HOUR, evaluation: evaluated(f), facts: f })).toBe(true);
      expect((await bulk.pullRequest(REPO, 99))?.evaluations).toBe(1);
      await expect(bulk.importHistory(async () => undefined)).rejects.toThrow(/empty store/);
    });
  });
});

describe("DATABASE_URL", () => {
  it("defaults to ./data/accord.db and resolves relative SQLite paths from the working directory", () => {
    expect(parseDatabaseUrl(undefined, "/srv/app")).toEqual({ kind: "sqlite", path: "/srv/app/data/accord.db" });
    expect(parseDatabaseUrl("sqlite:/tmp/a.db")).toEqual({ kind: "sqlite", path: "/tmp/a.db" });
    expect(parseDatabaseUrl("sqlite:///tmp/a.db")).toEqual({ kind: "sqlite", path: "/tmp/a.db" });
    expect(parseDatabaseUrl("sqlite:x.db", "/w")).toEqual({ kind: "sqlite", path: "/w/x.db" });
    expect(parseDatabaseUrl("postgres://u:secret@db.internal:6543/accord")).toMatchObject({ kind: "postgres", where: "PostgreSQL at db.internal:6543 (database accord)" });
  });

  it("says plainly what is wrong with a bad URL or an unreachable server, without the password", async () => {
    expect(() => parseDatabaseUrl("mysql://x")).toThrow(StoreError);
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(/needs a file path/);
    const error = await openStore("postgres://u:secret@127.0.0.1:1/accord").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(String((error as Error).message)).toMatch(/Could not reach PostgreSQL at 127\.0\.0\.1:1 \(database accord\): ECONNREFUSED/);
    expect(String((error as Error).message)).not.toContain("secret");
  });

  it("creates the SQLite directory and file on first use", async () => {
    const root = mkdtempSync(join(tmpdir(), "accord-url-"));
    try {
      const store = await openStore("sqlite:./deep/er/accord.db", { cwd: root });
      await store.close();
      expect(existsSync(join(root, "deep/er/accord.db"))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
