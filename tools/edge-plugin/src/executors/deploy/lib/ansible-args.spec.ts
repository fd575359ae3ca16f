import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ansibleArgs,
  ansibleEnv,
  deployVars,
  parseSerial,
  rolloutKey,
  type NormalizedDeployOptions,
} from './ansible-args';

const options: NormalizedDeployOptions = {
  workspaceRoot: '/ws',
  playbookDir: '/ws/playbooks',
  service: { name: 'hello-edge', version: '1.2.3', port: 8101, delivery: 'binary', stateDirectory: false },
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
  trust: { isSignatureRequired: false, why: 'local fleet outside CI', anchor: undefined },
};
const artifacts = {
  binary: { arm64: { path: '/ws/dist/hello-edge/bin/hello-edge-linux-arm64', sha256: 'a'.repeat(64) } },
};
const one = [{ options, artifacts }];
const gateway = {
  ...options,
  service: {
    name: 'telemetry-gateway',
    version: '0.4.0',
    port: 8102,
    delivery: 'container' as const,
    stateDirectory: true,
  },
  reportFile: '/ws/dist/telemetry-gateway/deploy-report.json',
};

describe('ansibleArgs', () => {
  it('runs deploy.yml on the inventory with one JSON extra-vars document', () => {
    const args = ansibleArgs(one);
    assert.deepEqual(args.slice(0, 3), [
      'deploy.yml',
      '--inventory',
      '/ws/.edgeship/fleet/default/inventory.yml',
    ]);
    assert.equal(args[3], '--extra-vars');
    const vars = JSON.parse(args[4]!);
    assert.deepEqual(vars.edge_deploy_services, [
      { name: 'hello-edge', version: '1.2.3', port: 8101, delivery: 'binary', artifacts, state_dir: false },
    ]);
    assert.deepEqual(vars.edge_deploy_serial, [1, '100%']);
    assert.equal(args.length, 5);
  });

  it('passes every inventory, the limit and -v', () => {
    const args = ansibleArgs([
      {
        options: { ...options, inventories: ['a.yml', 'b.yml'], limit: 'node-1', verbose: true },
        artifacts: {},
      },
    ]);
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
  it('lists every service of the rollout, each with its own artifacts, port and state directory', () => {
    const vars = deployVars([...one, { options: gateway, artifacts: {} }]);
    const services = vars.edge_deploy_services as Record<string, unknown>[];
    assert.deepEqual(
      services.map((service) => [service.name, service.port, service.delivery, service.state_dir]),
      [
        ['hello-edge', 8101, 'binary', false],
        ['telemetry-gateway', 8102, 'container', true],
      ],
    );
    assert.deepEqual(services[1]!.artifacts, {});
  });

  it("passes the marker's delivery below inventory group_vars unless it was forced", () => {
    const [entry] = deployVars(one).edge_deploy_services as Record<string, unknown>[];
    assert.equal(entry!.delivery, 'binary');
    assert.equal(entry!.forced_delivery, undefined);
    const forcedOptions = {
      ...options,
      isDeliveryForced: true,
      service: { ...options.service, delivery: 'container' as const },
    };
    const [forced] = deployVars([{ options: forcedOptions, artifacts }]).edge_deploy_services as Record<
      string,
      unknown
    >[];
    assert.equal(forced!.forced_delivery, 'container');
  });

  it('lets extraVars override the computed variables', () => {
    const vars = deployVars([
      { options: { ...options, extraVars: { edge_service_health_timeout: 5 } }, artifacts },
    ]);
    assert.equal(vars.edge_service_health_timeout, 5);
  });
});

describe('rolloutKey', () => {
  it('puts services with the same inventory and rollout options into one run, and no others', () => {
    assert.equal(rolloutKey(options), rolloutKey(gateway));
    assert.notEqual(rolloutKey(options), rolloutKey({ ...gateway, inventories: ['other.yml'] }));
    assert.notEqual(rolloutKey(options), rolloutKey({ ...gateway, serial: [2] }));
    assert.notEqual(
      rolloutKey(options),
      rolloutKey({ ...gateway, extraVars: { edge_service_environment: { A: '1' } } }),
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
