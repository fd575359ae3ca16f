import { createService, type Logger, type Service } from '@edgeship/service-kit';
import pkg from '../package.json';
import { Forwarder } from './forwarder/forwarder';
import { resolveGatewayConfig } from './gateway-config';
import { createReadingsRoutes } from './readings-routes';
import { Spool } from './spool/spool';
import type { SpoolOptions } from './spool/spool-options';
import { createStatsRoutes } from './stats-routes';

export interface GatewayAppOptions {
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Overrides what the environment says (DATA_DIR, SPOOL_MAX_*); tests use it for small bounds. */
  spool?: Partial<SpoolOptions>;
}

/**
 * The spool opens in onStart, before the port does, and the forwarder starts on it. On stop, in-flight
 * requests drain, then the forwarder stops (its position is already durable), then the spool closes.
 */
export function createGatewayApp(options: GatewayAppOptions = {}): Service {
  const env = options.env ?? process.env;
  const config = resolveGatewayConfig(env);
  const spoolOptions: SpoolOptions = {
    dir: config.dataDir,
    maxBytes: config.maxBytes,
    maxRecords: config.maxRecords,
    ...options.spool,
  };
  const recentCapacity = spoolOptions.recentCapacity ?? 1000;
  let spool: Spool | undefined;
  let forwarder: Forwarder | undefined;
  const readSpool = () => spool;
  const service = createService({
    name: pkg.name,
    version: pkg.version,
    port: options.port ?? pkg.edgeship.port,
    host: options.host,
    env,
    logger: options.logger,
    routes: {
      ...createReadingsRoutes(readSpool, recentCapacity),
      ...createStatsRoutes(readSpool, () => forwarder),
    },
    // A full disk refuses readings, so it is not ready: traffic should go elsewhere until a write succeeds.
    readiness: () => (spool?.isOpen ?? false) && !spool?.isDiskFull,
    onStart: async () => {
      spool = await Spool.open({ ...spoolOptions, recentCapacity }, service.log);
      if (!config.forwarding) {
        service.log.warn('UPSTREAM_URL is not set: readings are spooled and served, not forwarded');
        return;
      }
      forwarder = new Forwarder(spool, config.forwarding, service.log.child({ component: 'forwarder' }));
      forwarder.start();
    },
    onStop: async () => {
      await forwarder?.stop();
      await spool?.close();
    },
  });
  return service;
}
