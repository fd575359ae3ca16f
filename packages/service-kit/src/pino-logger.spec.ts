import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { fromPino } from './pino-logger';

test('fromPino logs the kit through a real pino logger: msg, fields, child bindings, err serialized', () => {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const log = fromPino(pino({ level: 'info' }, sink)).child({ service: 'svc' });
  log.debug('dropped below info');
  log.info('listening', { port: 8101 });
  log.error('start failed', { error: new Error('EADDRINUSE') });
  const [listening, failed, ...rest] = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);
  assert.deepEqual(rest, []);
  assert.deepEqual(
    [listening?.level, listening?.msg, listening?.service, listening?.port],
    [30, 'listening', 'svc', 8101],
  );
  assert.equal(failed?.level, 50);
  assert.equal(failed?.err.type, 'Error');
  assert.equal(failed?.err.message, 'EADDRINUSE');
});
