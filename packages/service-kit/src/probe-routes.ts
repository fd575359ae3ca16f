import type { Routes } from './router';
import type { VersionInfo } from './version-info';

export type ServiceState = 'created' | 'starting' | 'running' | 'draining' | 'stopped';

export interface ProbeSources {
  readState(): ServiceState;
  /** The service's own readiness (e.g. its storage is open); consulted only while running. */
  isServiceReady(): boolean;
  versionInfo: VersionInfo;
}

/** Liveness says the process answers; readiness says send traffic; both stay cheap so probes never pile up. */
export function createProbeRoutes(sources: ProbeSources): Routes {
  return {
    'GET /healthz': () => ({ body: { status: 'ok' } }),
    'GET /readyz': () => {
      const state = sources.readState();
      if (state !== 'running') return { status: 503, body: { status: state } };
      if (!sources.isServiceReady()) return { status: 503, body: { status: 'not-ready' } };
      return { body: { status: 'ready' } };
    },
    'GET /version': () => ({ body: sources.versionInfo }),
  };
}
