import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ToolError } from '@edgeship/edge-common';
import type { EsbuildInput } from './esbuild-options';
import { runEsbuild } from './run-esbuild';
import { createTempWorkspace } from '../test/temp-folders';

function createWorkspace(main: string): EsbuildInput {
  const root = createTempWorkspace({
    'tsconfig.base.json': {
      compilerOptions: { baseUrl: '.', paths: { '@ws/kit': ['packages/kit/src/index.ts'] } },
    },
    'packages/kit/src/index.ts': 'export const greet = (name: string): string => `hello ${name}`;\n',
    'packages/svc/src/main.ts': main,
  });
  return {
    workspaceRoot: root,
    entry: join(root, 'packages/svc/src/main.ts'),
    outfile: join(root, 'out/bundle/main.js'),
    tsconfig: join(root, 'tsconfig.base.json'),
    nodeVersion: '24.21.0',
    minify: true,
    sourcemap: true,
    revision: 'abc',
  };
}

describe('runEsbuild', () => {
  it('inlines workspace libraries resolved through tsconfig paths, map beside', async () => {
    const input = createWorkspace(
      "import { greet } from '@ws/kit';\ndeclare const __EDGESHIP_REVISION__: string;\nconsole.log(greet('edge'), __EDGESHIP_REVISION__);\n",
    );
    await runEsbuild(input);
    const bundle = readFileSync(input.outfile, 'utf8');
    assert.doesNotMatch(bundle, /require\(["']@ws\/kit["']\)/);
    assert.match(bundle, /"abc"/);
    assert.match(bundle, /\/\/# sourceMappingURL=main\.js\.map\s*$/);
    assert.ok(existsSync(`${input.outfile}.map`));
    assert.doesNotMatch(bundle, /sourceMappingURL=data:/);
  });

  it('names the file, line and fix of a syntax error', async () => {
    const input = createWorkspace('const broken = {;\n');
    await assert.rejects(runEsbuild(input), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(
        error.message,
        /esbuild could not bundle packages\/svc\/src\/main\.ts \(1 error\); fix the source/,
      );
      assert.match(error.message, /packages\/svc\/src\/main\.ts:1:\d+/);
      return true;
    });
    assert.equal(existsSync(input.outfile), false);
  });
});
