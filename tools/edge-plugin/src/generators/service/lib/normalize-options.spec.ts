import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { choosePort, normalizeServiceOptions, validateName } from './normalize-options';

function createWorkspace(
  services: Record<string, number> = { 'hello-edge': 8101, 'telemetry-gateway': 8102 },
): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(
    'packages/service-kit/package.json',
    JSON.stringify({
      name: '@edgeship/service-kit',
      version: '0.1.0',
      nx: { name: 'service-kit' },
      edgeship: { kind: 'library' },
      devDependencies: { fastify: '5.12.8', express: '5.3.0' },
    }),
  );
  tree.write(
    'tools/edge-fleet/package.json',
    JSON.stringify({ name: '@edgeship/edge-fleet', nx: { name: 'edge-fleet' } }),
  );
  for (const [name, port] of Object.entries(services)) {
    tree.write(
      `packages/${name}/package.json`,
      JSON.stringify({ name, version: '1.0.0', edgeship: { kind: 'service', port } }),
    );
  }
  return tree;
}

describe('normalizeServiceOptions', () => {
  it('fills in the first free fleet port, binary delivery, fastify, a description and the service-kit version', () => {
    assert.deepEqual(normalizeServiceOptions(createWorkspace(), { name: 'sensor-relay' }), {
      name: 'sensor-relay',
      className: 'SensorRelay',
      projectRoot: 'packages/sensor-relay',
      port: 8100,
      delivery: 'binary',
      description: 'The sensor-relay edgeship service.',
      install: 'full',
      serviceKitVersion: '0.1.0',
      framework: 'fastify',
      frameworkTitle: '[fastify](https://fastify.dev)',
      dependenciesJson: '{\n    "@edgeship/service-kit": "0.1.0",\n    "fastify": "5.12.8"\n  }',
      devDependenciesJson: '',
    });
  });

  it('names the missing pin when service-kit is not tested against a framework', () => {
    assert.throws(
      () => normalizeServiceOptions(createWorkspace(), { name: 'sensor-relay', framework: 'hono' }),
      /packages\/service-kit\/package\.json: devDependencies\.@hono\/node-server is missing\. The service template needs @hono\/node-server; .*npm install --save-dev --save-exact -w packages\/service-kit @hono\/node-server/,
    );
  });

  it('refuses a name that is not kebab-case, naming the fix', () => {
    for (const name of [
      'SensorRelay',
      'sensor_relay',
      'sensor--relay',
      '-sensor',
      'sensor-',
      '1sensor',
      '',
      '@scope/x',
    ]) {
      assert.throws(() => validateName(name), /name is ".*"\. Use kebab-case/, name);
    }
    assert.throws(() => validateName('a'.repeat(41)), /Keep it to 40 characters/);
    assert.equal(validateName('s3-relay'), 's3-relay');
  });

  it('refuses a service, folder or project that already exists', () => {
    const tree = createWorkspace();
    assert.throws(
      () => normalizeServiceOptions(tree, { name: 'hello-edge' }),
      /name is "hello-edge"\. packages\/hello-edge already exists/,
    );
    assert.throws(
      () => normalizeServiceOptions(tree, { name: 'edge-fleet' }),
      /tools\/edge-fleet already exists/,
    );
    assert.throws(
      () => normalizeServiceOptions(tree, { name: 'service-kit' }),
      /packages\/service-kit already exists/,
    );
    tree.write('packages/half-made/README.md', '# half made\n');
    assert.throws(
      () => normalizeServiceOptions(tree, { name: 'half-made' }),
      /packages\/half-made already exists/,
    );
  });

  it('refuses a port another service uses, naming that service and free ports', () => {
    assert.throws(
      () => normalizeServiceOptions(createWorkspace(), { name: 'x', port: 8102 }),
      /port is 8102\. packages\/telemetry-gateway\/package\.json already uses it \(edgeship\.port\); pick another \(free: 8100, 8103, 8104, 8105, 8106, …\)/,
    );
  });

  it('refuses a port outside 8100-8119, the ports the local fleet publishes', () => {
    for (const port of [8099, 8120, 80, 8100.5]) {
      assert.throws(
        () => choosePort(port, []),
        /Use 8100-8119, the ports the local fleet publishes/,
        String(port),
      );
    }
    assert.equal(choosePort(8119, []), 8119);
  });

  it('says so when every fleet port is taken', () => {
    const full = Array.from({ length: 20 }, (_, i) => ({ root: `packages/s${i}`, port: 8100 + i }));
    assert.throws(() => choosePort(undefined, full), /Every port 8100-8119 is taken/);
    assert.throws(() => choosePort(8105, full), /none is free/);
  });

  it('refuses an unknown delivery or install mode', () => {
    assert.throws(
      () => normalizeServiceOptions(createWorkspace(), { name: 'x', delivery: 'boat' as never }),
      /delivery is "boat"/,
    );
    assert.throws(
      () => normalizeServiceOptions(createWorkspace(), { name: 'x', install: 'maybe' as never }),
      /install is "maybe"/,
    );
  });

  it('needs service-kit to build on', () => {
    const tree = createTreeWithEmptyWorkspace();
    assert.throws(
      () => normalizeServiceOptions(tree, { name: 'x' }),
      /packages\/service-kit\/package\.json: \(file\) is missing/,
    );
  });
});
