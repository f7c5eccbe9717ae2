/**
 * Path prefixes used to index and query review history. A file "a/b/c.go" is known
 * under the prefixes "a/", "a/b/" and the file itself, so experience with a directory
 * carries over to new files in it.
 */

/** Directory prefixes of a path, shallowest first, each ending in "/" (root excluded). */
export function directoryPrefixes(path: string): string[] {
  const parts = normalisePath(path).split("/");
  const prefixes: string[] = [];
  let prefix = "";
  for (let i = 0; i < parts.length - 1; i++) {
    prefix += `${parts[i]}/`;
    prefixes.push(prefix);
  }
  return prefixes;
}

/** Depth of a prefix or file path: "a/" is 1, "a/b/" is 2, "a/b/c.go" is 3. */
export function pathDepth(prefixOrPath: string): number {
  const trimmed = prefixOrPath.endsWith("/") ? prefixOrPath.slice(0, -1) : prefixOrPath;
  return trimmed === "" ? 0 : trimmed.split("/").length;
}

/** Drop a leading "./" or "/" and collapse doubled slashes, so keys compare equal. */
export function normalisePath(path: string): string {
  return path.replace(/^\.?\/+/, "").replace(/\/{2,}/g, "/");
}
