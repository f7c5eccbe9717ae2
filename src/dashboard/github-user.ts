/**
 * Signing in with GitHub through the app's own OAuth client, and what the person may see: the
 * repositories both the app and they can reach (`/user/installations/…/repositories`, which
 * GitHub answers for a GitHub App's user token), asked for with their token and kept briefly.
 */
import { createHash } from "node:crypto";
import { TtlCache } from "../github/cache.js";
import { fetchWithTimeout } from "../github/deadline.js";

export interface GitHubEndpoints {
  /** Where people sign in: https://github.com, or the GitHub Enterprise Server. */
  web: string;
  /** The REST API: https://api.github.com, or https://HOST/api/v3. */
  api: string;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv): GitHubEndpoints {
  if (env.GHE_HOST) {
    const origin = `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}`;
    return { web: origin, api: `${origin}/api/v3` };
  }
  return { web: "https://github.com", api: "https://api.github.com" };
}

/** GitHub said the token no longer works (expired or revoked): sign in again. */
export class TokenExpired extends Error {}

export class GitHubUsers {
  private readonly access: TtlCache<Promise<Set<string>>>;

  constructor(
    private readonly endpoints: GitHubEndpoints,
    private readonly clientId: string,
    private readonly clientSecret: string,
    /** How long what a person may read is kept before GitHub is asked again (default 5 minutes). */
    accessTtlMs = 5 * 60_000,
  ) {
    this.access = new TtlCache<Promise<Set<string>>>(5_000, accessTtlMs);
  }

  authorizeUrl(redirectUri: string, state: string): string {
    const url = new URL("/login/oauth/authorize", this.endpoints.web);
    url.searchParams.set("client_id", this.clientId);
    url.searchParams.set("redirect_uri", redirectUri);
    url.searchParams.set("state", state);
    return url.href;
  }

  /** Trades the code GitHub sent back for a user token; GitHub reports errors with HTTP 200 and `error`. */
  async exchange(code: string, redirectUri: string): Promise<{ token: string } | { error: string }> {
    const response = await fetchWithTimeout(new URL("/login/oauth/access_token", this.endpoints.web), {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ client_id: this.clientId, client_secret: this.clientSecret, code, redirect_uri: redirectUri }),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
    if (!response.ok || !body.access_token) return { error: body.error_description ?? body.error ?? `GitHub answered HTTP ${response.status}` };
    return { token: body.access_token };
  }

  private async get<T>(path: string, token: string): Promise<{ data: T; next?: string }> {
    const response = await fetchWithTimeout(path.startsWith("http") ? path : `${this.endpoints.api}${path}`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "user-agent": "accord-dashboard" },
    });
    if (response.status === 401) throw new TokenExpired("GitHub no longer accepts this sign-in");
    if (!response.ok) throw new Error(`GitHub answered HTTP ${response.status} for ${path}`);
    const next = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.get("link") ?? "")?.[1];
    return { data: (await response.json()) as T, ...(next ? { next } : {}) };
  }

  async login(token: string): Promise<string> {
    return (await this.get<{ login: string }>("/user", token)).data.login;
  }

  /** `owner/name` (lower-cased) of every repository the app is installed on that this person can read. */
  readable(token: string): Promise<Set<string>> {
    const key = createHash("sha256").update(token).digest("hex");
    let known = this.access.get(key);
    if (!known) {
      known = this.listReadable(token);
      known.catch(() => this.access.delete(key));
      this.access.set(key, known);
    }
    return known;
  }

  private async listReadable(token: string): Promise<Set<string>> {
    const repos = new Set<string>();
    let page: string | undefined = "/user/installations?per_page=100";
    const installations: number[] = [];
    for (let i = 0; page && i < 10; i++) {
      const answer: { data: { installations: { id: number }[] }; next?: string } = await this.get(page, token);
      installations.push(...answer.data.installations.map((installation) => installation.id));
      page = answer.next;
    }
    for (const id of installations) {
      let next: string | undefined = `/user/installations/${id}/repositories?per_page=100`;
      for (let i = 0; next && i < 50; i++) {
        const answer: { data: { repositories: { full_name: string }[] }; next?: string } = await this.get(next, token);
        for (const repo of answer.data.repositories) repos.add(repo.full_name.toLowerCase());
        next = answer.next;
      }
    }
    return repos;
  }
}
