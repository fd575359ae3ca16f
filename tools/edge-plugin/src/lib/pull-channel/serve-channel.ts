import { createReadStream } from 'node:fs';
import { mkdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';

/** A node's report: what its probe reads, a few KB per service; anything much larger is not a report. */
const REPORT_MAX_BYTES = 4 * 1024 * 1024;
/** The node's inventory name, as the pull agent checks it (NODE in edgeship_pull.py). */
const REPORT_PATH = /^\/reports\/([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)\.json$/;

export interface ChannelServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a pull channel over HTTP: GET of any file under dir (what publishToChannel wrote), PUT of a node's
 * report to /reports/<node>.json only. Any static server with a writable reports/ does the same job; this one
 * is what the local fleet and `npm run pull -- serve` use. Nothing a request says can reach outside dir.
 */
export async function serveChannel(dir: string, host: string, port = 0): Promise<ChannelServer> {
  await mkdir(join(dir, 'reports'), { recursive: true });
  const root = await realpath(dir);
  const server = createServer((request, response) => {
    handle(root, request, response).catch((error: Error) => answer(response, 500, error.message));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = decodeURIComponent(new URL(request.url ?? '/', 'http://channel').pathname);
  if (request.method === 'PUT') return receiveReport(root, path, request, response);
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'GET or PUT');
  // The real path: neither `..` nor a symlink in the channel leads out of it.
  const file = await realpath(resolve(root, `.${path}`)).catch(() => '');
  if (!file.startsWith(root + sep)) return answer(response, 404, 'not found');
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) return answer(response, 404, 'not found');
  response.writeHead(200, { 'content-length': found.size, 'content-type': 'application/octet-stream' });
  if (request.method === 'HEAD') return void response.end();
  // A file replaced or removed between stat and open ends this answer, not the server.
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

async function receiveReport(
  root: string,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const node = REPORT_PATH.exec(path)?.[1];
  if (!node) return answer(response, 403, 'only /reports/<node>.json can be written');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > REPORT_MAX_BYTES)
      return answer(response, 413, `a report is at most ${REPORT_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    return answer(response, 400, 'a report is JSON');
  }
  const target = join(root, 'reports', `${node}.json`);
  await writeFile(`${target}.receiving`, body);
  await rename(`${target}.receiving`, target);
  answer(response, 204, '');
}

function answer(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'content-type': 'text/plain' }).end(text ? `${text}\n` : undefined);
}
