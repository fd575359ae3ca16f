import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveChannel, type ChannelServer } from './serve-channel';

describe('serveChannel', () => {
  let root: string;
  let dir: string;
  let server: ChannelServer;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'edgeship-channel-spec-'));
    dir = join(root, 'channel');
    await mkdir(join(dir, 'hello-edge', 'bin'), { recursive: true });
    await writeFile(join(dir, 'hello-edge', 'build.json'), '{"service":"hello-edge"}');
    await writeFile(join(root, 'secret'), 'outside the channel');
    await symlink(join(root, 'secret'), join(dir, 'hello-edge', 'link'));
    server = await serveChannel(dir, '127.0.0.1');
  });

  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the files under its directory, 404 for the rest', async () => {
    const found = await fetch(`${server.url}/hello-edge/build.json`);
    assert.equal(found.status, 200);
    assert.equal(await found.text(), '{"service":"hello-edge"}');
    assert.equal((await fetch(`${server.url}/hello-edge/bin/none`)).status, 404);
    assert.equal((await fetch(`${server.url}/hello-edge`)).status, 404, 'a directory is not a file');
  });

  it('never serves outside its directory, however the path is spelled', async () => {
    for (const path of ['/../secret', '/%2e%2e/secret', '/hello-edge/..%2f..%2fsecret', '/hello-edge/link'])
      assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
  });

  it('takes a node report as JSON at /reports/<node>.json only', async () => {
    const put = (path: string, body: string) => fetch(`${server.url}${path}`, { method: 'PUT', body });
    assert.equal((await put('/reports/edge-1.json', '{"node":"edge-1"}')).status, 204);
    assert.equal(await readFile(join(dir, 'reports', 'edge-1.json'), 'utf8'), '{"node":"edge-1"}');
    assert.equal((await put('/reports/edge-1.json', 'not json')).status, 400);
    assert.equal((await put('/hello-edge/build.json', '{}')).status, 403, 'a node cannot publish');
    assert.equal((await put('/reports/../hello-edge/build.json', '{}')).status, 403);
    assert.equal((await put('/reports/Edge_1.json', '{}')).status, 403);
    assert.equal((await put('/reports/node7.site.example.json', '{}')).status, 204);
    assert.equal(await readFile(join(dir, 'hello-edge', 'build.json'), 'utf8'), '{"service":"hello-edge"}');
    assert.equal((await fetch(`${server.url}/reports/edge-1.json`, { method: 'DELETE' })).status, 405);
  });
});
