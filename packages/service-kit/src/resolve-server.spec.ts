import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { resolveServer } from './resolve-server';

describe('resolveServer', () => {
  it('takes a node:http server and hono’s adaptor server as they are', () => {
    const server = createServer();
    assert.equal(resolveServer(server).server, server);
    const hono = createAdaptorServer({ fetch: new Hono().fetch });
    assert.equal(resolveServer(hono).server, hono);
  });

  it('takes a fastify instance: its server, ready() before listening, close() after the drain', async () => {
    const app = Fastify();
    const resolved = resolveServer(app);
    assert.equal(resolved.server, app.server);
    await resolved.prepare!();
    await resolved.close!();
  });

  it('builds the node:http server for an express app', () => {
    const resolved = resolveServer(express());
    assert.equal(typeof resolved.server.listen, 'function');
    assert.equal(resolved.server.listeners('request').length, 1);
  });

  it('refuses a Hono app itself, naming createAdaptorServer', () => {
    assert.throws(
      () => resolveServer(new Hono() as never),
      /For a Hono app pass createAdaptorServer\(\{ fetch: app\.fetch \}\) from @hono\/node-server/,
    );
  });
});
