import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildRouteTable, dispatchRoute, writeJson } from './router';
import { resolveServer, type ServerTarget } from './resolve-server';
import { runService, type RunServiceOptions } from './run-service';
import { createServiceLifecycle, type LifecycleOptions, type Service } from './service-lifecycle';

export type EdgeContractOptions = LifecycleOptions;

/** Why a server handed to the contract must not listen yet: the message a team reads in its journal or build. */
export const SELF_BOUND_MESSAGE =
  'it is already listening. Under systemd the socket unit holds the port and passes it to the service ' +
  '(LISTEN_FDS); a service that binds the port itself fails with EADDRINUSE. Remove your listen() call: ' +
  'runEdgeServer() listens on the socket systemd passes, or on PORT/HOST when run by hand';

/**
 * Puts any Node.js HTTP server under the edge runtime contract without starting it (tests start and stop it):
 * the kit answers /healthz, /readyz and /version before the framework sees the request, everything else goes
 * to the framework unchanged, and replies written while draining carry "Connection: close".
 */
export function withEdgeContract(target: ServerTarget, options: EdgeContractOptions): Service {
  const resolved = resolveServer(target);
  const { server } = resolved;
  const lifecycle = createServiceLifecycle(server, {
    ...options,
    onStart: async () => {
      if (server.listening) throw new Error(`${options.name}: ${SELF_BOUND_MESSAGE}`);
      await resolved.prepare?.();
      await options.onStart?.();
      routeProbesFirst();
    },
    onStop: async () => {
      await resolved.close?.();
      await options.onStop?.();
    },
  });
  const probes = buildRouteTable(lifecycle.probeRoutes);

  // Taken over at start, not at wrap time: the framework has attached its request listener by then.
  const routeProbesFirst = (): void => {
    const appListeners = server.listeners('request') as ((...args: unknown[]) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const isDraining = lifecycle.state !== 'running';
      if (probes.has(new URL(req.url ?? '/', 'http://localhost').pathname)) {
        void dispatchRoute(probes, req, lifecycle.log).then((reply) => writeJson(res, reply, isDraining));
        return;
      }
      if (isDraining) res.setHeader('connection', 'close');
      for (const listener of appListeners) listener.call(server, req, res);
    });
  };
  return lifecycle;
}

/**
 * The one call that gives a framework's server the edge contract as the process entry point: start it under
 * the contract, drain on SIGTERM/SIGINT and exit 0, exit 1 if the start fails (see runService).
 *
 *   runEdgeServer(app, { name: pkg.name, version: pkg.version, port: pkg.edgeship.port });
 */
export function runEdgeServer(
  target: ServerTarget,
  options: EdgeContractOptions,
  runOptions?: RunServiceOptions,
): Service {
  const service = withEdgeContract(target, options);
  void runService(service, runOptions);
  return service;
}
