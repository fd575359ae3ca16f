import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { testEnvironment } from './test-environment';

describe('testEnvironment', () => {
  it('turns colour off as npm test does, even where nx forced it on', async () => {
    const script = 'console.log(JSON.stringify([process.env.FORCE_COLOR ?? null, process.env.NO_COLOR]))';
    const previous = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = 'true';
    try {
      const result = await runCommand(process.execPath, ['-e', script], { env: testEnvironment() });
      assert.deepEqual(JSON.parse(result.stdout), [null, '1']);
    } finally {
      if (previous === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = previous;
    }
  });
});
