import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import { ensureKeyPair, explainCosignFailure, isVerifiedFor, keyPairPaths } from './signing';
import { logToStderr } from '@edgeship/edge-common/testing';

// Node 20's test runner reads this file's stdout as its report channel: the logger writes to stderr.
logToStderr();

describe('isVerifiedFor', () => {
  const payload = (digest: string) =>
    JSON.stringify([{ critical: { image: { 'docker-manifest-digest': digest } } }]);
  it('requires every verified payload to name exactly the digest asked about', () => {
    assert.equal(isVerifiedFor(payload('sha256:1'), 'sha256:1'), true);
    assert.equal(isVerifiedFor(payload('sha256:2'), 'sha256:1'), false);
    assert.equal(isVerifiedFor('[]', 'sha256:1'), false);
    assert.equal(isVerifiedFor('not json', 'sha256:1'), false);
  });
});

describe('explainCosignFailure', () => {
  it('says "wrong password" and how to fix it', () => {
    const error = explainCosignFailure(
      'sign x',
      'Error: decrypt: encrypted: decryption failed',
      '/k/cosign.key',
    );
    assert.ok(error instanceof ToolError);
    assert.match(error.message, /wrong password for \/k\/cosign\.key\. Set COSIGN_PASSWORD/);
  });
});

describe('ensureKeyPair (real cosign)', () => {
  const LAPTOP = { mayCreate: true };

  it('never makes a key pair where it may not (CI), and says where the key is looked for', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'edgeship-keys-')), 'keys');
    await assert.rejects(ensureKeyPair(dir, 'pw', { mayCreate: false }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /cosign\.key: cosign\.key is missing\. .*EDGESHIP_COSIGN_KEY_DIR/);
      return true;
    });
    assert.equal(existsSync(dir), false, 'not even the key folder is made');
  });

  it('creates the pair on first use, reuses it, and refuses a wrong password', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'edgeship-keys-')), 'keys');
    const first = await ensureKeyPair(dir, 'pw', LAPTOP);
    assert.equal(first.isNew, true);
    assert.equal(statSync(first.privateKey).mode & 0o777, 0o600);
    assert.deepEqual({ privateKey: first.privateKey, publicKey: first.publicKey }, keyPairPaths(dir));
    assert.equal((await ensureKeyPair(dir, 'pw', LAPTOP)).isNew, false);
    await assert.rejects(ensureKeyPair(dir, 'not-the-password', LAPTOP), /wrong password/);
  });

  it('refuses to make a new private key beside an orphaned public key', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'edgeship-keys-')), 'keys');
    const pair = await ensureKeyPair(dir, '', LAPTOP);
    renameSync(pair.privateKey, `${pair.privateKey}.moved`);
    await assert.rejects(ensureKeyPair(dir, '', LAPTOP), ConfigError);
    assert.equal(existsSync(pair.privateKey), false);
  });
});
