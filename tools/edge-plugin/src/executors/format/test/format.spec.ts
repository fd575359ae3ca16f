import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  captureOutput,
  executorContext,
  createFixtureWorkspace,
  removeFixtureWorkspaces,
} from '@edgeship/edge-common/testing';
import formatExecutor from '../format.impl';

const UGLY = 'export   const  answer={value:42}\n';

function createFormatWorkspace(): string {
  return createFixtureWorkspace({
    '.prettierrc.json': { singleQuote: true },
    'packages/svc/src/clean.ts': "export const clean = 'yes';\n",
    'packages/svc/src/ugly.ts': UGLY,
    'packages/svc/README.md': '#   Title\n',
  });
}

describe('format executor (real Prettier)', () => {
  after(removeFixtureWorkspaces);
  it('fails naming every unformatted file and the fix, changing nothing', async () => {
    const root = createFormatWorkspace();
    const { result, output } = await captureOutput(() =>
      formatExecutor({}, executorContext(root, 'svc', 'packages/svc')),
    );
    assert.equal(result.success, false);
    assert.match(output, /packages\/svc\/src\/ugly\.ts/);
    assert.match(output, /packages\/svc\/README\.md/);
    assert.doesNotMatch(output, /clean\.ts/);
    assert.match(output, /format --fix/);
    assert.equal(readFileSync(join(root, 'packages/svc/src/ugly.ts'), 'utf8'), UGLY);
  });

  it('with --fix rewrites the files, after which the check passes', async () => {
    const root = createFormatWorkspace();
    const context = executorContext(root, 'svc', 'packages/svc');
    assert.equal((await captureOutput(() => formatExecutor({ fix: true }, context))).result.success, true);
    assert.equal(
      readFileSync(join(root, 'packages/svc/src/ugly.ts'), 'utf8'),
      'export const answer = { value: 42 };\n',
    );
    assert.equal((await captureOutput(() => formatExecutor({}, context))).result.success, true);
  });
});
