import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureLogs } from './fixtures/test-helpers';
import { formatLogLine, parseLogLevel } from './logger';

test('formatLogLine writes one JSON line with time, level, msg first and the fields after', () => {
  const line = formatLogLine('info', 'request', { status: 200, path: '/' }, new Date('2025-01-02T03:04:05Z'));
  assert.equal(
    line,
    '{"time":"2025-01-02T03:04:05.000Z","level":"info","msg":"request","status":200,"path":"/"}\n',
  );
});

test('fields cannot overwrite time, level or msg', () => {
  const parsed = JSON.parse(formatLogLine('warn', 'real', { msg: 'fake', level: 'debug', extra: 1 }));
  assert.equal(parsed.msg, 'real');
  assert.equal(parsed.level, 'warn');
  assert.equal(parsed.extra, 1);
});

test('errors are logged with name, message and stack instead of {}', () => {
  const parsed = JSON.parse(formatLogLine('error', 'boom', { error: new TypeError('bad thing') }));
  assert.equal(parsed.error.name, 'TypeError');
  assert.equal(parsed.error.message, 'bad thing');
  assert.match(parsed.error.stack, /bad thing/);
});

test('child loggers carry their fields and the level threshold drops lower levels', () => {
  const logs = captureLogs();
  const child = logs.logger.child({ service: 'svc' });
  child.debug('kept at debug');
  child.info('hello', { n: 1 });
  assert.deepEqual(
    logs.readLines().map((l) => [l.level, l.msg, l.service]),
    [
      ['debug', 'kept at debug', 'svc'],
      ['info', 'hello', 'svc'],
    ],
  );
});

test('parseLogLevel accepts known levels case-insensitively and falls back otherwise', () => {
  assert.equal(parseLogLevel('DEBUG'), 'debug');
  assert.equal(parseLogLevel('verbose'), 'info');
  assert.equal(parseLogLevel(undefined, 'warn'), 'warn');
});
