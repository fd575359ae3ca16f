import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProbeRoutes, type ServiceState } from './probe-routes';
import type { RouteContext } from './router';
import { resolveVersionInfo } from './version-info';

async function readReadyz(state: ServiceState, isServiceReady = true) {
  const routes = createProbeRoutes({
    readState: () => state,
    isServiceReady: () => isServiceReady,
    versionInfo: resolveVersionInfo('svc', '1.0.0', {}),
  });
  return routes['GET /readyz']!({} as RouteContext);
}

test('/readyz is 200 only while running and the service says it is ready', async () => {
  assert.deepEqual(await readReadyz('running'), { body: { status: 'ready' } });
  assert.deepEqual(await readReadyz('running', false), { status: 503, body: { status: 'not-ready' } });
});

test('/readyz is 503 while starting, draining and after stopping', async () => {
  for (const state of ['created', 'starting', 'draining', 'stopped'] as const) {
    assert.deepEqual(await readReadyz(state), { status: 503, body: { status: state } });
  }
});
