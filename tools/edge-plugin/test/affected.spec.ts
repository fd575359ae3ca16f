import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commitAll, copyWorkspaceToThrowawayRepo, git } from '@edgeship/edge-common/testing';

// Real `nx show projects --affected` on a throwaway history of this workspace.
describe('nx affected', () => {
  let root: string;
  before(() => {
    root = copyWorkspaceToThrowawayRepo();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function affectedAfterChanging(file: string): string[] {
    git(root, ['checkout', '-q', '-B', `change-${file.replace(/\W/g, '-')}`, 'main']);
    const comment = file.endsWith('.yml') ? '#' : '//';
    appendFileSync(join(root, file), `\n${comment} touched by the affected test\n`);
    commitAll(root, `touch ${file}`);
    const output = execFileSync(
      join(root, 'node_modules/.bin/nx'),
      ['show', 'projects', '--affected', '--base=main', '--head=HEAD', '--json'],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_CACHE_DIRECTORY: join(root, '.nx/cache'),
        },
      },
    );
    return (JSON.parse(output) as string[]).sort();
  }

  it('a change in hello-edge affects only hello-edge', () => {
    assert.deepEqual(affectedAfterChanging('packages/hello-edge/src/app.ts'), ['hello-edge']);
  });

  it('a change in service-kit affects it and every service built on it', () => {
    assert.deepEqual(affectedAfterChanging('packages/service-kit/src/index.ts'), [
      'hello-edge',
      'service-kit',
      'telemetry-gateway',
    ]);
  });

  it('a change in a playbook affects no package', () => {
    const affected = affectedAfterChanging('playbooks/deploy.yml');
    assert.deepEqual(
      affected.filter((name) => ['hello-edge', 'service-kit', 'telemetry-gateway'].includes(name)),
      [],
    );
  });
});
