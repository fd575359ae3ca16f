import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactMap, OciArch } from './artifacts';

/** What the image target recorded per archive (dist/<svc>/image/image.json). */
export interface ImageRecord {
  arch: OciArch;
  archive: string;
  manifestDigest: string;
}

/** The part of dist/<svc>/release.json the deploy trusts: per-platform manifest digests the release signed. */
export interface SignedRelease {
  registry: string;
  repository: string;
  digests: Record<string, string>;
}

export function parseImageRecords(text: string): ImageRecord[] {
  const document = JSON.parse(text) as {
    images?: { platform?: string; archive?: string; manifestDigest?: string }[];
  };
  return (document.images ?? []).flatMap((image) => {
    const arch = image.platform?.split('/')[1];
    if ((arch !== 'arm64' && arch !== 'amd64') || !image.archive || !image.manifestDigest) return [];
    return [{ arch, archive: image.archive, manifestDigest: image.manifestDigest }];
  });
}

/**
 * Container artifacts carry the manifest digest the image target recorded (the role checks the archive against
 * it) and, once the release's signature is verified, its repository: a node with a registry pulls that digest.
 */
export function attachManifestDigests(
  artifacts: ArtifactMap,
  records: readonly ImageRecord[],
  verifiedRepository?: string,
): ArtifactMap {
  const container = Object.fromEntries(
    Object.entries(artifacts.container ?? {}).map(([arch, entry]) => {
      const record = records.find((r) => r.arch === arch && entry.path.endsWith(`/${r.archive}`));
      if (!record) return [arch, entry];
      const repository = verifiedRepository ? { repository: verifiedRepository } : {};
      return [arch, { ...entry, manifest_digest: record.manifestDigest, ...repository }];
    }),
  );
  return artifacts.container ? { ...artifacts, container } : artifacts;
}

/** Archives whose recorded manifest is not the one the release signed for that platform. */
export function findUnsignedImages(records: readonly ImageRecord[], release: SignedRelease): string[] {
  return records
    .filter((record) => release.digests[`linux/${record.arch}`] !== record.manifestDigest)
    .map(
      (record) =>
        `${record.archive} (${record.manifestDigest}, release has ${release.digests[`linux/${record.arch}`] ?? 'none'})`,
    );
}

export function readImageRecords(artifactDir: string): ImageRecord[] {
  const file = join(artifactDir, 'image', 'image.json');
  return existsSync(file) ? parseImageRecords(readFileSync(file, 'utf8')) : [];
}

export function readSignedRelease(artifactDir: string): SignedRelease | undefined {
  const file = join(artifactDir, 'release.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SignedRelease) : undefined;
}
