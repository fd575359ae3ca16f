export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `failures` (1 after the first failure): doubling from baseMs, capped at maxMs, with
 * "equal jitter": half of it fixed, so no retry comes at once, half random, so gateways that lost the same
 * upstream together do not come back in lockstep.
 */
export function computeBackoffMs(failures: number, options: BackoffOptions, random = Math.random): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The upstream's Retry-After is honoured, but never beyond our own cap: a bad header cannot stall forwarding. */
export function resolveRetryDelayMs(
  failures: number,
  options: BackoffOptions,
  retryAfterMs: number | undefined,
  random = Math.random,
): number {
  const backoff = computeBackoffMs(failures, options, random);
  return Math.min(options.maxMs, Math.max(backoff, retryAfterMs ?? 0));
}
