import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerRole } from './normalize-image';

export const IMAGE_RECORD = 'image.json';

export interface LayerRecord {
  role: LayerRole;
  mediaType: string;
  digest: string;
  diffId: string;
  size: number;
  uncompressedSize: number;
}

export interface PlatformImageRecord {
  platform: string;
  /** File name inside the image output folder. */
  archive: string;
  /** sha256 of the archive file: its entry in the build record (see lib/build-record.ts). */
  sha256: string;
  /** Local engine tag. */
  tag: string;
  manifestDigest: string;
  /** The engine's image id. */
  configDigest: string;
  compressedSize: number;
  uncompressedSize: number;
  layers: LayerRecord[];
}

/** What release, deploy, the benchmark and the cache-restore hook read instead of asking docker. */
export interface ImageRecord {
  schema: 'edgeship.image/v1';
  service: string;
  version: string;
  revision?: string;
  sourceDateEpoch: number;
  created: string;
  runtime: { node: string };
  base: Record<string, string>;
  images: PlatformImageRecord[];
}

export async function writeImageRecord(dir: string, record: ImageRecord): Promise<void> {
  await writeFile(join(dir, IMAGE_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

export async function readImageRecord(dir: string): Promise<ImageRecord> {
  const record = JSON.parse(await readFile(join(dir, IMAGE_RECORD), 'utf8')) as ImageRecord;
  if (record.schema !== 'edgeship.image/v1')
    throw new Error(`${join(dir, IMAGE_RECORD)} is not an edgeship image record`);
  return record;
}
