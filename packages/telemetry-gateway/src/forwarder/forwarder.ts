import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@edgeship/service-kit';
import type { ForwardingConfig } from '../gateway-config';
import type { Spool } from '../spool/spool';
import { resolveRetryDelayMs } from './backoff';
import { sendBatch, type SendOutcome } from './send-batch';

export interface ForwarderStats {
  /** Origin and path only: a query string may carry a key. */
  upstream: string;
  forwardedRecords: number;
  failedAttempts: number;
  consecutiveFailures: number;
  lastError?: string;
  lastErrorAt?: string;
  lastAcknowledgedAt?: string;
}

/** How long stop() lets a request already on the wire finish: its answer saves a re-send after the restart. */
const STOP_GRACE_MS = 2000;

/**
 * Sends the spool's oldest unacknowledged readings upstream, one batch at a time, and moves the spool's
 * position only on a 2xx. Any failure (refused, timeout, 5xx, and 4xx too: a wrong URL must not eat readings)
 * is retried with capped, jittered backoff for as long as it takes; the spool's bounds bound the backlog.
 */
export class Forwarder {
  private readonly stopping = new AbortController();
  private readonly cutRequest = new AbortController();
  private readonly stats: ForwarderStats;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly config: ForwardingConfig,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {
    const url = new URL(config.upstreamUrl);
    this.stats = {
      upstream: url.origin + url.pathname,
      forwardedRecords: 0,
      failedAttempts: 0,
      consecutiveFailures: 0,
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends waits and backoff at once; a request on the wire gets STOP_GRACE_MS, then it is cut. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const timer = setTimeout(() => this.cutRequest.abort(), STOP_GRACE_MS);
    try {
      await this.loop;
    } finally {
      clearTimeout(timer);
    }
  }

  readStats(): ForwarderStats {
    return { ...this.stats };
  }

  private async run(): Promise<void> {
    this.log.info('forwarding readings upstream', { upstream: this.stats.upstream });
    while (!this.stopping.signal.aborted) {
      const seenAppends = this.spool.appendCount;
      const outcome = await this.forwardNextBatch().catch((error: unknown): SendOutcome => ({
        isAcknowledged: false,
        reason: `spool: ${(error as Error).message}`,
      }));
      if (outcome === 'idle') await this.waitFor(this.spool.whenAppended(seenAppends));
      else if (outcome.isAcknowledged) this.noteSuccess();
      else if (!this.stopping.signal.aborted) await this.pauseBeforeRetry(this.noteFailure(outcome));
    }
  }

  private async forwardNextBatch(): Promise<SendOutcome | 'idle'> {
    const batch = await this.spool.readForwardBatch(this.config.batchSize);
    if (!batch) return 'idle';
    let outcome: SendOutcome = { isAcknowledged: true, status: 0 };
    if (batch.readings.length > 0) {
      outcome = await sendBatch({
        url: this.config.upstreamUrl,
        token: this.config.token,
        readings: batch.readings,
        signal: AbortSignal.any([AbortSignal.timeout(this.config.timeoutMs), this.cutRequest.signal]),
      });
    }
    // Lines that were all corrupt are acknowledged without a request, or they would block the queue forever.
    if (!outcome.isAcknowledged) return outcome;
    await this.spool.acknowledge(batch.end);
    this.stats.forwardedRecords += batch.readings.length;
    return outcome;
  }

  private noteSuccess(): void {
    if (this.stats.consecutiveFailures > 0)
      this.log.info('upstream acknowledges again', { failedAttempts: this.stats.consecutiveFailures });
    this.stats.consecutiveFailures = 0;
    this.stats.lastAcknowledgedAt = new Date().toISOString();
  }

  /** Returns the delay before the next attempt. */
  private noteFailure(outcome: Extract<SendOutcome, { isAcknowledged: false }>): number {
    this.stats.failedAttempts += 1;
    this.stats.consecutiveFailures += 1;
    this.stats.lastError = outcome.reason;
    this.stats.lastErrorAt = new Date().toISOString();
    const retryBackoff = { baseMs: this.config.retryBaseMs, maxMs: this.config.retryMaxMs };
    const delayMs = resolveRetryDelayMs(
      this.stats.consecutiveFailures,
      retryBackoff,
      outcome.retryAfterMs,
      this.random,
    );
    this.log.warn('forwarding failed; readings stay spooled', {
      reason: outcome.reason,
      status: outcome.status,
      attempt: this.stats.consecutiveFailures,
      retryInMs: delayMs,
      pendingRecords: this.spool.readForwardingStats().pendingRecords,
    });
    return delayMs;
  }

  /** The timer is cancelled by stop(), so a long backoff never holds the process open. */
  private async pauseBeforeRetry(delayMs: number): Promise<void> {
    await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  /** Waits for `promise` or for stop(), whichever comes first. */
  private async waitFor(promise: Promise<unknown>): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return;
    let onAbort = (): void => undefined;
    const stopped = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([promise, stopped]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
