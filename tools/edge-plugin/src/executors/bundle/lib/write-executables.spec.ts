import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureRuntime } from './fetch-runtime';
import { resolveCacheRoot } from './runtime-cache';
import { readPinnedRuntime } from './runtime-version';
import { writeExecutables } from './write-executables';
import { createTempWorkspace } from '../test/temp-folders';
import { logToStderr } from '@edgeship/edge-common/testing';

logToStderr();

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');

describe('writeExecutables', () => {
  it('builds a runnable single executable with the pinned runtime', async () => {
    const { version, pins } = readPinnedRuntime(REPO_ROOT);
    const { node } = await ensureRuntime({
      version,
      arch: 'x64',
      cacheRoot: resolveCacheRoot(process.env, REPO_ROOT),
      pinFile: 'package.json',
      pins,
    });
    const build = async () => {
      const workDir = createTempWorkspace({
        'bundle/main.js':
          "console.log(JSON.stringify({ sea: require('node:sea').isSea(), arch: process.arch, node: process.version }));\n",
      });
      const [built] = await writeExecutables({
        service: 'probe',
        bundleFile: join(workDir, 'bundle/main.js'),
        workDir,
        runtimes: { x64: node },
        blobRuntime: node,
      });
      return { workDir, built: built! };
    };
    const { workDir, built } = await build();
    assert.equal(built?.file, join(workDir, 'bin/probe-linux-x64'));
    assert.equal(statSync(built.file).mode & 0o777, 0o755);
    assert.deepEqual(readdirSync(join(workDir, 'bin')), ['probe-linux-x64'], 'no .partial file is left');
    const printed = JSON.parse(execFileSync(built.file, { cwd: tmpdir(), encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    assert.deepEqual(printed, { sea: true, arch: 'x64', node: `v${version}` });

    const again = await build();
    assert.ok(
      readFileSync(built.file).equals(readFileSync(again.built.file)),
      'same bundle, same runtime: byte-identical executables, whatever the work folder is called',
    );
  });
});
