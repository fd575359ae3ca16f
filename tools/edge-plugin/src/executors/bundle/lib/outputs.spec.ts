import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createWorkDir, promoteOutputs, removeOutputs } from './outputs';
import { createTempWorkspace } from '../test/temp-folders';

describe('outputs', () => {
  it('work happens under .edgeship/tmp, not in dist/', async () => {
    const root = createTempWorkspace({});
    const workDir = await createWorkDir(root, 'svc');
    assert.ok(workDir.startsWith(join(root, '.edgeship', 'tmp', 'bundle-svc-')));
  });

  it('promoteOutputs replaces bundle/ and bin/ whole and leaves the rest of dist/<svc> alone', async () => {
    const root = createTempWorkspace({
      'dist/svc/bin/old-executable': 'old',
      'dist/svc/lock/package.json': '{}',
      'work/bundle/main.js': 'new bundle',
      'work/bin/svc-linux-x64': 'new executable',
    });
    await promoteOutputs(join(root, 'work'), join(root, 'dist/svc'));
    assert.equal(existsSync(join(root, 'dist/svc/bin/old-executable')), false);
    assert.equal(readFileSync(join(root, 'dist/svc/bin/svc-linux-x64'), 'utf8'), 'new executable');
    assert.equal(readFileSync(join(root, 'dist/svc/bundle/main.js'), 'utf8'), 'new bundle');
    assert.ok(existsSync(join(root, 'dist/svc/lock/package.json')));
  });

  it('removeOutputs clears only what the bundle target owns', async () => {
    const root = createTempWorkspace({ 'dist/svc/lock/package.json': '{}' });
    mkdirSync(join(root, 'dist/svc/bin'), { recursive: true });
    writeFileSync(join(root, 'dist/svc/bundle.txt'), '');
    await removeOutputs(join(root, 'dist/svc'));
    assert.equal(existsSync(join(root, 'dist/svc/bin')), false);
    assert.ok(existsSync(join(root, 'dist/svc/lock/package.json')));
  });
});
