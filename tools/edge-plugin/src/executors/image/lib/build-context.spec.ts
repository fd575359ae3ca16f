import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prepareBuildContext } from './build-context';

describe('prepareBuildContext', () => {
  it('lays out base, runtime and app folders with the modes the layers need', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgeship-ctx-'));
    mkdirSync(join(dir, 'in/bundle'), { recursive: true });
    writeFileSync(join(dir, 'in/rootfs.tar'), 'tar');
    writeFileSync(join(dir, 'in/node'), 'elf', { mode: 0o755 });
    writeFileSync(join(dir, 'in/bundle/main.js'), 'code', { mode: 0o600 });
    writeFileSync(join(dir, 'in/bundle/main.js.map'), '{}');
    const context = join(dir, 'ctx');
    await prepareBuildContext(context, {
      baseTarball: join(dir, 'in/rootfs.tar'),
      node: join(dir, 'in/node'),
      bundleDir: join(dir, 'in/bundle'),
      port: 8101,
      sourceMaps: false,
    });
    assert.equal(readFileSync(join(context, 'base/rootfs.tar'), 'utf8'), 'tar');
    assert.equal(statSync(join(context, 'runtime/opt/edgeship/node')).mode & 0o777, 0o755);
    assert.equal(statSync(join(context, 'app/app/main.js')).mode & 0o777, 0o644);
    assert.throws(() => statSync(join(context, 'app/app/main.js.map')));
    assert.match(readFileSync(join(context, 'Dockerfile'), 'utf8'), /EXPOSE 8101/);
  });
});
