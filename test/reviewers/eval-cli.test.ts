import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEvalCli } from "../../src/reviewers/eval/cli.js";
import { parseRecordLine, parseReviewHistory } from "../../src/reviewers/eval/dataset.js";

const folder = mkdtempSync(join(tmpdir(), "accord-eval-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function line(id: string, day: number, author: string, reviewers: string[], files = ["pkg/a.go"]): string {
  const at = new Date(Date.UTC(2025, 0, 1 + day)).toISOString();
  return JSON.stringify({ id, created_at: at, merged_at: at, author, reviewers, files });
}

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runEvalCli(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("reading review-history JSONL", () => {
  it("parses valid records and ignores blank lines", () => {
    const records = parseReviewHistory(`${line("a1", 0, "ann", ["bob"])}\n\n${line("a2", 1, "bob", ["ann"])}\n`);
    expect(records.map((record) => record.id)).toEqual(["a1", "a2"]);
    expect(records[0]!.mergedAt).toBe(Date.UTC(2025, 0, 1));
  });

  it("says what is wrong with a bad record", () => {
    expect(parseRecordLine("{not json")).toBe("not valid JSON");
    expect(parseRecordLine("[1]")).toBe("expected a JSON object");
    expect(parseRecordLine('{"id":"x"}')).toBe('"created_at" is missing');
    expect(parseRecordLine(line("a", 0, "ann", ["bob"]).replace(/"merged_at":"[^"]+"/, '"merged_at":"yesterday"'))).toBe(
      '"merged_at" must be an ISO 8601 date-time',
    );
    expect(parseRecordLine(line("a", 0, "ann", ["bob"]).replace('"reviewers":["bob"]', '"reviewers":"bob"'))).toBe(
      '"reviewers" must be a list of non-empty strings',
    );
  });
});

describe("eval:reviewers command", () => {
  it("rejects a malformed line with the file name and line number, exit 2", () => {
    const file = join(folder, "broken.jsonl");
    writeFileSync(file, [line("a1", 0, "ann", ["bob"]), line("a2", 1, "bob", ["ann"]), '{"id": "a3", "author": '].join("\n"));
    const result = run(["--dataset", file]);
    expect(result.code).toBe(2);
    expect(result.err).toBe("broken.jsonl, line 3: not valid JSON");
    expect(result.out).toBe("");
  });

  it("rejects a record with a missing field, naming the field", () => {
    const file = join(folder, "no-author.jsonl");
    writeFileSync(file, `${line("a1", 0, "ann", ["bob"])}\n${line("a2", 1, "", ["ann"])}\n`);
    const result = run(["--dataset", file]);
    expect(result.code).toBe(2);
    expect(result.err).toBe('no-author.jsonl, line 2: "author" must be a non-empty string');
  });

  it("prints usage and exits 2 without --dataset, or with an unknown option", () => {
    const missing = run([]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^usage: npm run eval:reviewers -- --dataset FILE/);
    const unknown = run(["--datasett", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("usage:");
  });

  it("exits 2 with a plain message for a file that cannot be read", () => {
    const result = run(["--dataset", join(folder, "absent.jsonl")]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("cannot read");
  });

  it("prints one figures line per suggester from one replay", () => {
    const file = join(folder, "ok.jsonl");
    const lines: string[] = [];
    for (let day = 0; day < 50; day++) lines.push(line(`c${day}`, day, day % 2 ? "ann" : "cat", [day % 3 ? "bob" : "dan"]));
    writeFileSync(file, `${lines.join("\n")}\n`);
    const result = run(["--dataset", file, "--seed", "7"]);
    expect(result.code).toBe(0);
    for (const name of ["accord", "accord-no-rotation", "random", "busiest-reviewer", "file-reviewers"]) {
      expect(result.out).toMatch(
        new RegExp(`^${name} +hit@1 \\d\\.\\d{3}  hit@3 \\d\\.\\d{3}  mrr@10 \\d\\.\\d{3}  gini \\d\\.\\d{2}  first-placed +\\d+  scored 10  \\d+\\.\\d{2}s$`, "m"),
      );
    }
  });
});
