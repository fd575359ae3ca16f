import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import * as prettier from 'prettier';
import { readEdgeshipMarker } from '../../plugins/marker';
import { WORKSPACE_ROOT } from '@edgeship/edge-common/testing';
import serviceGenerator from './generator';

function createWorkspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  // This workspace formats with Prettier (its .prettierrc.json), not the oxfmt the empty workspace sets up.
  tree.delete('.oxfmtrc.json');
  tree.write('.prettierrc.json', readFileSync(join(WORKSPACE_ROOT, '.prettierrc.json'), 'utf8'));
  tree.write(
    'packages/service-kit/package.json',
    JSON.stringify({
      name: '@edgeship/service-kit',
      version: '0.1.0',
      devDependencies: {
        '@hono/node-server': '2.1.9',
        '@types/express': '5.0.6',
        express: '5.3.0',
        fastify: '5.12.8',
        hono: '4.13.19',
      },
    }),
  );
  tree.write(
    'packages/hello-edge/package.json',
    JSON.stringify({ name: 'hello-edge', version: '1.0.0', edgeship: { kind: 'service', port: 8101 } }),
  );
  return tree;
}

describe('service generator', () => {
  // formatFiles in a virtual tree cannot find the workspace's .prettierrc.json on disk and would use
  // Prettier's defaults: check the templates' own output instead (they must already be formatted).
  before(() => {
    process.env.NX_SKIP_FORMAT = 'true';
  });
  after(() => {
    delete process.env.NX_SKIP_FORMAT;
  });

  it('writes a service on service-kit: marker, app with routes, test, main, README', async () => {
    const tree = createWorkspace();
    await serviceGenerator(tree, {
      name: 'sensor-relay',
      framework: 'http',
      port: 8107,
      delivery: 'container',
      install: 'skip',
    });
    assert.deepEqual(tree.children('packages/sensor-relay').sort(), ['README.md', 'package.json', 'src']);
    assert.deepEqual(tree.children('packages/sensor-relay/src').sort(), ['app.spec.ts', 'app.ts', 'main.ts']);
    const manifest = readJson(tree, 'packages/sensor-relay/package.json');
    assert.deepEqual(readEdgeshipMarker(manifest, 'package.json'), {
      kind: 'service',
      name: 'sensor-relay',
      version: '0.1.0',
      port: 8107,
      delivery: 'container',
    });
    assert.deepEqual(manifest.dependencies, { '@edgeship/service-kit': '0.1.0' });
    assert.equal(manifest.main, 'src/main.ts');
    const app = tree.read('packages/sensor-relay/src/app.ts', 'utf8')!;
    assert.match(
      app,
      /export function createSensorRelayApp\(options: SensorRelayAppOptions = \{\}\): Service/,
    );
    assert.match(
      tree.read('packages/sensor-relay/src/main.ts', 'utf8')!,
      /runService\(createSensorRelayApp\(\)\)/,
    );
    assert.match(
      tree.read('packages/sensor-relay/src/app.spec.ts', 'utf8')!,
      /\/healthz[\s\S]*\/version names this package/,
    );
    assert.match(
      tree.read('packages/sensor-relay/README.md', 'utf8')!,
      /^# sensor-relay\n[\s\S]*Port 8107, delivered as an OCI image/,
    );
  });

  for (const framework of ['fastify', 'express', 'hono', 'http'] as const) {
    it(`--framework ${framework}: files Prettier leaves unchanged, and a description that survives JSON`, async () => {
      const tree = createWorkspace();
      await serviceGenerator(tree, {
        name: 'quote-svc',
        framework,
        description: 'Says "hi" \\ politely',
        install: 'skip',
      });
      assert.equal(readJson(tree, 'packages/quote-svc/package.json').description, 'Says "hi" \\ politely');
      const options = { ...(JSON.parse(tree.read('.prettierrc.json', 'utf8')!) as object) };
      for (const file of ['package.json', 'README.md', 'src/app.ts', 'src/app.spec.ts', 'src/main.ts']) {
        const path = `packages/quote-svc/${file}`;
        assert.ok(await prettier.check(tree.read(path, 'utf8')!, { ...options, filepath: path }), path);
      }
    });
  }

  it('defaults to fastify under runEdgeServer, pinned to the version service-kit is tested with', async () => {
    const tree = createWorkspace();
    await serviceGenerator(tree, { name: 'sensor-relay', install: 'skip' });
    const manifest = readJson(tree, 'packages/sensor-relay/package.json');
    assert.deepEqual(manifest.dependencies, { '@edgeship/service-kit': '0.1.0', fastify: '5.12.8' });
    assert.equal(manifest.devDependencies, undefined);
    const main = tree.read('packages/sensor-relay/src/main.ts', 'utf8')!;
    assert.match(main, /runEdgeServer\(app, \{[\s\S]*logger: fromPino\(app\.log\)/);
    assert.doesNotMatch(main, /^\s*[^/\s].*\.listen\(/m, 'no listen() outside the comment');
    assert.match(tree.read('packages/sensor-relay/README.md', 'utf8')!, /Built on \[fastify\]/);
  });

  it('express brings its types as a devDependency; hono its node server', async () => {
    const tree = createWorkspace();
    await serviceGenerator(tree, { name: 'ex-svc', framework: 'express', install: 'skip' });
    await serviceGenerator(tree, { name: 'ho-svc', framework: 'hono', install: 'skip' });
    const express = readJson(tree, 'packages/ex-svc/package.json');
    assert.deepEqual(express.dependencies, { '@edgeship/service-kit': '0.1.0', express: '5.3.0' });
    assert.deepEqual(express.devDependencies, { '@types/express': '5.0.6' });
    assert.deepEqual(readJson(tree, 'packages/ho-svc/package.json').dependencies, {
      '@edgeship/service-kit': '0.1.0',
      '@hono/node-server': '2.1.9',
      hono: '4.13.19',
    });
    assert.match(tree.read('packages/ho-svc/src/main.ts', 'utf8')!, /runEdgeServer\(createAdaptorServer\(/);
  });

  it('refuses an unknown framework, naming the choices', async () => {
    const tree = createWorkspace();
    await assert.rejects(
      serviceGenerator(tree, { name: 'sensor-relay', framework: 'koa' as 'http' }),
      /framework is "koa"\. Use one of fastify, express, hono, http/,
    );
  });

  it('changes nothing else in the workspace and returns the lockfile update as a post-write task', async () => {
    const tree = createWorkspace();
    const snapshot = () => new Map(tree.listChanges().map((c) => [c.path, c.content?.toString('utf8')]));
    const untouched = snapshot();
    const callback = await serviceGenerator(tree, { name: 'sensor-relay', install: 'lockfile-only' });
    assert.equal(typeof callback, 'function');
    const written = snapshot();
    for (const [path, content] of untouched) assert.equal(written.get(path), content, `${path} changed`);
    assert.deepEqual(
      [...written.keys()].filter((path) => !untouched.has(path)).sort(),
      ['README.md', 'package.json', 'src/app.spec.ts', 'src/app.ts', 'src/main.ts'].map(
        (f) => `packages/sensor-relay/${f}`,
      ),
    );
  });

  it('writes nothing when the options are refused', async () => {
    const tree = createWorkspace();
    await assert.rejects(
      serviceGenerator(tree, { name: 'sensor-relay', port: 8101 }),
      /port is 8101\. packages\/hello-edge/,
    );
    assert.equal(tree.exists('packages/sensor-relay'), false);
  });
});
