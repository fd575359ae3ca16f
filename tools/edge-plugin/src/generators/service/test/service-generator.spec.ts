import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyWorkspaceToThrowawayRepo, WORKSPACE_ROOT } from '../../../testing/workspace-copy';

// The real `nx g` on a throwaway copy of this workspace, then the new service's first targets.
describe('nx g @edgeship/edge-plugin:service', () => {
  let root: string;
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
    const frameworks = ['fastify', 'express', 'hono', 'http'];
    for (const framework of frameworks) {
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
      assert.match(
        run.output,
        new RegExp(`relay-${framework}: ${framework}, port 81\\d\\d, binary delivery`),
      );
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
      'release',
      'test',
    ]);

    // bundle includes the build-time contract check: each executable ran under systemd-socket-activate.
    const projects = frameworks.map((framework) => `relay-${framework}`).join(',');
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
    for (const framework of frameworks) {
      assert.match(
        targets.output,
        new RegExp(`✔ contract check: relay-${framework} under systemd-socket-activate`),
      );
      assert.ok(existsSync(join(root, `dist/relay-${framework}/bin/relay-${framework}-linux-arm64`)));
    }
  });
});
