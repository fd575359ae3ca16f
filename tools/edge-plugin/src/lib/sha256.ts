import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The sha256 of a file as 64 hex digits: what build records, runtime pins and the role compare. Streamed: artifacts are ~100 MB. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The same hash as an OCI digest, `sha256:<hex>`: how image layers, configs and manifests name their blobs. */
export async function sha256File(file: string): Promise<string> {
  return `sha256:${await hashFile(file)}`;
}

/** The OCI digest of bytes already in memory (a manifest, a config). */
export function sha256Text(text: string | Buffer): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
