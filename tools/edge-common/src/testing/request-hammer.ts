import { request } from 'node:http';

export interface HammerFigures {
  requests: number;
  ok: number;
  failed: number;
  /** Failures by kind: an error code (ECONNRESET, ECONNREFUSED, ...), `timeout` or `http <status>`. */
  failures: Record<string, number>;
  /** The longest run of back-to-back failures, from the first failed request's start to the next success. */
  longestOutageMs: number;
  /** The slowest successful request: under socket activation a request made during a restart waits, not fails. */
  slowestOkMs: number;
}

/** One GET with its own connection (no keep-alive), so every request sees whether the node accepts. */
function probe(port: number, path: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? undefined : `http ${res.statusCode}`));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

/**
 * A client that keeps asking a service while something happens to it (an upgrade): what a caller of the
 * node would have seen. Sequential requests every `intervalMs` until stop() is called.
 */
export function startHammer(port: number, path = '/healthz', intervalMs = 100, timeoutMs = 10_000) {
  const figures: HammerFigures = {
    requests: 0,
    ok: 0,
    failed: 0,
    failures: {},
    longestOutageMs: 0,
    slowestOkMs: 0,
  };
  let running = true;
  let outageStartedAt: number | undefined;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const failure = await probe(port, path, timeoutMs);
      figures.requests += 1;
      if (failure) {
        figures.failed += 1;
        figures.failures[failure] = (figures.failures[failure] ?? 0) + 1;
        outageStartedAt ??= started;
      } else {
        figures.ok += 1;
        figures.slowestOkMs = Math.max(figures.slowestOkMs, Date.now() - started);
        if (outageStartedAt !== undefined) {
          figures.longestOutageMs = Math.max(figures.longestOutageMs, Date.now() - outageStartedAt);
          outageStartedAt = undefined;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))));
    }
  })();
  return {
    async stop(): Promise<HammerFigures> {
      running = false;
      await loop;
      if (outageStartedAt !== undefined)
        figures.longestOutageMs = Math.max(figures.longestOutageMs, Date.now() - outageStartedAt);
      return figures;
    },
  };
}
