/**
 * The app's sources as runnable JavaScript, for tests that start real processes (the server, a
 * worker thread, several instances). Each file is transpiled on its own (no type check: `npm
 * test` type-checks first), which takes about a second instead of a full `tsc` build, into a
 * directory named by the sources' hash, so every test file of a run shares one copy.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Transpiles `src` (and any extra files under the repository, e.g. a test's worker) and returns the output root: `<out>/src/server.js`. */
export function compiledSources(extra: readonly string[] = []): string {
  const files = [...sources(join(root, "src")), ...extra.map((file) => join(root, file))].sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(file));
  const out = join(root, "node_modules", ".cache", "accord-test-build", hash.digest("hex").slice(0, 16));
  if (existsSync(join(out, "package.json"))) return out;
  const staging = `${out}.${process.pid}.${Date.now()}`;
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const target = join(staging, relative(root, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  writeFileSync(join(staging, "package.json"), '{"type":"module"}\n');
  try {
    renameSync(staging, out);
  } catch {
    // Another test process finished first: its copy is the same.
    rmSync(staging, { recursive: true, force: true });
  }
  return out;
}
