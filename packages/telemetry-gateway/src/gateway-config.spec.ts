import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDataDir, resolveGatewayConfig } from './gateway-config';

test('DATA_DIR wins over STATE_DIRECTORY, which wins over ./data', () => {
  assert.equal(
    resolveDataDir({ DATA_DIR: '/srv/spool', STATE_DIRECTORY: '/var/lib/tg' }, '/app'),
    '/srv/spool',
  );
  assert.equal(resolveDataDir({ STATE_DIRECTORY: '/var/lib/tg:/var/lib/other' }, '/app'), '/var/lib/tg');
  assert.equal(resolveDataDir({}, '/app'), '/app/data');
  assert.equal(resolveDataDir({ DATA_DIR: 'rel' }, '/app'), '/app/rel');
});

test('spool bounds come from SPOOL_MAX_BYTES and SPOOL_MAX_RECORDS, and bad values are named', () => {
  const config = resolveGatewayConfig({ SPOOL_MAX_BYTES: '1048576', SPOOL_MAX_RECORDS: '5000' }, '/app');
  assert.deepEqual(config, { dataDir: '/app/data', maxBytes: 1048576, maxRecords: 5000 });
  assert.throws(() => resolveGatewayConfig({ SPOOL_MAX_BYTES: '10MB' }), /SPOOL_MAX_BYTES is "10MB"/);
});
