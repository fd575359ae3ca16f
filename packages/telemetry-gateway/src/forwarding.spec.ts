import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { makeDataDir, makeReading, range, startGateway } from './fixtures/gateway-harness';
import { deferCleanup } from './fixtures/cleanup';
import { createRecordingLogger } from './fixtures/recording-logger';
import { TestUpstream, waitUntil } from './fixtures/test-upstream';

async function startUpstream(t: TestContext): Promise<TestUpstream> {
  const upstream = new TestUpstream();
  await upstream.listen();
  deferCleanup(t, () => upstream.close());
  return upstream;
}

/** Small batches and fast, still exponential, retries: the test exercises many batches and several retries. */
function forwardingEnv(dataDir: string, upstream: TestUpstream): NodeJS.ProcessEnv {
  return {
    DATA_DIR: dataDir,
    UPSTREAM_URL: upstream.url,
    FORWARD_BATCH_SIZE: '7',
    FORWARD_RETRY_BASE_MS: '5',
    FORWARD_RETRY_MAX_MS: '40',
  };
}

async function postValues(post: (body: unknown) => Promise<Response>, values: number[]): Promise<void> {
  for (let i = 0; i < values.length; i += 5) {
    const response = await post(values.slice(i, i + 5).map(makeReading));
    assert.equal(response.status, 202);
  }
}

test('readings are forwarded exactly once across an upstream outage and a gateway restart', async (t) => {
  const dataDir = makeDataDir(t);
  const upstream = await startUpstream(t);
  const first = await startGateway(t, forwardingEnv(dataDir, upstream));

  await postValues(first.post, range(1, 20));
  await waitUntil('the upstream acknowledged readings 1..20', () => upstream.acknowledged.size === 20);

  await upstream.close(); // outage: connections refused
  await postValues(first.post, range(21, 40));
  await waitUntil('the gateway retried against the closed upstream', async () => {
    const stats = await first.readStats();
    return (stats.forwarding.failedAttempts ?? 0) >= 3;
  });
  const during = await first.readStats();
  assert.equal(during.forwarding.pendingRecords, 20);
  assert.match(during.forwarding.lastError ?? '', /ECONNREFUSED/);
  assert.equal(await first.readReadiness(), 200, 'an unreachable upstream does not make the gateway unready');
  await first.service.stop(); // with 20 readings not yet acknowledged

  await upstream.listen(); // same port
  const second = await startGateway(t, forwardingEnv(dataDir, upstream));
  await waitUntil('the upstream acknowledged readings 1..40', () => upstream.acknowledged.size === 40);
  await postValues(second.post, range(41, 45));
  await waitUntil('the upstream acknowledged readings 1..45', () => upstream.acknowledged.size === 45);

  assert.deepEqual(
    upstream.readValues().sort((a, b) => Number(a) - Number(b)),
    range(1, 45),
  );
  assert.equal(upstream.countDuplicates(), 0, 'no reading was acknowledged twice');
  // The upstream records a batch before the gateway reads its answer and moves the position.
  await waitUntil('the gateway saw every acknowledgement', async () => {
    return (await second.readStats()).forwarding.pendingRecords === 0;
  });
  const after = await second.readStats();
  assert.equal(after.forwarding.forwardedRecords, 25);
  assert.deepEqual(after.dropped, { records: 0, segments: 0 });
});

test('a refused batch is sent again with the same reading ids, and the token goes along', async (t) => {
  const upstream = await startUpstream(t);
  let refusals = 2;
  upstream.respond = () =>
    refusals-- > 0 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 202 };
  const gateway = await startGateway(t, {
    ...forwardingEnv(makeDataDir(t), upstream),
    UPSTREAM_TOKEN: 'edge-1',
  });

  await postValues(gateway.post, range(1, 3));
  await waitUntil('the upstream acknowledged readings 1..3', () => upstream.acknowledged.size === 3);
  const [refused, again, accepted] = upstream.requests;
  assert.deepEqual(
    upstream.requests.map((request) => request.status),
    [503, 503, 202],
  );
  assert.deepEqual(again?.ids, refused?.ids);
  assert.deepEqual(accepted?.ids, refused?.ids);
  assert.equal(accepted?.authorization, 'Bearer edge-1');
  assert.equal(upstream.countDuplicates(), 0);
});

test('when the spool is full, readings dropped before forwarding are counted, logged at warn and exposed', async (t) => {
  const upstream = await startUpstream(t);
  await upstream.close(); // the upstream stays away: nothing is acknowledged
  const { log, events } = createRecordingLogger();
  const gateway = await startGateway(t, forwardingEnv(makeDataDir(t), upstream), {
    logger: log,
    spool: { maxRecords: 40 }, // segments of 10 readings
  });

  await postValues(gateway.post, range(1, 60));
  const stats = await gateway.readStats();
  assert.deepEqual(stats.dropped, { records: 20, segments: 2 });
  assert.equal(stats.forwarding.pendingRecords, 40);
  const warnings = events.filter((event) => event.level === 'warn' && event.msg.startsWith('spool full'));
  assert.deepEqual(
    warnings.map((event) => event.fields.droppedTotal),
    [10, 20],
  );

  await upstream.listen();
  await waitUntil('the upstream acknowledged the 40 readings kept', () => upstream.acknowledged.size === 40);
  assert.deepEqual(
    upstream.readValues().sort((a, b) => Number(a) - Number(b)),
    range(21, 60),
  );
});

test('without UPSTREAM_URL the gateway spools and says so, and /stats shows forwarding off', async (t) => {
  const { log, events } = createRecordingLogger();
  const gateway = await startGateway(t, { DATA_DIR: makeDataDir(t) }, { logger: log });
  await postValues(gateway.post, range(1, 5));
  const stats = await gateway.readStats();
  assert.equal(stats.forwarding.isEnabled, false);
  assert.equal(stats.forwarding.pendingRecords, 5);
  assert.ok(
    events.some((event) => event.level === 'warn' && event.msg.startsWith('UPSTREAM_URL is not set')),
  );
});
