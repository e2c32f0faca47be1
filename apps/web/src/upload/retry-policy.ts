// When a failed chunk request is worth sending again, and how long to wait first.
import { isApiError } from '../api/client.ts';

/** Attempts per chunk, the first included. */
export const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/**
 * No answer at all (`network_error`), a server fault (5xx), "slow down" (429) or "another PUT of
 * this chunk still holds it" (409 `chunk_busy`) may pass on a second try; any other 4xx is an
 * answer about the request itself and will not change.
 */
export function isRetryable(err: unknown): boolean {
  if (!isApiError(err)) return false;
  return err.status === 0 || err.status === 429 || err.status >= 500 || err.code === 'chunk_busy';
}

/**
 * Exponential backoff with jitter before attempt `attempt + 1` (`attempt` ≥ 1 failed so far):
 * 0.5 s, 1 s, 2 s… capped at 20 s, each scaled by a random factor in [0.5, 1) so clients that
 * failed together do not come back together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
