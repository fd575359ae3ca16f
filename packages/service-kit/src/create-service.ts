import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { buildRouteTable, dispatchRoute, type Routes, writeJson } from './router';
import { createServiceLifecycle, type LifecycleOptions, type Service } from './service-lifecycle';

export type { Service } from './service-lifecycle';

/** A service on the kit's own small router: no dependencies, JSON in and out. */
export interface ServiceOptions extends LifecycleOptions {
  routes?: Routes;
}

const QUIET_PATHS = new Set(['/healthz', '/readyz']);

export function createService(options: ServiceOptions): Service {
  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const startedAt = process.hrtime.bigint();
    const reply = await dispatchRoute(table, req, lifecycle.log);
    writeJson(res, reply, lifecycle.state !== 'running');
    const path = (req.url ?? '/').split('?')[0]!;
    const fields = {
      method: req.method,
      path,
      status: res.statusCode,
      durationMs: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e3) / 1e3,
    };
    if (QUIET_PATHS.has(path)) lifecycle.log.debug('request', fields);
    else lifecycle.log.info('request', fields);
  };
  const lifecycle = createServiceLifecycle(
    createServer((req, res) => void handleRequest(req, res)),
    options,
  );
  const table = buildRouteTable({ ...options.routes, ...lifecycle.probeRoutes });
  return lifecycle;
}
