import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { followLines } from './run-command';

describe('followLines', () => {
  it('hands over each line as it comes and ends, as a success, when aborted', async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const following = followLines('sh', ['-c', 'echo one; echo two; exec sleep 30'], {
      onLine: (line) => {
        seen.push(line);
        if (line === 'two') stop.abort();
      },
      signal: stop.signal,
    });
    const result = await following;
    assert.deepEqual(seen, ['one', 'two']);
    assert.equal(result.exitCode, 0);
  });

  it("returns a tool's own failure: exit code and stderr", async () => {
    const result = await followLines('sh', ['-c', 'echo out; echo "no journal" >&2; exit 3'], {
      onLine: () => undefined,
    });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stderr, 'no journal');
  });
});
