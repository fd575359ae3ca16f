import { createServer, type RequestListener, type Server } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';

/** What the edge contract accepts: the server a framework gives you, or the app it can build one for. */
export type ServerTarget =
  /** node:http, express's `http.createServer(app)`, hono's `createAdaptorServer({ fetch: app.fetch })`. */
  | Server
  /** In the type because hono's createAdaptorServer() may return one; refused at run time (HTTP/1.1 only). */
  | Http2Server
  | Http2SecureServer
  /** A fastify instance: the contract awaits `ready()` before listening and `close()` after the drain. */
  | FastifyLike
  /** An express app, or any `(req, res)` listener: the contract creates the node:http server. */
  | RequestListener;

export interface FastifyLike {
  server: Server;
  ready(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
}

export interface ResolvedServer {
  server: Server;
  /** e.g. fastify's plugin loading, which must finish before requests reach its router. */
  prepare?: () => Promise<void>;
  /** e.g. fastify's onClose hooks (database pools), run once in-flight requests drained. */
  close?: () => Promise<void>;
}

function isNodeServer(value: unknown): value is Server {
  const server = value as Partial<Server> | null;
  return (
    typeof server === 'object' &&
    server !== null &&
    typeof server.listen === 'function' &&
    typeof server.listeners === 'function' &&
    typeof server.closeAllConnections === 'function'
  );
}

function isFastify(value: unknown): value is FastifyLike {
  const app = value as Partial<FastifyLike> | null;
  return isNodeServer(app?.server) && typeof app?.ready === 'function' && typeof app.close === 'function';
}

export function resolveServer(target: ServerTarget): ResolvedServer {
  if (isNodeServer(target)) return { server: target };
  if (isFastify(target)) {
    return {
      server: target.server,
      prepare: async () => void (await target.ready()),
      close: async () => void (await target.close()),
    };
  }
  if (typeof target === 'function') return { server: createServer(target) };
  const hint =
    typeof (target as { fetch?: unknown } | null)?.fetch === 'function'
      ? ' For a Hono app pass createAdaptorServer({ fetch: app.fetch }) from @hono/node-server (not serve(), which listens itself).'
      : '';
  throw new TypeError(
    `the edge contract needs a node:http server (fastify's app or app.server, express's app or http.Server, hono's createAdaptorServer(...), node:http createServer(...)), got ${describe(target)}.${hint}`,
  );
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with keys ${Object.keys(value).slice(0, 6).join(', ') || '(none)'}`;
}
