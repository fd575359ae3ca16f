import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp } from '@edgeship/edge-fleet';
import {
  testFleetName,
  startHammer,
  copyWorkspaceToThrowawayRepo,
  WORKSPACE_ROOT,
} from '@edgeship/edge-common/testing';
import type { DeployExecutorOptions } from '../../../executors/deploy/schema';
import { runDeployBatch } from '../../../executors/deploy/test/deploy-batch';
import { getJson } from '../../../executors/deploy/test/fleet-helpers';
import { writeReleaseVariant } from '../../../executors/deploy/test/release-variants';
import { FRAMEWORKS } from '../lib/normalize-options';

// The real `nx g` on a throwaway copy of this workspace, then the new service's first targets.
describe('nx g @edgeship/edge-plugin:service', { timeout: 40 * 60_000 }, () => {
  let root: string;
  /** The port each generated service got, by framework. */
  const ports = new Map<string, number>();
  const sharedHiddenLockfile = join(WORKSPACE_ROOT, 'node_modules', '.package-lock.json');
  let hiddenLockfileMtime: number;
  before(() => {
    root = copyWorkspaceToThrowawayRepo();
    hiddenLockfileMtime = statSync(sharedHiddenLockfile).mtimeMs;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function nx(...args: string[]) {
    const result = spawnSync(join(root, 'node_modules/.bin/nx'), args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
    });
    return { code: result.status, output: result.stdout + result.stderr };
  }

  it('--dry-run lists the files and writes none', () => {
    const run = nx('g', '@edgeship/edge-plugin:service', 'sensor-relay', '--dry-run');
    assert.equal(run.code, 0, run.output);
    for (const file of ['README.md', 'package.json', 'src/app.spec.ts', 'src/app.ts', 'src/main.ts']) {
      assert.match(run.output, new RegExp(`CREATE packages/sensor-relay/${file.replace('.', '\\.')}`));
    }
    assert.equal(existsSync(join(root, 'packages/sensor-relay')), false);
  });

  it('refuses a bad name and a taken port with the fix, writing nothing', () => {
    const badName = nx('g', '@edgeship/edge-plugin:service', 'Sensor_Relay');
    assert.equal(badName.code, 1);
    assert.match(badName.output, /name is "Sensor_Relay"\. Use kebab-case/);
    const taken = nx('g', '@edgeship/edge-plugin:service', 'sensor-relay', '--port', '8101');
    assert.equal(taken.code, 1);
    assert.match(taken.output, /port is 8101\. packages\/hello-edge\/package\.json already uses it/);
    assert.equal(existsSync(join(root, 'packages/sensor-relay')), false);
  });

  it('creates a service per framework whose format, test, lock and bundle targets pass on the first run', () => {
    for (const framework of FRAMEWORKS) {
      const run = nx(
        'g',
        '@edgeship/edge-plugin:service',
        `relay-${framework}`,
        '--framework',
        framework,
        '--install',
        'lockfile-only',
      );
      assert.equal(run.code, 0, run.output);
      const port = new RegExp(`relay-${framework}: ${framework}, port (81\\d\\d), binary delivery`).exec(
        run.output,
      );
      assert.ok(port, run.output);
      ports.set(framework, Number(port[1]));
    }
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    assert.deepEqual(lock.packages['node_modules/relay-fastify'], {
      resolved: 'packages/relay-fastify',
      link: true,
    });
    // lockfile-only never wrote into the node_modules this copy shares with the workspace.
    assert.equal(statSync(sharedHiddenLockfile).mtimeMs, hiddenLockfileMtime);

    const project = JSON.parse(nx('show', 'project', 'relay-hono', '--json').output) as {
      targets: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(project.targets).sort(), [
      'bundle',
      'deploy',
      'format',
      'image',
      'lock',
      'logs',
      'release',
      'rollback',
      'status',
      'test',
    ]);

    // bundle includes the build-time contract check: each executable ran under systemd-socket-activate.
    const projects = FRAMEWORKS.map((framework) => `relay-${framework}`).join(',');
    const targets = nx(
      'run-many',
      '-t',
      'format',
      'test',
      'lock',
      'bundle',
      '-p',
      projects,
      '--outputStyle=static',
    );
    assert.equal(targets.code, 0, targets.output);
    assert.match(targets.output, /Successfully ran targets format, test, lock, bundle for 4 projects/);
    for (const framework of FRAMEWORKS) {
      assert.match(
        targets.output,
        new RegExp(`✔ contract check: relay-${framework} under systemd-socket-activate`),
      );
      assert.ok(existsSync(join(root, `dist/relay-${framework}/bin/relay-${framework}-linux-arm64`)));
    }
  });

  // On one amd64 node (the architecture does not matter to the contract; deploy.spec.ts covers arm64): the
  // templates' first image and deploy, then an upgrade of all four under a client asking each every 100 ms.
  it('deploys a service per framework, healthy, and upgrades all four without failing a request', async () => {
    assert.equal(ports.size, FRAMEWORKS.length, 'the services of the test above');
    const projects = FRAMEWORKS.map((framework) => `relay-${framework}`);
    const fleet = testFleetName('frameworks', root);
    const workDir = await mkdtemp(join(tmpdir(), 'edgeship-frameworks-'));
    try {
      const { inventory } = await fleetUp({ name: fleet, nodes: 1, arch: 'amd64', workspaceRoot: root });
      const node = inventory.hosts[0]!;
      const images = nx('run-many', '-t', 'image', '-p', projects.join(','), '--outputStyle=static');
      assert.equal(images.code, 0, images.output);
      const first = nx(
        ...['run-many', '-t', 'deploy', '-p', projects.join(','), '--excludeTaskDependencies'],
        ...[`--inventory=${inventory.path}`, '--allowUnsigned', '--outputStyle=static'],
      );
      assert.equal(first.code, 0, first.output);
      for (const framework of FRAMEWORKS) {
        const { body } = await getJson(node.publishedPorts.get(ports.get(framework)!)!, '/version');
        assert.deepEqual([body.name, body.version], [`relay-${framework}`, '0.1.0']);
      }

      // 0.1.1: the same service with another version baked in, as a one-line change would make it.
      // One after the other: they share the runtime cache.
      const upgrades: Record<string, DeployExecutorOptions & { report: string }> = {};
      for (const service of projects) {
        const artifactDir = await writeReleaseVariant({
          ...{ workspaceRoot: root, service, version: '0.1.1', archs: ['x64'], outDir: workDir },
        });
        upgrades[service] = {
          ...{
            inventory: inventory.path,
            artifactDir,
            version: '0.1.1',
            delivery: 'binary',
            allowUnsigned: true,
          },
          report: join(workDir, `${service}.json`),
        };
      }
      const hammers = FRAMEWORKS.map((framework) =>
        startHammer(node.publishedPorts.get(ports.get(framework)!)!),
      );
      const results = await runDeployBatch(upgrades, root);
      const requests = await Promise.all(hammers.map((hammer) => hammer.stop()));
      for (const [index, framework] of FRAMEWORKS.entries()) {
        const service = `relay-${framework}`;
        assert.equal(
          results[`${service}:deploy`]!.success,
          true,
          readFileSync(upgrades[service]!.report, 'utf8'),
        );
        const { body } = await getJson(node.publishedPorts.get(ports.get(framework)!)!, '/version');
        assert.equal(body.version, '0.1.1', service);
        // The unit restarted under the client: systemd held the port, so requests waited instead of failing.
        assert.ok(requests[index]!.ok > 0, `${service}: ${JSON.stringify(requests[index])}`);
        assert.equal(requests[index]!.failed, 0, `${service}: ${JSON.stringify(requests[index])}`);
      }
    } finally {
      await fleetDown(fleet, { workspaceRoot: root }).catch(() => undefined);
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('deploys the default template (fastify) to an emulated arm64 node: healthy, its arm64 executable', async () => {
    const port = ports.get('fastify');
    assert.ok(port, 'the services of the test above');
    const fleet = testFleetName('frameworks-arm', root);
    try {
      const { inventory } = await fleetUp({ name: fleet, nodes: 1, arch: 'arm64', workspaceRoot: root });
      const deploy = nx(
        ...['run', 'relay-fastify:deploy', '--excludeTaskDependencies'],
        ...[`--inventory=${inventory.path}`, '--allowUnsigned', '--outputStyle=static'],
      );
      assert.equal(deploy.code, 0, deploy.output);
      const { body } = await getJson(inventory.hosts[0]!.publishedPorts.get(port)!, '/version');
      assert.deepEqual([body.name, body.version, body.arch], ['relay-fastify', '0.1.0', 'arm64']);
    } finally {
      await fleetDown(fleet, { workspaceRoot: root }).catch(() => undefined);
    }
  });
});
