import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ReleaseRecord {
  schema: 'edgeship.release/v1';
  service: string;
  version: string;
  /** The commit the image was built from (its revision label). */
  revision?: string;
  registry: string;
  repository: string;
  /** The moved release tag, e.g. 127.0.0.1:5000/edgeship/hello-edge:0.1.0. */
  image: string;
  /** The same release pinned by digest: what deploys should pull. */
  reference: string;
  /** Digest of the multi-arch manifest list. */
  manifestDigest: string;
  /** Digest of each platform's image manifest. */
  digests: Record<string, string>;
  /** The signed build record (build.json, signature beside it in build.json.sig) and the SBOM it names. */
  build: { file: string; sha256: string };
  sbom: { file: string; sha256: string };
  tags: string[];
  signature: { verified: boolean; publicKey: string; transparencyLog: false };
  releasedAt: string;
}

export function buildReleaseRecord(
  fields: Omit<ReleaseRecord, 'schema' | 'image' | 'reference'> & { tag: string },
): ReleaseRecord {
  const { tag, ...rest } = fields;
  const name = `${fields.registry}/${fields.repository}`;
  return {
    schema: 'edgeship.release/v1',
    ...rest,
    image: `${name}:${tag}`,
    reference: `${name}@${fields.manifestDigest}`,
  };
}

export async function writeReleaseRecord(serviceDistDir: string, record: ReleaseRecord): Promise<string> {
  const file = join(serviceDistDir, 'release.json');
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
