import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDataDir, resolveForwardingConfig, resolveGatewayConfig } from './gateway-config';

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
  assert.deepEqual(config, {
    dataDir: '/app/data',
    maxBytes: 1048576,
    maxRecords: 5000,
    forwarding: undefined,
  });
  assert.throws(
    () => resolveGatewayConfig({ SPOOL_MAX_BYTES: '10MB' }),
    /SPOOL_MAX_BYTES is "10MB" \(not a whole number\); set it to a positive integer/,
  );
  assert.throws(() => resolveGatewayConfig({ SPOOL_MAX_RECORDS: '0' }), /SPOOL_MAX_RECORDS is "0"/);
});

test('forwarding is off without UPSTREAM_URL, and on with defaults when it is set', () => {
  assert.equal(resolveForwardingConfig({}), undefined);
  assert.deepEqual(resolveForwardingConfig({ UPSTREAM_URL: 'https://ingest.example.com/v1/readings' }), {
    upstreamUrl: 'https://ingest.example.com/v1/readings',
    token: undefined,
    batchSize: 500,
    timeoutMs: 10_000,
    retryBaseMs: 500,
    retryMaxMs: 60_000,
  });
  const tuned = resolveForwardingConfig({
    UPSTREAM_URL: 'http://10.0.0.5:9000/ingest',
    UPSTREAM_TOKEN: ' s3cret ',
    FORWARD_BATCH_SIZE: '50',
    FORWARD_TIMEOUT_MS: '2000',
    FORWARD_RETRY_BASE_MS: '10',
    FORWARD_RETRY_MAX_MS: '50',
  });
  assert.deepEqual(tuned, {
    upstreamUrl: 'http://10.0.0.5:9000/ingest',
    token: 's3cret',
    batchSize: 50,
    timeoutMs: 2000,
    retryBaseMs: 10,
    retryMaxMs: 50,
  });
});

test('a bad forwarding variable names itself, its value and the fix, and never echoes a password', () => {
  assert.throws(
    () => resolveForwardingConfig({ UPSTREAM_URL: 'ingest.example.com' }),
    /UPSTREAM_URL is "ingest.example.com" \(not an http:\/\/ or https:\/\/ URL\); set it to the http:\/\/ or https:\/\/ URL/,
  );
  assert.throws(
    () => resolveForwardingConfig({ UPSTREAM_URL: 'ftp://ingest.example.com/' }),
    /UPSTREAM_URL is/,
  );
  assert.throws(
    () => resolveForwardingConfig({ UPSTREAM_URL: 'https://edge:hunter2@ingest.example.com/' }),
    (error: Error) =>
      /\(holds credentials\); .*UPSTREAM_TOKEN/.test(error.message) && !error.message.includes('hunter2'),
  );
  assert.throws(
    () => resolveForwardingConfig({ FORWARD_TIMEOUT_MS: '10s' }),
    /FORWARD_TIMEOUT_MS is "10s" \(not a whole number\); set it to a whole number of milliseconds from 100/,
  );
  assert.throws(
    () => resolveForwardingConfig({ FORWARD_RETRY_BASE_MS: '1000', FORWARD_RETRY_MAX_MS: '500' }),
    /FORWARD_RETRY_MAX_MS is "500" .*from 1000 to 3600000 \(at least FORWARD_RETRY_BASE_MS\)/,
  );
  assert.throws(() => resolveForwardingConfig({ FORWARD_BATCH_SIZE: '0' }), /FORWARD_BATCH_SIZE is "0" \(/);
});
