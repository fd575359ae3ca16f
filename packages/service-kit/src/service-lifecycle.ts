import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainServer } from './drain-server';
import { type ListenConfig, resolveListenConfig } from './listen-config';
import { createLogger, type Logger, parseLogLevel } from './logger';
import { createProbeRoutes, type ServiceState } from './probe-routes';
import type { Routes } from './router';
import { createNotifier } from './sd-notify';
import { findInheritedSocket } from './socket-activation';
import { resolveVersionInfo } from './version-info';

/** What every service under the edge contract is configured with, whatever answers its requests. */
export interface LifecycleOptions {
  name: string;
  version: string;
  /** Default port; PORT in the environment overrides it. 0 picks a free port (tests). */
  port: number;
  /** Default 0.0.0.0; HOST in the environment overrides it. */
  host?: string;
  /** Extra readiness condition for /readyz, e.g. "the spool is open". */
  readiness?: () => boolean;
  /** Runs before listening (open storage); a throw aborts the start. */
  onStart?: () => Promise<void> | void;
  /** Runs after in-flight requests finished (flush and close storage). */
  onStop?: () => Promise<void> | void;
  /** How long a SIGTERM drain may take before open connections are cut; keep it below the unit's TimeoutStopSec. */
  shutdownTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface Service {
  readonly name: string;
  readonly log: Logger;
  readonly server: Server;
  readonly state: ServiceState;
  start(): Promise<ListenConfig>;
  stop(reason?: string): Promise<void>;
}

export interface ServiceLifecycle extends Service {
  /** /healthz, /readyz and /version, answering from this lifecycle's state. */
  readonly probeRoutes: Routes;
}

/**
 * The edge runtime contract around a node:http server, whoever handles its requests: listen on the socket
 * systemd passes (or PORT/HOST), READY=1 then WATCHDOG=1 pings through sd_notify, and on stop STOPPING=1 and a
 * drain bounded by shutdownTimeoutMs.
 */
export function createServiceLifecycle(server: Server, options: LifecycleOptions): ServiceLifecycle {
  const env = options.env ?? process.env;
  const log =
    options.logger ??
    createLogger({ level: parseLogLevel(env.LOG_LEVEL), fields: { service: options.name } });
  const notifier = createNotifier({ env, log });
  const versionInfo = resolveVersionInfo(options.name, options.version, env);
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000;
  let state: ServiceState = 'created';
  let stopping: Promise<void> | undefined;
  let stopWatchdog = (): void => undefined;

  const probeRoutes = createProbeRoutes({
    readState: () => state,
    isServiceReady: () => options.readiness?.() ?? true,
    versionInfo,
  });

  // Under socket activation systemd holds the port across restarts: connections that arrive while one
  // release stops and the next starts wait in the backlog instead of being refused.
  const listen = (config: ListenConfig, inheritedFd: number | undefined): Promise<ListenConfig> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      const onListening = () => {
        server.off('error', reject);
        const address = server.address() as AddressInfo;
        resolve({ host: address.address, port: address.port });
      };
      if (inheritedFd === undefined) server.listen(config.port, config.host, onListening);
      else server.listen({ fd: inheritedFd }, onListening);
    });

  const start = async (): Promise<ListenConfig> => {
    if (state !== 'created') throw new Error(`${options.name}: start() called twice`);
    state = 'starting';
    const config = resolveListenConfig({ port: options.port, host: options.host }, env);
    await options.onStart?.();
    const inheritedFd = findInheritedSocket(env, process.pid);
    const bound = await listen(config, inheritedFd);
    state = 'running';
    log.info('listening', {
      ...bound,
      socketActivated: inheritedFd !== undefined,
      version: versionInfo.version,
      revision: versionInfo.revision,
    });
    await notifier.notify('READY=1', `STATUS=listening on ${bound.host}:${bound.port}`);
    stopWatchdog = notifier.startWatchdog();
    return bound;
  };

  const runStop = async (reason: string): Promise<void> => {
    state = 'draining';
    // systemd stops watching once it sent SIGTERM; a ping racing the stop would only add noise.
    stopWatchdog();
    log.info('draining', { reason, timeoutMs: shutdownTimeoutMs });
    const [drained] = await Promise.all([
      drainServer(server, shutdownTimeoutMs),
      notifier.notify('STOPPING=1', `STATUS=draining (${reason})`),
    ]);
    await options.onStop?.();
    state = 'stopped';
    log.info('stopped', { reason, isForced: drained.isForced });
  };

  return {
    name: options.name,
    log,
    server,
    probeRoutes,
    get state() {
      return state;
    },
    start,
    stop: (reason = 'stop requested') => (stopping ??= runStop(reason)),
  };
}
