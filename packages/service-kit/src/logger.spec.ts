import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { captureLogs } from './fixtures/test-helpers';
import { formatLogLine, parseLogLevel } from './logger';

test('formatLogLine writes one JSON line in pino shape: level number, time, pid, hostname, fields, msg', () => {
  const line = formatLogLine('info', 'request', { status: 200, path: '/' }, 1735787045000, {
    pid: 42,
    hostname: 'edge1',
  });
  assert.equal(
    line,
    '{"level":30,"time":1735787045000,"pid":42,"hostname":"edge1","status":200,"path":"/","msg":"request"}\n',
  );
});

test('a kit line and a pino line carry the same keys in the same order, with the same level numbers', () => {
  let pinoText = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pinoText += chunk.toString();
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const kitLines: string[] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    logger[level]({ status: 200 }, 'request');
    kitLines.push(formatLogLine(level, 'request', { status: 200 }));
  }
  const pinoLines = pinoText.split('\n').filter(Boolean);
  assert.equal(pinoLines.length, 4);
  pinoLines.forEach((text, i) => {
    const fromPino = JSON.parse(text) as Record<string, unknown>;
    const fromKit = JSON.parse(kitLines[i]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(fromKit), Object.keys(fromPino));
    assert.equal(fromKit.level, fromPino.level);
    assert.equal(fromKit.pid, process.pid);
    assert.equal(fromKit.hostname, hostname());
    assert.equal(typeof fromKit.time, 'number');
  });
});

test('fields cannot overwrite level, time, pid, hostname or msg', () => {
  const parsed = JSON.parse(
    formatLogLine('warn', 'real', { msg: 'fake', level: 'debug', pid: 1, hostname: 'x', time: 0, extra: 1 }),
  );
  assert.equal(parsed.msg, 'real');
  assert.equal(parsed.level, 40);
  assert.equal(parsed.pid, process.pid);
  assert.notEqual(parsed.time, 0);
  assert.equal(parsed.extra, 1);
});

test("errors are logged as pino's err serializer writes them (type, message, stack) instead of {}", () => {
  const parsed = JSON.parse(formatLogLine('error', 'boom', { error: new TypeError('bad thing') }));
  assert.equal(parsed.error.type, 'TypeError');
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
      [20, 'kept at debug', 'svc'],
      [30, 'hello', 'svc'],
    ],
  );
});

test('parseLogLevel accepts known levels case-insensitively and falls back otherwise', () => {
  assert.equal(parseLogLevel('DEBUG'), 'debug');
  assert.equal(parseLogLevel('verbose'), 'info');
  assert.equal(parseLogLevel(undefined, 'warn'), 'warn');
});
