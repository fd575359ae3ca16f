import type { ForwardedReading } from '../spool/read-forward-batch';
import { parseRetryAfterMs } from './backoff';

export interface SendBatchRequest {
  url: string;
  token?: string;
  readings: ForwardedReading[];
  signal: AbortSignal;
}

export type SendOutcome =
  | { isAcknowledged: true; status: number }
  | { isAcknowledged: false; reason: string; status?: number; retryAfterMs?: number };

const EXCERPT_BYTES = 512;

/**
 * POSTs `{ "readings": [...] }`. Only a 2xx is an acknowledgement. Redirects are not followed: fetch would turn
 * a redirected POST into a GET without the readings, and that GET's 200 would look like an acknowledgement.
 */
export async function sendBatch(request: SendBatchRequest): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      },
      body: JSON.stringify({ readings: request.readings }),
      signal: request.signal,
    });
  } catch (error) {
    return { isAcknowledged: false, reason: describeFetchError(error) };
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    await response.body?.cancel();
    return { isAcknowledged: true, status };
  }
  const location = response.headers.get('location');
  const excerpt = await readExcerpt(response);
  const reason =
    status >= 300 && status < 400
      ? `upstream redirects (${status}) to ${location}; set UPSTREAM_URL to the final URL`
      : `upstream answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
  return {
    isAcknowledged: false,
    status,
    reason,
    retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
  };
}

/** The start of an error body is enough for the log; a large one is not read to its end. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.length;
    }
  } catch {
    // The body broke off; what arrived still helps.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').trim().replace(/\s+/g, ' ');
}

/** fetch says "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, a timeout) is what an operator needs. */
export function describeFetchError(error: unknown): string {
  const failure = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (failure.name === 'TimeoutError') return 'no answer from upstream within FORWARD_TIMEOUT_MS';
  if (failure.name === 'AbortError') return 'request aborted (gateway stopping)';
  const cause = failure.cause;
  if (cause?.code || cause?.message) return [cause.code, cause.message].filter(Boolean).join(': ');
  return failure.message ?? String(error);
}
