// Runs the real bootstrap script against this machine. Needs root (it may install or start things);
// the registry it starts on 127.0.0.1:5000 is a machine prerequisite and is deliberately left running.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findFreePort } from '@edgeship/edge-common/testing';

const script = resolve(__dirname, '..', 'bootstrap.sh');
const isRoot = process.getuid?.() === 0;
const components = [
  'docker.io',
  'qemu-user-static',
  'binfmt-support',
  'ansible',
  'ansible-lint',
  'yamllint',
  'docker-registry',
  'skopeo',
  'debootstrap',
  'mmdebstrap',
  'dpkg-dev',
  'ca-certificates',
  'binutils-aarch64-linux-gnu',
  'zstd',
  'openssh-client',
  'libc6-arm64-cross',
  'libstdc++6-arm64-cross',
  'libgcc-s1-arm64-cross',
  'systemd',
  'rsync',
  'openssh-server',
  'chromium',
  'python3-pytest',
  'apt architecture arm64',
  'docker-buildx',
  'cosign',
  'binfmt qemu-aarch64',
  'inotify instances >= 1024',
  'dockerd',
  'buildx linux/arm64',
  'registry 127.0.0.1:5000',
];

function runBootstrap(args: string[] = [], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
  const [file, ...rest] = [...prefix, 'bash', script, ...args];
  const started = performance.now();
  const result = spawnSync(file, rest, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 900_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  return { exitCode: result.status, output, ms: performance.now() - started };
}

// The state each component line reports, e.g. "  cosign   ok" → cosign: ok.
function readStates(output: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^ {2}(.+?) {2,}(ok|installed|started|skipped|missing)\b/.exec(line);
    if (match) states.set(match[1], match[2]);
  }
  return states;
}

async function isRegistryAnswering(addr: string): Promise<boolean> {
  try {
    return (await fetch(`http://${addr}/v2/`)).status === 200;
  } catch {
    return false;
  }
}

describe('bootstrap.sh', { skip: isRoot ? false : 'needs root' }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'edgeship-bootstrap-'));
  chmodSync(scratch, 0o755);
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('--help exits 0 and an unknown flag exits 2', () => {
    assert.equal(runBootstrap(['--help']).exitCode, 0);
    assert.equal(runBootstrap(['--nope']).exitCode, 2);
  });

  test('starts a registry on a fresh folder and port, then leaves it alone', async () => {
    const port = await findFreePort();
    const dir = join(scratch, 'registry');
    const env = {
      EDGESHIP_REGISTRY_ADDR: `127.0.0.1:${port}`,
      EDGESHIP_REGISTRY_DIR: dir,
      EDGESHIP_REGISTRY_LOG: join(scratch, 'registry.log'),
    };
    const pid = () => Number(readFileSync(`${dir}.pid`, 'utf8'));
    try {
      const first = runBootstrap([], env);
      assert.equal(first.exitCode, 0, first.output);
      assert.equal(readStates(first.output).get(`registry 127.0.0.1:${port}`), 'started', first.output);
      assert.ok(await isRegistryAnswering(`127.0.0.1:${port}`));
      assert.match(readFileSync(`${dir}.yml`, 'utf8'), new RegExp(`addr: 127.0.0.1:${port}\\n`));

      const second = runBootstrap([], env);
      assert.equal(second.exitCode, 0, second.output);
      assert.equal(readStates(second.output).get(`registry 127.0.0.1:${port}`), 'ok', second.output);
    } finally {
      if (existsSync(`${dir}.pid`)) process.kill(pid(), 'SIGTERM');
    }
  });

  test('a second run on a ready machine reports every component ok in under 5 s', () => {
    const first = runBootstrap();
    assert.equal(first.exitCode, 0, first.output);

    const second = runBootstrap();
    assert.equal(second.exitCode, 0, second.output);
    assert.ok(second.ms < 5000, `second run took ${Math.round(second.ms)} ms`);
    const states = readStates(second.output);
    for (const name of components) assert.equal(states.get(name), 'ok', `${name}:\n${second.output}`);
    assert.match(
      second.output,
      new RegExp(`summary: ${components.length} ok, 0 installed, 0 started, 0 skipped, 0 missing`),
    );

    const check = runBootstrap(['--check']);
    assert.equal(check.exitCode, 0, check.output);
  });

  test('--for start checks only what builds and deploys need; --for takes start or test', () => {
    const testOnly = ['chromium', 'python3-pytest', 'ansible-lint', 'yamllint', 'openssh-server'];
    const run = runBootstrap(['--for', 'start']);
    assert.equal(run.exitCode, 0, run.output);
    const states = readStates(run.output);
    for (const name of testOnly) assert.equal(states.get(name), undefined, `${name} checked:\n${run.output}`);
    for (const name of ['docker.io', 'ansible', 'rsync', 'mmdebstrap', 'registry 127.0.0.1:5000'])
      assert.equal(states.get(name), 'ok', `${name}:\n${run.output}`);
    assert.match(run.output, /left to npm test +.*chromium/);
    assert.equal(readStates(runBootstrap(['--for', 'test']).output).get('chromium'), 'ok');
    const wrong = runBootstrap(['--for', 'deploy']);
    assert.equal(wrong.exitCode, 2);
    assert.match(wrong.output, /--for takes start or test, not 'deploy'/);
  });

  test('the registry answers on 127.0.0.1:5000/v2/ after a run', async () => {
    assert.equal(runBootstrap().exitCode, 0);
    assert.ok(await isRegistryAnswering('127.0.0.1:5000'));
  });

  test('as a non-root user it reports what is missing and how to get it, and installs nothing', async () => {
    const port = await findFreePort();
    const dir = join(scratch, 'unused-registry');
    const env = {
      // /usr/local/bin holds cosign here; without it, cosign looks missing
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: scratch,
      EDGESHIP_REGISTRY_ADDR: `127.0.0.1:${port}`,
      EDGESHIP_REGISTRY_DIR: dir,
    };
    const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
    const run = runBootstrap([], env, asNobody);

    assert.notEqual(run.exitCode, 0, run.output);
    const states = readStates(run.output);
    assert.equal(states.get('cosign'), 'missing', run.output);
    assert.match(run.output, /cosign +missing - as root: apt-get download cosign\/trixie/);
    assert.equal(states.get(`registry 127.0.0.1:${port}`), 'missing', run.output);
    assert.match(run.output, /not installing \(not root\)/);
    for (const [name, state] of states) assert.ok(['ok', 'missing'].includes(state), `${name}: ${state}`);
    assert.match(run.output, / 0 installed, 0 started, /);
    assert.doesNotMatch(run.output, /apt-get update +running/);
    assert.equal(existsSync(dir), false, 'registry folder created');
    assert.equal(existsSync(`${dir}.yml`), false, 'registry config written');
    assert.equal(await isRegistryAnswering(`127.0.0.1:${port}`), false, 'registry started');
  });
});
