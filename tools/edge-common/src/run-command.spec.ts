import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from './errors';
import { followLines, runCommand } from './run-command';

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

describe('runCommand', () => {
  const failureOf = async (file: string, args: string[], timeoutMs?: number): Promise<ToolError> => {
    const error = await runCommand(file, args, { timeoutMs }).then(
      () => assert.fail(`${file} should have failed`),
      (error: unknown) => error,
    );
    assert.ok(error instanceof ToolError, String(error));
    return error;
  };

  it('says a process killed by a signal was killed, not that it exited with code 1', async () => {
    const error = await failureOf('sh', ['-c', 'echo "going down" >&2; kill -TERM $$']);
    assert.match(error.message, /^sh was killed by SIGTERM\n--- sh -c .* said:\ngoing down$/);
    assert.doesNotMatch(error.message, /exited with code/);
    assert.equal(error.signal, 'SIGTERM');
    assert.equal(error.exitCode, undefined);
    assert.match(error.shortMessage!, /killed with SIGTERM/);
  });

  it('returns the signal when the caller checks the outcome itself', async () => {
    const result = await runCommand('sh', ['-c', 'kill -KILL $$'], { check: false });
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(result.exitCode, 1);
  });

  it("keeps the tool's exit code and stderr, and execa's short message", async () => {
    const error = await failureOf('sh', ['-c', 'echo out; echo "no such image" >&2; exit 3']);
    assert.equal(
      error.message,
      'sh exited with code 3\n--- sh -c echo out; echo "no such image" >&2; exit 3 said:\nno such image',
    );
    assert.equal(error.exitCode, 3);
    assert.equal(error.stderr, 'no such image');
    assert.equal(error.signal, undefined);
    assert.match(error.shortMessage!, /^Command failed with exit code 3: sh -c/);
  });

  it("keeps execa's cause: the spawn error of a tool that is not on PATH", async () => {
    const error = await failureOf('edgeship-no-such-tool', []);
    assert.equal(error.message, 'edgeship-no-such-tool was not found on PATH');
    assert.equal((error.cause as NodeJS.ErrnoException).code, 'ENOENT');
  });

  it('says a tool ran out of time rather than that it was killed', async () => {
    const error = await failureOf('sleep', ['5'], 100);
    assert.equal(error.message, 'sleep timed out after 100 ms');
    assert.equal(error.signal, 'SIGTERM');
  });
});
