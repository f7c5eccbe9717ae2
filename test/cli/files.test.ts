import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgreements } from "../../src/agreement/parse.js";
import { agreementJsonSchema } from "../../src/agreement/schema.js";
import { runCli } from "../helpers/git-repo.js";

const temp = () => mkdtempSync(join(tmpdir(), "accord-files-"));

describe("accord validate", () => {
  it("prints FILE:LINE:COL: message per problem and exits 1", async () => {
    const dir = temp();
    const file = join(dir, "agreements.yml");
    writeFileSync(file, "version: 1\nteams:\n  a: { members: [x] }\nagreements:\n  - id: one\n    require:\n      approvals: [{ team: a, count: -1 }]\n");
    const run = await runCli(["validate", file]);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(`${file}:7:37: In agreement \`one\`, \`require.approvals\` entry 1: \`count\` must be a whole number of at least 1; it is -1`);
    rmSync(dir, { recursive: true });
  });

  it("exits 0 for a valid file, and each shipped example validates", async () => {
    for (const name of ["monorepo.yml", "ml-platform.yml", "minimal.yml"]) {
      const run = await runCli(["validate", `config/examples/${name}`]);
      expect(run.stdout).toMatch(/valid \(\d+ agreements?, \d+ teams?\)/);
      expect(run.code).toBe(0);
    }
  });

  it("explains a missing file with exit 2", async () => {
    const run = await runCli(["validate", "/nonexistent/agreements.yml"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/there is no such file/);
  });
});

describe("accord schema", () => {
  it("prints the JSON Schema, and the committed copy is current", async () => {
    const run = await runCli(["schema"]);
    expect(JSON.parse(run.stdout)).toEqual(agreementJsonSchema());
    const committed = JSON.parse(readFileSync("config/agreements.schema.json", "utf8"));
    // When this fails, run `npm run schema` and commit config/agreements.schema.json.
    expect(committed).toEqual(agreementJsonSchema());
  });
});

describe("accord init", () => {
  it("writes a starter that validates, and refuses to overwrite it", async () => {
    const dir = temp();
    const first = await runCli(["init"], {}, dir);
    expect(first.code).toBe(0);
    const text = readFileSync(join(dir, ".github/agreements.yml"), "utf8");
    const parsed = parseAgreements(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(Object.keys(parsed.file.teams)).toHaveLength(2);
    const second = await runCli(["init"], {}, dir);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/already exists/);
    expect(readFileSync(join(dir, ".github/agreements.yml"), "utf8")).toBe(text);
    rmSync(dir, { recursive: true });
  });

  it("refuses when the .yaml spelling exists", async () => {
    const dir = temp();
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github/agreements.yaml"), "version: 1\n");
    const run = await runCli(["init"], {}, dir);
    expect(run.stderr).toMatch(/agreements\.yaml already exists/);
    rmSync(dir, { recursive: true });
  });
});

describe("accord", () => {
  it("answers an unknown command in one line, naming the commands, with exit 2", async () => {
    const run = await runCli(["frob"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/`frob` is not an accord command/);
    expect(run.stderr).toMatch(/the commands are validate, schema, init, check, report/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
