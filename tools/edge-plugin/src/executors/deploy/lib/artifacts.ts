import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord, OciArch } from '../../../lib/build-record';
import type { DeliveryMode } from '../../../lib/service-manifest';

export interface ArtifactEntry {
  path: string;
  sha256: string;
  /** Images: the manifest digest in the build record; the role recomputes it from the archive. */
  manifest_digest?: string;
  /** Released images: the repository the release pushed to, so nodes with a registry can pull by digest. */
  repository?: string;
}
export type ArtifactMap = Partial<Record<DeliveryMode, Partial<Record<OciArch, ArtifactEntry>>>>;

/**
 * What the role gets per delivery and arch, taken from the build record and nothing else. A container
 * service also ships its executables: nodes that cannot run podman fall back to them (they are in the same
 * record, under the same signature). `repository` comes with a signed record only.
 */
export function artifactMap(
  record: BuildRecord,
  distDir: string,
  deliveries: readonly DeliveryMode[],
  repository: string | undefined,
): ArtifactMap {
  const map: ArtifactMap = {};
  if (deliveries.includes('binary'))
    for (const entry of record.executables)
      (map.binary ??= {})[entry.arch] = { path: join(distDir, entry.file), sha256: entry.sha256 };
  if (deliveries.includes('container'))
    for (const entry of record.images)
      (map.container ??= {})[entry.arch] = {
        path: join(distDir, entry.file),
        sha256: entry.sha256,
        manifest_digest: entry.manifestDigest,
        ...(repository ? { repository } : {}),
      };
  return map;
}

/**
 * The repository release.json says the images were pushed to, when every platform digest it lists is one
 * the (signed) record names: a node that pulls by digest gets exactly the recorded image.
 */
export function readReleasedRepository(distDir: string, record: BuildRecord): string | undefined {
  const file = join(distDir, 'release.json');
  if (!existsSync(file) || record.images.length === 0) return undefined;
  const release = JSON.parse(readFileSync(file, 'utf8')) as {
    repository?: string;
    digests?: Record<string, string>;
  };
  const pushed = Object.values(release.digests ?? {});
  const isSame = record.images.every((image) => pushed.includes(image.manifestDigest));
  return isSame && typeof release.repository === 'string' ? release.repository : undefined;
}
