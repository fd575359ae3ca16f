import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ansibleArgs,
  ansibleEnv,
  deployVars,
  parseSerial,
  type NormalizedDeployOptions,
} from './ansible-args';

const options: NormalizedDeployOptions = {
  workspaceRoot: '/ws',
  playbookDir: '/ws/playbooks',
  service: { name: 'hello-edge', version: '1.2.3', port: 8101, delivery: 'binary' },
  isDeliveryForced: false,
  inventories: ['/ws/.edgeship/fleet/default/inventory.yml'],
  hosts: 'edge',
  serial: [1, '100%'],
  maxFailPercentage: 0,
  containerFallback: 'binary',
  artifactDir: '/ws/dist/hello-edge',
  healthTimeout: 60,
  stabilityWindow: 10,
  keepReleases: 3,
  extraVars: {},
  reportFile: '/ws/dist/hello-edge/deploy-report.json',
  json: false,
  verbose: false,
};
const artifacts = {
  binary: { arm64: { path: '/ws/dist/hello-edge/bin/hello-edge-linux-arm64', sha256: 'a'.repeat(64) } },
};

describe('ansibleArgs', () => {
  it('runs deploy.yml on the inventory with one JSON extra-vars document', () => {
    const args = ansibleArgs(options, artifacts);
    assert.deepEqual(args.slice(0, 3), [
      'deploy.yml',
      '--inventory',
      '/ws/.edgeship/fleet/default/inventory.yml',
    ]);
    assert.equal(args[3], '--extra-vars');
    const vars = JSON.parse(args[4]!);
    assert.equal(vars.edge_service_name, 'hello-edge');
    assert.equal(vars.edge_service_port, 8101);
    assert.deepEqual(vars.edge_deploy_serial, [1, '100%']);
    assert.deepEqual(vars.edge_service_artifacts, artifacts);
    assert.equal(args.length, 5);
  });

  it('passes every inventory, the limit and -v', () => {
    const args = ansibleArgs(
      { ...options, inventories: ['a.yml', 'b.yml'], limit: 'node-1', verbose: true },
      {},
    );
    assert.deepEqual(
      args.filter((arg) => arg !== args[args.indexOf('--extra-vars') + 1]),
      [
        'deploy.yml',
        '--inventory',
        'a.yml',
        '--inventory',
        'b.yml',
        '--limit',
        'node-1',
        '--extra-vars',
        '-v',
      ],
    );
  });
});

describe('deployVars', () => {
  it("passes the marker's delivery below inventory group_vars unless it was forced", () => {
    assert.equal(deployVars(options, {}).edge_service_preferred_delivery, 'binary');
    assert.equal(deployVars(options, {}).edge_service_delivery, undefined);
    const forced = deployVars(
      { ...options, isDeliveryForced: true, service: { ...options.service, delivery: 'container' } },
      {},
    );
    assert.equal(forced.edge_service_delivery, 'container');
    assert.equal(forced.edge_service_preferred_delivery, undefined);
  });

  it('lets extraVars override the computed variables', () => {
    assert.equal(
      deployVars({ ...options, extraVars: { edge_service_health_timeout: 5 } }, {})
        .edge_service_health_timeout,
      5,
    );
  });
});

describe('ansibleEnv', () => {
  it('points Ansible at playbooks/ansible.cfg and the callback at the report', () => {
    const env = ansibleEnv(options, false);
    assert.equal(env.ANSIBLE_CONFIG, '/ws/playbooks/ansible.cfg');
    assert.equal(env.EDGESHIP_DEPLOY_REPORT, '/ws/dist/hello-edge/deploy-report.json.ansible.json');
    assert.equal(env.ANSIBLE_NOCOLOR, '1');
  });
});

describe('parseSerial', () => {
  it('keeps node counts as numbers and percentages as strings', () => {
    assert.deepEqual(parseSerial('1,100%'), [1, '100%']);
    assert.deepEqual(parseSerial(2), [2]);
    assert.deepEqual(parseSerial(['1', '50%', 3]), [1, '50%', 3]);
  });
});
