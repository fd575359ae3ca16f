import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rollbackVars } from './apply-rollback';
import type { NormalizedRollbackOptions } from './normalize-rollback-options';
import type { RollbackStep } from './plan-rollback';

const options = (name: string, stateDirectory = false): NormalizedRollbackOptions => ({
  ...{ workspaceRoot: '/w', playbookDir: '/w/playbooks', service: { name, port: 8101, stateDirectory } },
  ...{ inventories: ['/w/i.yml'], hosts: 'edge', serial: [1, '100%'], healthTimeout: 30, stabilityWindow: 2 },
  ...{ extraVars: { edge_service_keep_releases: 4 }, json: false, verbose: false },
  trust: { isSignatureRequired: false, why: 'local fleet outside CI', anchor: undefined },
});
const step = (service: string, node: string, to: string, delivery = 'binary'): RollbackStep => ({
  ...{ service, node, from: 'x', to, version: to.split('-')[0]!, delivery, isInPlace: false },
});

describe('rollbackVars', () => {
  it('targets per node and service, only the nodes to switch, podman probed where a container is a target', () => {
    const vars = rollbackVars(
      [options('a'), options('b', true)],
      [
        step('a', 'n1', '1.0.0-aaaaaaaaaaaa'),
        step('b', 'n1', '2.0.0-bbbbbbbbbbbb', 'container'),
        step('a', 'n3', '1.0.0-aaaaaaaaaaaa'),
      ],
    );
    assert.deepEqual(vars, {
      edge_rollback_hosts: 'n1:n3',
      edge_rollback_serial: [1, '100%'],
      edge_rollback_services: [
        { name: 'a', port: 8101, state_dir: false },
        { name: 'b', port: 8101, state_dir: true },
      ],
      edge_rollback_targets: {
        n1: { a: '1.0.0-aaaaaaaaaaaa', b: '2.0.0-bbbbbbbbbbbb' },
        n3: { a: '1.0.0-aaaaaaaaaaaa' },
      },
      edge_rollback_podman_nodes: ['n1'],
      edge_service_health_timeout: 30,
      edge_service_stability_window: 2,
      edge_service_keep_releases: 4,
    });
  });
});
