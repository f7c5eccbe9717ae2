import { describe, expect, it } from "vitest";
import type { ReviewRecord } from "../../src/reviewers/eval/dataset.js";
import { runProtocol, type Suggester, type SuggestionRequest } from "../../src/reviewers/eval/protocol.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function record(id: string, day: number, author: string, reviewers: string[], files = ["a/x.go"]): ReviewRecord {
  return { id, createdAt: T0 + day * DAY - DAY, mergedAt: T0 + day * DAY, author, reviewers, files };
}

/** Remembers what it saw and when it was asked; ranks candidates by login. */
class SpySuggester implements Suggester {
  readonly name = "spy";
  readonly observed: ReviewRecord[] = [];
  readonly requests: Array<{ request: SuggestionRequest; seenBefore: ReviewRecord[] }> = [];
  constructor(private readonly rank: (request: SuggestionRequest) => readonly string[] = (r) => r.candidates) {}
  observe(record: ReviewRecord): void {
    this.observed.push(record);
  }
  suggest(request: SuggestionRequest): readonly string[] {
    this.requests.push({ request, seenBefore: [...this.observed] });
    return this.rank(request);
  }
}

describe("runProtocol", () => {
  it("scores records from floor(0.8 N) on and shows each only records merged strictly before it", () => {
    const records = Array.from({ length: 10 }, (_, i) => record(`r${i}`, i, "ann", ["bob"]));
    // Another record at the same instant as r8 must not be visible when r8 is asked about.
    records.push(record("same-time", 8, "ann", ["bob"]));
    const spy = new SpySuggester();
    // Give them shuffled: the protocol orders by merged_at itself.
    runProtocol([...records].reverse(), [spy]);
    // 11 records: floor(0.8 × 11) = 8 → three scored; equal times keep input order.
    expect(spy.requests.map((entry) => entry.request.key)).toEqual(["same-time", "r8", "r9"]);
    for (const { request, seenBefore } of spy.requests) {
      expect(seenBefore.every((past) => past.mergedAt < request.now)).toBe(true);
      expect(seenBefore.some((past) => past.id === request.key)).toBe(false);
    }
    const seenBy = (key: string) => spy.requests.find((entry) => entry.request.key === key)!.seenBefore.map((past) => past.id);
    expect(seenBy("r8")).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"]);
    expect(seenBy("r9")).toEqual(["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "same-time", "r8"]);
  });

  it("takes candidates from reviewers of the 365 days before, minus the author", () => {
    const records = [
      record("old", 0, "zoe", ["olga"]), // 366 days before the scored record: outside
      record("edge", 1, "zoe", ["eve"]), // exactly 365 days before: inside
      record("mine", 200, "zoe", ["ann"]), // ann reviewed, but is the scored record's author
      record("recent", 300, "zoe", ["bob"]),
      record("scored", 366, "ann", ["bob"]),
    ];
    const spy = new SpySuggester();
    // 5 records: floor(0.8 × 5) = 4, so only the last is scored.
    runProtocol(records, [spy]);
    expect(spy.requests).toHaveLength(1);
    expect(spy.requests[0]!.request.candidates).toEqual(["bob", "eve"]);
  });

  it("skips records none of whose reviewers is a candidate", () => {
    const records = [
      record("r0", 0, "zoe", ["bob"]),
      record("r1", 1, "zoe", ["bob"]),
      record("r2", 2, "zoe", ["bob"]),
      record("r3", 3, "zoe", ["bob"]),
      record("newcomer", 4, "ann", ["nina"]),
    ];
    const [result] = runProtocol(records, [new SpySuggester()]);
    expect(result!.scored).toBe(0);
  });

  it("scores the ranking against the actual reviewers, ignoring anything that is not a candidate", () => {
    const records = [
      record("r0", 0, "zoe", ["bob"]),
      record("r1", 1, "zoe", ["carol"]),
      record("r2", 2, "zoe", ["dave"]),
      record("r3", 3, "zoe", ["erin"]),
      record("scored", 4, "zoe", ["dave"]),
    ];
    const cheat = new SpySuggester(() => ["zoe", "nobody", "dave"]);
    const byLogin = new SpySuggester(); // bob, carol, dave, erin
    const [cheatResult, byLoginResult] = runProtocol(records, [cheat, byLogin]);
    expect(cheatResult!.hitAt1).toBe(1); // "zoe" (the author) and "nobody" are dropped: dave is first
    expect(byLoginResult!.hitAt1).toBe(0);
    expect(byLoginResult!.hitAt3).toBe(1);
    expect(byLoginResult!.mrrAt10).toBeCloseTo(1 / 3, 12);
    expect([...byLoginResult!.firstPlaces]).toEqual([["bob", 1]]);
  });
});
