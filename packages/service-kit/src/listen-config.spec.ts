import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveListenConfig } from './listen-config';

test('uses the configured port and 0.0.0.0 when the environment says nothing', () => {
  assert.deepEqual(resolveListenConfig({ port: 8101 }, {}), { host: '0.0.0.0', port: 8101 });
});

test('PORT and HOST from the environment override the configuration', () => {
  assert.deepEqual(resolveListenConfig({ port: 8101, host: '::' }, { PORT: '9000', HOST: '127.0.0.1' }), {
    host: '127.0.0.1',
    port: 9000,
  });
});

test('a malformed PORT is refused with a message naming the value and the fix', () => {
  for (const bad of ['80a', '-1', '70000', '1.5']) {
    assert.throws(
      () => resolveListenConfig({ port: 1 }, { PORT: bad }),
      /PORT is ".*"; set it to an integer/,
    );
  }
});
