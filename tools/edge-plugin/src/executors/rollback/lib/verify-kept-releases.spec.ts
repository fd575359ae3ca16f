import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import type { TrustPolicy } from '../../deploy/lib/trust-policy';
import type { RollbackStep } from './plan-rollback';
import { verifyKeptReleases, type KeptRelease } from './verify-kept-releases';

// Real cosign keys and signatures: what a deploy kept in the release directory, checked before a rollback.
const dir = mkdtempSync(join(tmpdir(), 'edgeship-kept-'));
const sha = 'a'.repeat(64);
const record = JSON.stringify({
  schema: 'edgeship.build/v1',
  service: 'hello-edge',
  version: '1.0.0',
  runtime: { node: '24.21.0' },
  executables: [{ arch: 'amd64', file: 'bin/hello-edge-linux-x64', sha256: sha }],
  images: [],
});
const env = { EDGESHIP_DELIVERY: 'binary', EDGESHIP_ARCH: 'amd64', EDGESHIP_SHA256: sha };
const step: RollbackStep = {
  ...{ service: 'hello-edge', node: 'edge-1', from: '1.1.0-b', to: '1.0.0-a' },
  ...{ version: '1.0.0', delivery: 'binary', isInPlace: false },
};
const policy = (isSignatureRequired: boolean, key = 'project'): TrustPolicy => ({
  isSignatureRequired,
  why: isSignatureRequired ? 'in CI' : 'local fleet outside CI',
  anchor: { file: join(dir, `${key}.pub`), source: `${key}.pub`, isDevelopment: false },
});
let signature = '';

async function sign(key: string, file: string): Promise<string> {
  await runCommand(
    'cosign',
    [
      'sign-blob',
      `--key=${join(dir, `${key}.key`)}`,
      '--tlog-upload=false',
      '--yes',
      `--output-signature=${file}.sig`,
      file,
    ],
    { env: { ...process.env, COSIGN_PASSWORD: '' } },
  );
  return readFileSync(`${file}.sig`, 'utf8');
}

describe('verifyKeptReleases: a rollback target verified again before the switch', () => {
  before(async () => {
    for (const key of ['project', 'foreign'])
      await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(dir, key)}`], {
        env: { ...process.env, COSIGN_PASSWORD: '' },
      });
    writeFileSync(join(dir, 'build.json'), record);
    signature = await sign('project', join(dir, 'build.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (kept: KeptRelease | undefined, trust: TrustPolicy) =>
    verifyKeptReleases([step], () => kept, trust);

  it('passes a release whose signed record verifies and names its artifact', async () => {
    assert.deepEqual(await check({ name: step.to, env, record, signature }, policy(true)), []);
  });

  it('refuses a signature that no longer verifies: another key, or a changed record', async () => {
    const [foreign] = await check({ name: step.to, env, record, signature }, policy(true, 'foreign'));
    assert.match(
      foreign!.reason,
      /^edge-1: release 1\.0\.0-a has a build record whose signature no longer verifies against the trust anchor foreign\.pub/,
    );
    const changed = record.replace(sha, 'b'.repeat(64));
    const [tampered] = await check({ name: step.to, env, record: changed, signature }, policy(false));
    assert.match(
      tampered!.reason,
      /signature no longer verifies/,
      'refused even where signatures are optional',
    );
  });

  it('refuses a signed record that does not name the artifact the release holds', async () => {
    const other = { ...env, EDGESHIP_SHA256: 'c'.repeat(64) };
    const [refusal] = await check({ name: step.to, env: other, record, signature }, policy(true));
    assert.match(
      refusal!.reason,
      /holds an artifact its signed build record does not name \(binary\/amd64, sha256 c{64}\)/,
    );
  });

  it('an unsigned release: refused where signatures are required, passed on the local fleet outside CI', async () => {
    const [refusal] = await check({ name: step.to, env }, policy(true));
    assert.match(
      refusal!.reason,
      /release 1\.0\.0-a was deployed unsigned, and signatures are required \(in CI\)/,
    );
    assert.deepEqual(await check({ name: step.to, env }, policy(false)), []);
  });
});
