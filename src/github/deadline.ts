/** No GitHub request waits for ever: one that has not answered in this long fails (and its job is retried). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** `fetch` with a deadline, keeping any signal the caller gave. */
export const fetchWithTimeout: typeof fetch = (input, init = {}) => {
  const deadline = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  return fetch(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
};
