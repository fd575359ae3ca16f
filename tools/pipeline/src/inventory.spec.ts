import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveInventory } from './inventory';
import type { PipelineStage } from './stages';

const deploy: PipelineStage = {
  target: 'deploy',
  when: 'main',
  needsInventory: true,
  secrets: [],
  description: '',
};
const test: PipelineStage = {
  target: 'test',
  when: 'every-pipeline',
  needsInventory: false,
  secrets: [],
  description: '',
};
const dir = mkdtempSync(join(tmpdir(), 'pipeline-inventory-'));
const file = join(dir, 'inventory.yml');
writeFileSync(file, 'all: {}\n');
const request = (env: NodeJS.ProcessEnv, flag?: string) => ({
  flag,
  variable: 'EDGESHIP_INVENTORY',
  env,
  workspaceRoot: dir,
  cwd: dir,
});

describe('resolveInventory', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a deploy without inventory in CI, naming the variable and the fix', () => {
    assert.throws(
      () => resolveInventory([test, deploy], request({ CI: 'true' })),
      /environment: EDGESHIP_INVENTORY is missing\. In CI \(CI=true\) the deploy stage needs the edge inventory/,
    );
  });

  it('lets a laptop deploy to the local fleet once it is up, and CI skip the deploy stage', () => {
    assert.throws(
      () => resolveInventory([deploy], request({})),
      /fleet\/default\/inventory\.yml: local fleet inventory is missing\. The deploy stage goes to the local fleet, which is not up: start it with `npm run fleet -- up`/,
    );
    const local = join(dir, '.edgeship', 'fleet', 'default', 'inventory.yml');
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, 'all: {}\n');
    assert.equal(resolveInventory([deploy], request({})), local);
    assert.equal(resolveInventory([test], request({ CI: 'true' })), undefined);
    assert.equal(resolveInventory([test], request({})), undefined);
  });

  it('takes --inventory before the variable, as an absolute path that exists', () => {
    assert.equal(
      resolveInventory([deploy], request({ CI: 'true', EDGESHIP_INVENTORY: '/nope' }, 'inventory.yml')),
      file,
    );
    assert.equal(resolveInventory([deploy], request({ CI: 'true', EDGESHIP_INVENTORY: file })), file);
    assert.throws(
      () => resolveInventory([deploy], request({ EDGESHIP_INVENTORY: 'missing.yml' })),
      /EDGESHIP_INVENTORY: inventory file is "missing.yml"\. No such file/,
    );
  });
});
