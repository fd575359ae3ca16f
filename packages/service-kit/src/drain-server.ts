import type { Server } from 'node:http';

export interface DrainResult {
  /** True when the timeout hit and the remaining connections were cut. */
  isForced: boolean;
}

/**
 * Stops accepting connections, lets in-flight requests finish, and cuts whatever is left after timeoutMs.
 * Idle keep-alive sockets are closed right away; busy ones close after their response, because replies written
 * while draining carry "Connection: close".
 */
export function drainServer(server: Server, timeoutMs: number): Promise<DrainResult> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve({ isForced: false });
    let isForced = false;
    const timer = setTimeout(() => {
      isForced = true;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve({ isForced });
    });
    server.closeIdleConnections();
  });
}
