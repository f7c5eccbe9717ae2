/**
 * Secrets out of everything Accord prints: credentials in URLs, GitHub tokens, private keys and
 * bearer or token headers become `***`. Applied to every line the server logs and to every
 * message that may carry configuration (e.g. a database URL that could not be opened).
 */
const PATTERNS: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // scheme://user:password@host → scheme://user:***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, "$1:***@"],
  // -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY----- (also with escaped newlines, as in JSON)
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, "-----BEGIN PRIVATE KEY-----***-----END PRIVATE KEY-----"],
  // GitHub tokens: classic, fine-grained, app installation/user/refresh, OAuth.
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}/g, "$1***"],
  // Authorization headers and query parameters that carry secrets.
  [/\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 ***"],
  [/\b(client_secret|access_token|refresh_token|password|secret)=[^&\s"']+/gi, "$1=***"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  return out;
}

/** A database or service URL fit to print: the password, if any, replaced by `***`. */
export function redactUrl(url: string | undefined): string {
  if (url === undefined) return "";
  return redact(url);
}
