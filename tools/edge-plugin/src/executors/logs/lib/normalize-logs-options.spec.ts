import type { ExecutorContext } from '@nx/devkit';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scratchProjectContext } from '../../../lib/scratch-project';
import { journalArgs, normalizeLogsOptions } from './normalize-logs-options';

function contextFor(): ExecutorContext {
  const marker = { kind: 'service', port: 8101, delivery: 'binary' };
  return scratchProjectContext('svc', { name: 'svc', version: '1.0.0', edgeship: marker });
}

describe('normalizeLogsOptions', () => {
  it('defaults to the last 50 lines of the local fleet, not following', () => {
    const options = normalizeLogsOptions({}, contextFor());
    assert.equal(options.service, 'svc');
    assert.equal(options.lines, 50);
    assert.equal(options.follow, false);
    assert.equal(options.since, undefined);
  });

  it('takes the times journalctl understands for --since', () => {
    for (const since of [
      '1 hour ago',
      '2026-12-02 23:00:00',
      'yesterday',
      '-1h',
      '@1764716400',
      '2026-12-02T23:00+01:00',
    ]) {
      assert.equal(normalizeLogsOptions({ since }, contextFor()).since, since);
    }
  });

  it('refuses shell metacharacters in --since, naming the option and the fix', () => {
    for (const since of [
      'today; rm -rf /',
      '$(id)',
      '`id`',
      "1 hour' ago",
      'a|b',
      'x > y',
      '',
      'today\nid',
    ]) {
      assert.throws(
        () => normalizeLogsOptions({ since }, contextFor()),
        /logs of svc: --since is .*Give a journalctl time such as/,
        since,
      );
    }
  });

  it('refuses a --lines that is not 1 to 10000', () => {
    assert.throws(() => normalizeLogsOptions({ lines: 0 }, contextFor()), /--lines is 0/);
    assert.throws(() => normalizeLogsOptions({ lines: 1.5 }, contextFor()), /--lines is 1.5/);
  });

  it("journalArgs: the service's unit, the lines, --since and --follow as argv elements", () => {
    assert.deepEqual(journalArgs({ service: 'svc', lines: 5, since: '1 hour ago', follow: true }), [
      'journalctl',
      '--unit=edgeship-svc.service',
      '--lines=5',
      '--no-pager',
      '--output=short-iso',
      '--since=1 hour ago',
      '--follow',
    ]);
    assert.deepEqual(journalArgs({ service: 'svc', lines: 5, follow: false }).slice(-1), [
      '--output=short-iso',
    ]);
  });
});
