import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createReproducibleTar, extractTarArgs, reproducibleTarArgs } from './reproducible-tar';
import { sha256File, sha256Text } from '../../../lib/sha256';

describe('reproducibleTarArgs', () => {
  it('sorts, sets one mtime, keeps numeric owners and no host metadata', () => {
    const args = reproducibleTarArgs('/src', '/out.tar', 42, ['app', 'opt']);
    for (const flag of ['--sort=name', '--mtime=@42', '--numeric-owner', '--format=gnu', '--no-xattrs']) {
      assert.ok(args.includes(flag), flag);
    }
    assert.deepEqual(args.slice(-3), ['--', 'app', 'opt']);
  });

  it('writes an empty archive for an empty folder instead of failing', () => {
    assert.ok(reproducibleTarArgs('/src', '/out.tar', 0, []).includes('--files-from=/dev/null'));
  });

  it('extracts keeping owners and modes', () => {
    assert.ok(extractTarArgs('/a.tar', '/d').includes('--same-owner'));
  });
});

describe('createReproducibleTar (real GNU tar)', () => {
  it('gives the same bytes for the same content whatever the files’ times and creation order', async () => {
    const digests = [];
    for (const [order, time] of [[['b', 'a'], 1_000_000] as const, [['a', 'b'], 2_000_000] as const]) {
      const dir = mkdtempSync(join(tmpdir(), 'edgeship-tar-'));
      mkdirSync(join(dir, 'app'));
      for (const name of order) writeFileSync(join(dir, 'app', name), name);
      utimesSync(join(dir, 'app', 'a'), time, time);
      await createReproducibleTar(dir, join(dir, '..', `${dir.split('/').pop()}.tar`), 7);
      digests.push(await sha256File(join(dir, '..', `${dir.split('/').pop()}.tar`)));
    }
    assert.equal(digests[0], digests[1]);
  });

  it('hashes text as an OCI digest', () => {
    assert.equal(sha256Text(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
