import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { DeliveryMode } from '../../../plugins/marker';
import { hashFile } from '../../bundle/lib/runtime-cache';

/** OCI architecture names: what nodes report through the role's arch map and what the role keys artifacts by. */
export type OciArch = 'arm64' | 'amd64';

export interface ArtifactEntry {
  path: string;
  sha256: string;
  /** Images: the manifest digest the image target recorded (and the release signed). */
  manifest_digest?: string;
  /** Released images: the repository the release pushed to, so nodes with a registry can pull by digest. */
  repository?: string;
}
export type ArtifactMap = Partial<Record<DeliveryMode, Partial<Record<OciArch, ArtifactEntry>>>>;

export interface ArtifactFile {
  delivery: DeliveryMode;
  arch: OciArch;
  path: string;
}

/** Where the bundle and image targets put each artifact (dist/<svc>/bin, dist/<svc>/image). */
export function listArtifactFiles(
  artifactDir: string,
  service: string,
  deliveries: DeliveryMode[],
): ArtifactFile[] {
  const files: ArtifactFile[] = [];
  if (deliveries.includes('binary')) {
    files.push({
      delivery: 'binary',
      arch: 'arm64',
      path: join(artifactDir, 'bin', `${service}-linux-arm64`),
    });
    files.push({ delivery: 'binary', arch: 'amd64', path: join(artifactDir, 'bin', `${service}-linux-x64`) });
  }
  if (deliveries.includes('container')) {
    for (const arch of ['arm64', 'amd64'] as const) {
      files.push({
        delivery: 'container',
        arch,
        path: join(artifactDir, 'image', `${service}-linux-${arch}.tar`),
      });
    }
  }
  return files;
}

/**
 * The sha256 a build recorded for a file: a `SHA256SUMS` beside it (sha256sum format) or an entry of the
 * release manifest (any object naming the file, with a `sha256` or `sha256:` digest field).
 */
export function findRecordedChecksum(
  file: string,
  manifests: { file: string; text: string }[],
): string | undefined {
  for (const manifest of manifests) {
    const found = manifest.file.endsWith('.json')
      ? findInJson(JSON.parse(manifest.text), file, dirname(manifest.file))
      : findInSums(manifest.text, basename(file));
    if (found) return found;
  }
  return undefined;
}

function findInSums(text: string, name: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (match && basename(match[2]!) === name) return match[1];
  }
  return undefined;
}

function findInJson(value: unknown, file: string, manifestDir: string): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findInJson(item, file, manifestDir);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const wanted = relative(manifestDir, file);
  const namesFile = Object.values(record).some(
    (field) =>
      typeof field === 'string' &&
      (field === wanted || field.endsWith(`/${wanted}`) || field === basename(file)),
  );
  const digest = [record['sha256'], record['digest'], record['checksum']].find(
    (field): field is string => typeof field === 'string' && /^(sha256:)?[0-9a-f]{64}$/.test(field),
  );
  if (namesFile && digest) return digest.replace(/^sha256:/, '');
  for (const field of Object.values(record)) {
    const found = findInJson(field, file, manifestDir);
    if (found) return found;
  }
  return undefined;
}

/** Manifests that may record checksums for the artifacts under artifactDir, most specific first. */
export function readManifests(artifactDir: string): { file: string; text: string }[] {
  const candidates = [
    join(artifactDir, 'bin', 'SHA256SUMS'),
    join(artifactDir, 'image', 'SHA256SUMS'),
    join(artifactDir, 'release.json'),
  ];
  return candidates
    .filter((file) => existsSync(file))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

export interface ResolvedArtifacts {
  artifacts: ArtifactMap;
  /** Artifacts no manifest records: their checksum was taken now, so only the transfer is protected. */
  unrecorded: string[];
  missing: string[];
}

/** Existing artifacts with their expected sha256 (recorded by the build when it can be found). */
export async function resolveArtifacts(
  files: ArtifactFile[],
  manifests: { file: string; text: string }[],
): Promise<ResolvedArtifacts> {
  const result: ResolvedArtifacts = { artifacts: {}, unrecorded: [], missing: [] };
  for (const file of files) {
    if (!existsSync(file.path)) {
      result.missing.push(file.path);
      continue;
    }
    let sha256 = findRecordedChecksum(file.path, manifests);
    if (!sha256) {
      result.unrecorded.push(file.path);
      sha256 = await hashFile(file.path);
    }
    (result.artifacts[file.delivery] ??= {})[file.arch] = { path: file.path, sha256 };
  }
  return result;
}
