/**
 * Probot's Octokit, with GitHub's secondary rate limit retried (twice, after the wait GitHub
 * asks for) instead of only logged, and a deadline on every request. Write queues are per
 * installation because every client comes from `app.auth(installationId)`.
 */
import { ProbotOctokit } from "probot";
import { fetchWithTimeout } from "./deadline.js";

type ThrottleHandler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn: (message: string) => void } }, retryCount: number) => boolean;

export const MAX_SECONDARY_RETRIES = 2;

export const retryOnSecondaryLimit: ThrottleHandler = (retryAfter, options, octokit, retryCount) => {
  octokit.log.warn(`GitHub's secondary rate limit hit on ${options.method} ${options.url}; ${retryCount < MAX_SECONDARY_RETRIES ? `retrying in ${retryAfter}s` : "giving up"}.`);
  return retryCount < MAX_SECONDARY_RETRIES;
};

export const AccordOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => {
  const throttle = (options.throttle ?? {}) as Record<string, unknown>;
  const request = { fetch: fetchWithTimeout, ...(options.request as Record<string, unknown> | undefined) };
  return throttle.enabled === false ? { ...options, request } : { ...options, request, throttle: { ...throttle, onSecondaryRateLimit: retryOnSecondaryLimit } };
});
