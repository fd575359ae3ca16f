import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { markDevelopmentKey } from '../../../lib/trust-anchor';
import { decideTrustPolicy } from './trust-policy';

const root = mkdtempSync(join(tmpdir(), 'edgeship-trust-'));
const local = join(root, '.edgeship/fleet/default/inventory.yml');
const real = join(root, 'inventories/site-a.yml');
const keys = join(root, '.edgeship/keys');
mkdirSync(keys, { recursive: true });
writeFileSync(join(keys, 'cosign.pub'), 'DEVELOPMENT PUBLIC KEY\n');
markDevelopmentKey(keys);
const decide = (inventories: string[], allowUnsigned = false, env: NodeJS.ProcessEnv = {}) =>
  decideTrustPolicy({ workspaceRoot: root, inventories, allowUnsigned }, env);

describe('deploy trust policy', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('the local fleet outside CI: signatures optional, verified with the development key when present', () => {
    const policy = decide([local]);
    assert.equal(policy.isSignatureRequired, false);
    assert.equal(policy.anchor?.file, join(keys, 'cosign.pub'));
    assert.equal(policy.anchor?.isDevelopment, true);
  });

  it('the local fleet in CI: required, unless allowUnsigned', () => {
    assert.equal(decide([local], false, { CI: 'true' }).isSignatureRequired, true);
    assert.equal(decide([local], true, { CI: 'true' }).isSignatureRequired, false);
  });

  it('a real inventory: required, allowUnsigned refused, the development key never looked up', () => {
    const policy = decide([real]);
    assert.equal(policy.isSignatureRequired, true);
    assert.equal(policy.anchor, undefined);
    assert.throws(
      () => decide([real], true),
      /allowUnsigned is true\. Unsigned builds may go to the local fleet only/,
    );
    assert.throws(() => decide([local, real], true), /not to inventories\/site-a\.yml/);
  });

  it('a real inventory refuses the development key, even copied elsewhere and handed in', () => {
    const copy = join(root, 'copy.pub');
    writeFileSync(copy, 'DEVELOPMENT PUBLIC KEY\n');
    assert.throws(
      () => decide([real], false, { EDGESHIP_TRUST_ANCHOR: copy }),
      /EDGESHIP_TRUST_ANCHOR: key is "copy\.pub"\. This is the local fleet's development key/,
    );
  });

  it('takes EDGESHIP_TRUST_ANCHOR over the committed key, and names a missing file', () => {
    mkdirSync(join(root, 'pipelines/trust'), { recursive: true });
    writeFileSync(join(root, 'pipelines/trust/release.pub'), 'RELEASE KEY\n');
    assert.equal(decide([real]).anchor?.source, 'pipelines/trust/release.pub');
    assert.equal(decide([local]).anchor?.source, 'pipelines/trust/release.pub');
    writeFileSync(join(root, 'ci.pub'), 'CI KEY\n');
    assert.equal(
      decide([real], false, { EDGESHIP_TRUST_ANCHOR: join(root, 'ci.pub') }).anchor?.source,
      'EDGESHIP_TRUST_ANCHOR',
    );
    assert.throws(
      () => decide([real], false, { EDGESHIP_TRUST_ANCHOR: 'nowhere.pub' }),
      /EDGESHIP_TRUST_ANCHOR: file is "nowhere\.pub"\. Point it at the release public key/,
    );
  });
});
