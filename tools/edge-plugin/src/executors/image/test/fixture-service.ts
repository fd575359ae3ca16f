import { execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { EXECUTABLES_RECORD, type ExecutablesRecord } from '../../../lib/build-record';
import { createFixtureWorkspace, writeFixtureFile } from '@edgeship/edge-common/testing';
import { readPinnedRuntime } from '../../bundle/lib/runtime-version';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');

export const FIXTURE_SERVICE = 'image-fixture';
export const FIXTURE_PORT = 8199;

/** A plain CommonJS server standing in for a bundle: reports what the image runs it as. */
const MAIN = `const http = require('node:http');
const os = require('node:os');
const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ arch: process.arch, uid: process.getuid(), user: os.userInfo().username, node: process.version, cwd: process.cwd() }));
});
server.listen(Number(process.env.PORT || ${FIXTURE_PORT}), '0.0.0.0');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/**
 * A throwaway workspace with one service and what the earlier targets leave in dist/ (they are not under test
 * here): a bundle, the bundle's part of the build record (no executables: the image runs the bundle) and a
 * pruned lockfile (release makes the SBOM from it). Committed to git so the image gets a revision and
 * SOURCE_DATE_EPOCH.
 */
export function createImageWorkspace(runtime = '24.21.0'): string {
  const root = createFixtureWorkspace({
    'package.json': {
      name: 'image-fixture-workspace',
      private: true,
      repository: { type: 'git', url: 'https://example.invalid/edgeship.git' },
      // The repository's runtime integrity too: the image target checks the runtime it copies against it.
      edgeship: { runtime: { node: runtime, integrity: readPinnedRuntime(REPO_ROOT).pins } },
    },
    [`packages/${FIXTURE_SERVICE}/package.json`]: {
      name: FIXTURE_SERVICE,
      version: '1.2.3',
      edgeship: { kind: 'service', port: FIXTURE_PORT, delivery: 'container' },
    },
    [`dist/${FIXTURE_SERVICE}/bundle/main.js`]: MAIN,
    [`dist/${FIXTURE_SERVICE}/lock/package.json`]: {
      name: FIXTURE_SERVICE,
      version: '1.2.3',
      dependencies: {},
    },
    [`dist/${FIXTURE_SERVICE}/lock/package-lock.json`]: {
      name: FIXTURE_SERVICE,
      version: '1.2.3',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: FIXTURE_SERVICE, version: '1.2.3' } },
    },
  });
  const env = {
    ...process.env,
    GIT_AUTHOR_DATE: '@1700000000 +0000',
    GIT_COMMITTER_DATE: '@1700000000 +0000',
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd: root,
      stdio: 'pipe',
      env,
    });
  git('init', '-q');
  git('add', 'package.json', 'packages');
  git('commit', '-qm', 'fixture');
  const revision = git('rev-parse', 'HEAD').toString().trim().slice(0, 12);
  const executables: ExecutablesRecord = {
    schema: 'edgeship.executables/v1',
    service: FIXTURE_SERVICE,
    version: '1.2.3',
    revision,
    runtime: { node: runtime },
    executables: [],
  };
  writeFixtureFile(root, join('dist', FIXTURE_SERVICE, EXECUTABLES_RECORD), executables);
  return root;
}

/** One GET with a deadline; undefined while nothing answers (the emulated service is still starting). */
export function getJson(url: string, timeoutMs = 2000): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const request = get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(JSON.parse(body) as Record<string, unknown>);
        } catch {
          resolve(undefined);
        }
      });
      response.on('error', () => resolve(undefined));
    });
    request.setTimeout(timeoutMs, () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
