import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainServer } from './drain-server';
import { type ListenConfig, resolveListenConfig } from './listen-config';
import { findInheritedSocket } from './socket-activation';
import { createLogger, type Logger, parseLogLevel } from './logger';
import { createProbeRoutes, type ServiceState } from './probe-routes';
import { buildRouteTable, dispatchRoute, type Routes, writeJson } from './router';
import { createNotifier } from './sd-notify';
import { resolveVersionInfo } from './version-info';

export interface ServiceOptions {
  name: string;
  version: string;
  /** Default port; PORT in the environment overrides it. 0 picks a free port (tests). */
  port: number;
  /** Default 0.0.0.0; HOST in the environment overrides it. */
  host?: string;
  routes?: Routes;
  /** Extra readiness condition for /readyz, e.g. "the spool is open". */
  readiness?: () => boolean;
  /** Runs before listening (open storage); a throw aborts the start. */
  onStart?: () => Promise<void> | void;
  /** Runs after in-flight requests finished (flush and close storage). */
  onStop?: () => Promise<void> | void;
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

const QUIET_PATHS = new Set(['/healthz', '/readyz']);

export function createService(options: ServiceOptions): Service {
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

  const probes = createProbeRoutes({
    readState: () => state,
    isServiceReady: () => options.readiness?.() ?? true,
    versionInfo,
  });
  const table = buildRouteTable({ ...options.routes, ...probes });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = process.hrtime.bigint();
    const reply = await dispatchRoute(table, req, log);
    writeJson(res, reply, state !== 'running');
    const path = (req.url ?? '/').split('?')[0]!;
    const fields = {
      method: req.method,
      path,
      status: res.statusCode,
      durationMs: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e3) / 1e3,
    };
    if (QUIET_PATHS.has(path)) log.debug('request', fields);
    else log.info('request', fields);
  };
  const server = createServer((req, res) => void handleRequest(req, res));

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
    get state() {
      return state;
    },
    start,
    stop: (reason = 'stop requested') => (stopping ??= runStop(reason)),
  };
}
