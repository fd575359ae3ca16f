import { createService, type Logger, type Service } from '@edgeship/service-kit';
import pkg from '../package.json';
import { resolveGatewayConfig } from './gateway-config';
import { createReadingsRoutes } from './readings-routes';
import { Spool } from './spool/spool';
import type { SpoolOptions } from './spool/spool-options';

export interface GatewayAppOptions {
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Overrides what the environment says (DATA_DIR, SPOOL_MAX_*); tests use it for small bounds. */
  spool?: Partial<SpoolOptions>;
}

/** The spool opens in onStart, before the port does, and closes after in-flight requests have drained. */
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
  const service = createService({
    name: pkg.name,
    version: pkg.version,
    port: options.port ?? pkg.edgeship.port,
    host: options.host,
    env,
    logger: options.logger,
    routes: createReadingsRoutes(() => spool, recentCapacity),
    readiness: () => spool?.isOpen ?? false,
    onStart: async () => {
      spool = await Spool.open({ ...spoolOptions, recentCapacity }, service.log);
    },
    onStop: () => spool?.close(),
  });
  return service;
}
