import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error';
import type { Logger } from './logger';
import { readJsonBody } from './read-json-body';

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  log: Logger;
  /** Parses the body as JSON; throws HttpError 400/413/415 that the router turns into answers. */
  readJson(limitBytes?: number): Promise<unknown>;
}

export interface JsonReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => JsonReply | Promise<JsonReply>;
/** Keys are "METHOD /path", e.g. "POST /readings": the whole table reads like an API summary. */
export type Routes = Record<string, RouteHandler>;

export type RouteTable = Map<string, Map<string, RouteHandler>>;

const ROUTE_KEY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/\S*)$/;

export function buildRouteTable(routes: Routes): RouteTable {
  const table: RouteTable = new Map();
  for (const [key, handler] of Object.entries(routes)) {
    const match = ROUTE_KEY.exec(key);
    if (!match) throw new Error(`route "${key}": write the key as "METHOD /path", e.g. "GET /readings"`);
    const [, method, path] = match as unknown as [string, string, string];
    const methods = table.get(path) ?? new Map<string, RouteHandler>();
    methods.set(method, handler);
    table.set(path, methods);
  }
  return table;
}

export function writeJson(res: ServerResponse, reply: JsonReply, shouldClose: boolean): void {
  let status = reply.status ?? 200;
  let payload: string;
  try {
    payload = JSON.stringify(reply.body ?? null);
  } catch {
    // e.g. a BigInt or a cycle in a handler's reply: answer 500 instead of crashing the process
    status = 500;
    payload = '{"error":"reply is not serializable"}';
  }
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...(shouldClose ? { connection: 'close' } : {}),
    ...reply.headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : payload);
}

/** Finds the handler and runs it; every outcome, including a thrown error, becomes one JSON reply. */
export async function dispatchRoute(
  table: RouteTable,
  req: IncomingMessage,
  log: Logger,
): Promise<JsonReply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const methods = table.get(url.pathname);
  if (!methods) return { status: 404, body: { error: `no route for ${url.pathname}` } };
  const method = req.method ?? 'GET';
  const handler = methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined);
  if (!handler) {
    const allow = [...methods.keys()].join(', ');
    return { status: 405, body: { error: `${method} not allowed on ${url.pathname}` }, headers: { allow } };
  }
  try {
    return await handler({ req, url, log, readJson: (limit) => readJsonBody(req, limit) });
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: error.toBody() };
    log.error('route failed', { method, path: url.pathname, error });
    return { status: 500, body: { error: 'internal error' } };
  }
}
