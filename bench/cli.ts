/** `accord check` end to end on a generated repository of 3,000 changed files, beside `git diff --numstat`. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { stringify } from "yaml";
import { median, ms } from "./stats.js";
import { syntheticAgreementFile, syntheticFiles } from "./synthetic.js";

export function benchCli(print: (line: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "accord-bench-"));
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  try {
    git("init", "-q", "-b", "main");
    git("config", "user.email", "bench@example.com");
    git("config", "user.name", "bench");
    const agreements = syntheticAgreementFile(200, 5);
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write(".github/agreements.yml", stringify(agreements));
    git("add", "-A");
    git("commit", "-q", "-m", "agreements");
    git("checkout", "-q", "-b", "feature");
    for (const file of syntheticFiles(3000)) write(file.path, `${"line\n".repeat(file.additions)}`);
    git("add", "-A");
    git("commit", "-q", "-m", "feat: 3,000 files");

    const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "cli", "main.js");
    const time = (command: string, args: string[]) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        try {
          execFileSync(command, args, { stdio: "ignore" });
        } catch {
          // accord exits 1 on a failing conclusion; only the time matters here.
        }
        times.push(performance.now() - start);
      }
      return median(times.slice(2));
    };
    const accord = time(process.execPath, [cli, "check", "--repo", dir, "--base", "main", "--format", "json"]);
    const numstat = time("git", ["-C", dir, "diff", "--numstat", "-M", "main...feature"]);
    print("accord check end to end: generated repository, 3,000 changed files, 200 agreements");
    print(`  accord check          median ${ms(accord)} (node start-up included)`);
    print(`  git diff --numstat    median ${ms(numstat)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
