import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { sendBatch } from './send-batch';

async function serve(t: TestContext, listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
}

const readings = [{ id: '1:0', value: 1 }];
const send = (url: string, signal = AbortSignal.timeout(5000)) => sendBatch({ url, readings, signal });

test('a 2xx acknowledges; the body is { readings } as JSON', async (t) => {
  let received: unknown;
  const url = await serve(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received = JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(204).end();
    });
  });
  assert.deepEqual(await send(url), { isAcknowledged: true, status: 204 });
  assert.deepEqual(received, { readings });
});

test('a redirect is not followed, and the failure names where it points', async (t) => {
  const url = await serve(t, (_req, res) =>
    res.writeHead(308, { location: 'https://elsewhere.example/in' }).end(),
  );
  const outcome = await send(url);
  assert.equal(outcome.isAcknowledged, false);
  assert.match(
    !outcome.isAcknowledged ? outcome.reason : '',
    /redirects \(308\) to https:\/\/elsewhere\.example\/in/,
  );
});

test('an error answer keeps its status, the start of its body and Retry-After', async (t) => {
  const url = await serve(t, (_req, res) =>
    res.writeHead(503, { 'retry-after': '7' }).end(`upstream busy\n${'x'.repeat(10_000)}`),
  );
  const outcome = await send(url);
  assert.equal(outcome.isAcknowledged, false);
  if (outcome.isAcknowledged) return;
  assert.equal(outcome.status, 503);
  assert.equal(outcome.retryAfterMs, 7000);
  assert.match(outcome.reason, /^upstream answered 503: upstream busy x+$/);
  assert.ok(outcome.reason.length < 600, 'a long body is cut');
});

test('a refused connection and a silent upstream say so', async (t) => {
  const gone = createServer();
  gone.listen(0, '127.0.0.1');
  await once(gone, 'listening');
  const goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/ingest`;
  gone.close();
  await once(gone, 'close');
  const refused = await send(goneUrl);
  assert.match(!refused.isAcknowledged ? refused.reason : '', /ECONNREFUSED/);

  const silent = await serve(t, () => undefined); // never answers
  const timedOut = await send(silent, AbortSignal.timeout(200));
  assert.match(!timedOut.isAcknowledged ? timedOut.reason : '', /within FORWARD_TIMEOUT_MS/);
});
