import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressLayer } from '../lib/layer-blobs';
import { writeOciArchive } from '../lib/oci-archive';
import { buildImageConfig } from '../lib/oci-image';
import { createReproducibleTar } from '../lib/reproducible-tar';
import { sha256File } from '../../../lib/sha256';

/** A one-layer image (one text file), written as an OCI archive: small enough for unit tests. */
export async function writeTinyImage(
  dir: string,
  text: string,
  refName: string,
): Promise<{ archive: string; configDigest: string; manifestDigest: string }> {
  mkdirSync(join(dir, 'root/app'), { recursive: true });
  writeFileSync(join(dir, 'root/app/hello.txt'), text);
  await createReproducibleTar(join(dir, 'root'), join(dir, 'layer.tar'), 0);
  const diffId = await sha256File(join(dir, 'layer.tar'));
  const blob = await compressLayer(join(dir, 'layer.tar'), diffId, 'zstd', 3, undefined);
  const config = buildImageConfig(
    { architecture: 'arm64', os: 'linux', config: { User: '10001:10001' } },
    [diffId],
    '2024-01-01T00:00:00Z',
  );
  const archive = join(dir, 'image.tar');
  const written = await writeOciArchive(join(dir, 'oci'), archive, config, [blob], refName);
  return { archive, ...written };
}
