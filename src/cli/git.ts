/** The few git questions `accord check` asks, each one process, no shell involved. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import type { ChangedFile, FileStatus } from "../engine/facts.js";
import { CliError } from "./errors.js";

const run = promisify(execFile);
const MAX_BUFFER = 512 * 1024 * 1024;

export class Git {
  constructor(readonly dir: string) {}

  async output(args: string[], input?: string): Promise<string> {
    if (input !== undefined) return this.withInput(args, input);
    const { stdout } = await run("git", ["-C", this.dir, ...args], { maxBuffer: MAX_BUFFER, encoding: "utf8" });
    return stdout;
  }

  private withInput(args: string[], input: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile("git", ["-C", this.dir, ...args], { maxBuffer: MAX_BUFFER, encoding: "utf8" }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
      child.stdin?.end(input);
    });
  }

  async tryOutput(args: string[]): Promise<string | undefined> {
    try {
      return await this.output(args);
    } catch {
      return undefined;
    }
  }

  /** Says in plain words when git is missing or `dir` is not inside a repository; returns the repository's root. */
  async assertRepository(): Promise<string> {
    if (!(await gitInstalled())) {
      throw new CliError("git is not installed (or not on PATH), and accord check reads the repository through git. Install git, then run accord check again.");
    }
    const top = await this.tryOutput(["rev-parse", "--show-toplevel"]);
    if (top === undefined) {
      const why = existsSync(this.dir) ? "(nor inside one)" : "(there is no such directory)";
      throw new CliError(`${this.dir} is not a git repository ${why}. Run accord check inside a clone, or point --repo at one.`);
    }
    return top.trim();
  }

  /** Whether a ref names a commit. */
  async hasCommit(ref: string): Promise<boolean> {
    return Boolean((await this.tryOutput(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]))?.trim());
  }

  /** How many files differ from HEAD in the working tree: tracked changes (staged or not) and untracked files. */
  async uncommitted(): Promise<{ changed: number; untracked: number }> {
    const out = (await this.tryOutput(["status", "--porcelain=v1", "-z", "--untracked-files=normal", "--ignore-submodules=dirty"])) ?? "";
    let changed = 0;
    let untracked = 0;
    const records = out.split("\0");
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.length < 3) continue;
      if (record.startsWith("??")) untracked += 1;
      else changed += 1;
      // A rename or copy is followed by its old path.
      if (record[0] === "R" || record[0] === "C") i += 1;
    }
    return { changed, untracked };
  }

  async resolveCommit(ref: string, flag: string): Promise<string> {
    const sha = await this.tryOutput(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
    if (!sha?.trim()) {
      throw new CliError(`${flag} ${ref}: no branch, tag or commit has that name (repository: ${this.dir}). \`git branch -a\` lists the branches; fetch the remote first if it is a remote branch.`);
    }
    return sha.trim();
  }

  /** The remote's default branch (origin/HEAD), else `main`. */
  async defaultBase(): Promise<string> {
    const remoteHead = await this.tryOutput(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]);
    return remoteHead?.trim() || "main";
  }

  async mergeBase(base: string, head: string): Promise<string> {
    const sha = await this.tryOutput(["merge-base", base, head]);
    if (!sha?.trim()) throw new CliError(`The base and head share no history, so there is no pull request to check between them.`);
    return sha.trim();
  }

  /** Changed files from the merge base to the head, with renames and line counts, plus each file's new blob. */
  async changedFiles(from: string, to: string): Promise<{ files: ChangedFile[]; blobs: Map<string, string> }> {
    const raw = await this.output(["diff", "--raw", "--no-abbrev", "--numstat", "-z", "-M", "--no-color", "--no-ext-diff", from, to]);
    return parseRawNumstat(raw);
  }

  async show(commit: string, path: string): Promise<string | undefined> {
    return this.tryOutput(["show", `${commit}:${path}`]);
  }

  /** Sizes of many blobs in one process. */
  async blobSizes(blobs: readonly string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (blobs.length === 0) return sizes;
    const out = await this.output(["cat-file", "--batch-check=%(objectname) %(objectsize)"], `${blobs.join("\n")}\n`);
    for (const line of out.split("\n")) {
      const [sha, size] = line.split(" ");
      if (sha && size && /^\d+$/.test(size)) sizes.set(sha, Number(size));
    }
    return sizes;
  }
}

/** Whether `git` can be run at all (it is installed and on PATH). */
export async function gitInstalled(): Promise<boolean> {
  try {
    await run("git", ["--version"], { encoding: "utf8" });
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== "ENOENT";
  }
}

/** The root of the git repository `dir` is in, or undefined (not in one, or no git). */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  return (await new Git(dir).tryOutput(["rev-parse", "--show-toplevel"]))?.trim() || undefined;
}

const STATUS: Record<string, FileStatus> = { A: "added", D: "removed", M: "modified", R: "renamed", C: "copied", T: "changed" };

/** Parses `git diff --raw --numstat -z` output: raw records first, then numstat records. */
export function parseRawNumstat(raw: string): { files: ChangedFile[]; blobs: Map<string, string> } {
  const fields = raw.split("\0");
  const files: ChangedFile[] = [];
  const blobs = new Map<string, string>();
  const byPath = new Map<string, ChangedFile>();
  let i = 0;
  while (i < fields.length && fields[i]!.startsWith(":")) {
    const meta = fields[i]!.slice(1).split(" ");
    const newBlob = meta[3]!;
    const letter = meta[4]![0]!;
    let file: ChangedFile;
    if (letter === "R" || letter === "C") {
      file = { path: fields[i + 2]!, previousPath: fields[i + 1]!, status: STATUS[letter]!, additions: 0, deletions: 0 };
      i += 3;
    } else {
      file = { path: fields[i + 1]!, status: STATUS[letter] ?? "modified", additions: 0, deletions: 0 };
      i += 2;
    }
    files.push(file);
    byPath.set(file.path, file);
    if (!/^0+$/.test(newBlob)) blobs.set(file.path, newBlob);
  }
  while (i < fields.length) {
    const record = fields[i]!;
    if (record === "") {
      i += 1;
      continue;
    }
    const [added, deleted, path] = record.split("\t");
    let target = path;
    if (path === "") {
      // A rename: the paths follow as two separate fields.
      target = fields[i + 2];
      i += 3;
    } else {
      i += 1;
    }
    const file = target !== undefined ? byPath.get(target) : undefined;
    if (file) {
      // Binary files show "-": they have no line count.
      file.additions = added === "-" ? 0 : Number(added);
      file.deletions = deleted === "-" ? 0 : Number(deleted);
    }
  }
  return { files, blobs };
}
