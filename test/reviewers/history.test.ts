import { describe, expect, it } from "vitest";
import { countInWindow, DAY_MS, ReviewHistory, toMillis, weightedSum } from "../../src/reviewers/history.js";
import { directoryPrefixes, pathDepth } from "../../src/reviewers/paths.js";

const day = (n: number) => Date.UTC(2025, 0, 1) + n * DAY_MS;

describe("path prefixes", () => {
  it("lists the enclosing directories, shallowest first", () => {
    expect(directoryPrefixes("pipelines/train/model.py")).toEqual(["pipelines/", "pipelines/train/"]);
    expect(directoryPrefixes("./README.md")).toEqual([]);
    expect(pathDepth("pipelines/train/")).toBe(2);
    expect(pathDepth("pipelines/train/model.py")).toBe(3);
  });
});

describe("ReviewHistory", () => {
  it("indexes reviews and authorship by file and by every enclosing directory", () => {
    const history = new ReviewHistory();
    history.add({ at: day(0), author: "ann", reviewers: ["Bob"], paths: ["a/b/c.go", "a/d.go"] });
    expect(history.size).toBe(1);
    expect(history.activityAt("a/b/c.go").get("bob")?.reviewed).toEqual([day(0)]);
    expect(history.activityAt("a/b/").get("ann")?.authored).toEqual([day(0)]);
    // One change touching two files under a/ counts once there.
    expect(history.activityAt("a/").get("bob")?.reviewed).toEqual([day(0)]);
    expect(history.activityAt("z/").size).toBe(0);
  });

  it("keeps timestamps sorted when records arrive out of order", () => {
    const history = new ReviewHistory();
    for (const n of [5, 1, 3]) history.add({ at: day(n), author: "ann", reviewers: ["bob"], paths: ["a/x.go"] });
    expect(history.activityOf("BOB").reviewed).toEqual([day(1), day(3), day(5)]);
  });

  it("never counts an author as reviewing their own change", () => {
    const history = new ReviewHistory();
    history.add({ at: day(0), author: "ann", reviewers: ["ann", "bob"], paths: ["a/x.go"] });
    expect(history.activityOf("ann").reviewed).toEqual([]);
    expect(history.reviewersOf("ann").get("bob")).toEqual([day(0)]);
  });

  it("answers windowed counts and age-weighted sums", () => {
    const times = [day(0), day(10), day(20)];
    expect(countInWindow(times, { since: day(5), until: day(20) })).toBe(2);
    expect(weightedSum(times, { since: day(0), until: day(20) }, (age) => age)).toBe(20 + 10 + 0);
  });

  it("accepts dates, epoch milliseconds and ISO strings, and rejects garbage", () => {
    expect(toMillis("2025-01-01T00:00:00Z")).toBe(day(0));
    expect(toMillis(new Date(day(2)))).toBe(day(2));
    expect(() => toMillis("yesterday")).toThrow(RangeError);
  });
});
