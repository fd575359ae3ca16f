import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

function isJsonContentType(header: string | undefined): boolean {
  if (!header) return true; // curl -d without -H is common on the field; accept it
  const type = header.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/** Reads and parses a JSON request body, refusing oversized bodies before buffering them whole. */
export async function readJsonBody(
  req: IncomingMessage,
  limitBytes = DEFAULT_BODY_LIMIT_BYTES,
): Promise<unknown> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new HttpError(415, 'expected an application/json body');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new HttpError(413, `body larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limitBytes) throw new HttpError(413, `body larger than ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new HttpError(400, 'empty body: expected JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'body is not valid JSON', { detail: (error as Error).message });
  }
}
