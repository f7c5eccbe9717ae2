/** Real temporary git repositories for CLI tests. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), "accord-test-"));
  /** Other directories made for this repository (its remote), removed with it. */
  private readonly extra: string[] = [];

  constructor() {
    this.git("init", "-q", "-b", "main");
    this.git("config", "user.email", "alice@example.com");
    this.git("config", "user.name", "alice");
    this.git("config", "commit.gpgsign", "false");
  }

  git(...args: string[]): string {
    return execFileSync("git", ["-C", this.dir, ...args], { encoding: "utf8" });
  }

  write(path: string, content: string | Buffer): this {
    const target = join(this.dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return this;
  }

  commit(message: string): this {
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", message);
    return this;
  }

  /**
   * A bare repository as `origin`: pushes `branch`, fetches, and points origin/HEAD at it,
   * as a clone would. Returns the remote's directory.
   */
  addOrigin(branch = "main"): string {
    const remote = mkdtempSync(join(tmpdir(), "accord-remote-"));
    this.extra.push(remote);
    execFileSync("git", ["init", "-q", "--bare", "-b", branch, remote]);
    this.git("remote", "add", "origin", remote);
    this.git("push", "-q", "origin", branch);
    this.git("fetch", "-q", "origin");
    this.git("remote", "set-head", "origin", branch);
    return remote;
  }

  /** A new directory inside the repository (made if missing), for running commands from a subdirectory. */
  subdir(path: string): string {
    const target = join(this.dir, path);
    mkdirSync(target, { recursive: true });
    return target;
  }

  remove(): void {
    for (const dir of [this.dir, ...this.extra]) rmSync(dir, { recursive: true, force: true });
  }
}

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CapturedRun> {
  const { main } = await import("../../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    colour: false,
    env,
    ...(cwd ? { cwd } : {}),
  });
  return { code, stdout, stderr };
}
