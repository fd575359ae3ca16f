import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { runCommand } from '@edgeship/edge-common';

export interface LayerSize {
  createdBy: string;
  uncompressed: number;
  gzip6: number;
}

/** Layer sizes of an image in the engine, compressed as `docker push` does (gzip, default level). */
export async function measureEngineImage(tag: string): Promise<LayerSize[]> {
  const work = await mkdtemp(join(tmpdir(), 'edgeship-sizes-'));
  try {
    await runCommand('docker', ['save', '--output', join(work, 'image.tar'), tag], {
      timeoutMs: 10 * 60_000,
    });
    await runCommand('tar', ['--extract', `--file=${join(work, 'image.tar')}`, `--directory=${work}`]);
    const [manifest] = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as {
      Config: string;
      Layers: string[];
    }[];
    const config = JSON.parse(await readFile(join(work, manifest!.Config), 'utf8')) as {
      history: { created_by: string; empty_layer?: boolean }[];
    };
    const steps = config.history.filter((h) => !h.empty_layer).map((h) => h.created_by);
    const sizes: LayerSize[] = [];
    for (const [index, layer] of manifest!.Layers.entries()) {
      const file = join(work, layer);
      sizes.push({
        createdBy: steps[index] ?? '?',
        uncompressed: (await stat(file)).size,
        gzip6: await gzipSize(file, 6),
      });
    }
    return sizes;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function gzipSize(file: string, level: number): Promise<number> {
  let bytes = 0;
  await pipeline(
    createReadStream(file),
    createGzip({ level }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  return bytes;
}
