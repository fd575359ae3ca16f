import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { checkSemver } from './semver';

/** OCI architecture names: what nodes report through the role's arch map and what the role keys artifacts by. */
export type OciArch = 'arm64' | 'amd64';

/**
 * The one description of a service build (dist/<svc>): what deploy, release and the role hold artifacts to.
 * Two targets make it and each writes its own part inside its own Nx output folder, so a cache hit of one never
 * rewrites the other's files: the bundle writes bin/executables.json, the image target image/image.json (with
 * its layer details). `readBuildRecord` is the one reader that joins them; `release` writes the joined record
 * to build.json and signs exactly that file.
 */
export interface BuildRecord {
  schema: 'edgeship.build/v1';
  service: string;
  version: string;
  /** The commit the artifacts were built from, when the workspace is a git checkout. */
  revision?: string;
  runtime: { node: string };
  executables: ArtifactRecord[];
  images: ImageArtifactRecord[];
  /** Added by release: the CycloneDX SBOM of the service's pruned lockfile. */
  sbom?: { file: string; sha256: string };
}

export interface ArtifactRecord {
  arch: OciArch;
  /** Relative to the service's dist folder, e.g. bin/hello-edge-linux-arm64. */
  file: string;
  sha256: string;
}

export interface ImageArtifactRecord extends ArtifactRecord {
  /** The platform's image manifest digest: what the release signs and the role recomputes from the archive. */
  manifestDigest: string;
}

/** The bundle target's part of the record. */
export interface ExecutablesRecord {
  schema: 'edgeship.executables/v1';
  service: string;
  version: string;
  revision?: string;
  runtime: { node: string };
  executables: ArtifactRecord[];
}

export const EXECUTABLES_RECORD = join('bin', 'executables.json');
export const IMAGE_PART = join('image', 'image.json');
export const SIGNED_RECORD = 'build.json';
export const SIGNATURE = 'build.json.sig';

const SHA256 = /^[0-9a-f]{64}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const REVISION = /^[0-9a-f]{7,40}(-dirty)?$/;
/** Artifact files stay inside their output folder: a name, no path, nothing a shell or Ansible would read. */
const ARTIFACT_FILE = /^(bin|image)\/[a-z0-9][a-z0-9._-]*$/;

export async function writeExecutablesRecord(distDir: string, record: ExecutablesRecord): Promise<void> {
  await writeFile(join(distDir, EXECUTABLES_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

export async function writeSignedRecordFile(distDir: string, record: BuildRecord): Promise<string> {
  const file = join(distDir, SIGNED_RECORD);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/**
 * The build in dist/<svc> as its two parts describe it, checked field by field; undefined when the bundle
 * never ran. `shown` is how paths appear in messages (relative to the workspace).
 */
export function readBuildRecord(distDir: string, shown = distDir): BuildRecord | undefined {
  const executablesFile = join(distDir, EXECUTABLES_RECORD);
  if (!existsSync(executablesFile)) return undefined;
  const part = readJson(executablesFile, join(shown, EXECUTABLES_RECORD));
  const record: BuildRecord = {
    schema: 'edgeship.build/v1',
    ...checkHeader(part, join(shown, EXECUTABLES_RECORD), 'edgeship.executables/v1'),
    executables: checkArtifacts(part['executables'], join(shown, EXECUTABLES_RECORD), 'executables', false),
    images: [],
  };
  const imageFile = join(distDir, IMAGE_PART);
  if (existsSync(imageFile)) {
    const image = readJson(imageFile, join(shown, IMAGE_PART));
    // An image part of another build (the bundle ran again, the image target did not) describes nothing here.
    if (sameRevision(image['revision'], record.revision) && image['version'] === record.version)
      record.images = checkArtifacts(imageEntries(image), join(shown, IMAGE_PART), 'images', true);
  }
  return record;
}

/** The record release signed (dist/<svc>/build.json), checked like the parts. */
export function readSignedRecord(file: string, shown: string): BuildRecord {
  const document = readJson(file, shown);
  const sbom = document['sbom'] as { file?: unknown; sha256?: unknown } | undefined;
  return {
    schema: 'edgeship.build/v1',
    ...checkHeader(document, shown, 'edgeship.build/v1'),
    executables: checkArtifacts(document['executables'], shown, 'executables', false),
    images: checkArtifacts(document['images'], shown, 'images', true),
    ...(sbom && typeof sbom.file === 'string' && typeof sbom.sha256 === 'string'
      ? { sbom: { file: sbom.file, sha256: sbom.sha256 } }
      : {}),
  };
}

/** True when both describe the same artifacts (what a signature over one says about the other). */
export function sameArtifacts(a: BuildRecord, b: BuildRecord): boolean {
  const key = (record: BuildRecord) =>
    JSON.stringify([record.service, record.version, record.revision, record.executables, record.images]);
  return key(a) === key(b);
}

function readJson(file: string, shown: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below, with the file named
  }
  throw new ConfigError(shown, 'content', undefined, 'It is not a JSON object: rebuild the service.');
}

function checkHeader(
  document: Record<string, unknown>,
  shown: string,
  schema: string,
): Pick<BuildRecord, 'service' | 'version' | 'revision' | 'runtime'> {
  if (document['schema'] !== schema)
    throw new ConfigError(shown, 'schema', document['schema'], `Expected "${schema}": rebuild the service.`);
  const service = document['service'];
  if (typeof service !== 'string' || !/^[a-z][a-z0-9-]*$/.test(service))
    throw new ConfigError(shown, 'service', service, 'Rebuild the service.');
  const revision = document['revision'];
  if (revision !== undefined && (typeof revision !== 'string' || !REVISION.test(revision)))
    throw new ConfigError(shown, 'revision', revision, 'Rebuild the service.');
  const runtime = document['runtime'] as { node?: unknown } | undefined;
  if (typeof runtime?.node !== 'string')
    throw new ConfigError(shown, 'runtime.node', runtime?.node, 'Rebuild the service.');
  return {
    service,
    version: checkSemver(document['version'], shown, 'version'),
    ...(revision === undefined ? {} : { revision }),
    runtime: { node: checkSemver(runtime.node, shown, 'runtime.node') },
  };
}

function checkArtifacts(value: unknown, shown: string, field: string, isImage: false): ArtifactRecord[];
function checkArtifacts(value: unknown, shown: string, field: string, isImage: true): ImageArtifactRecord[];
function checkArtifacts(value: unknown, shown: string, field: string, isImage: boolean): ArtifactRecord[] {
  if (!Array.isArray(value)) throw new ConfigError(shown, field, value, 'Rebuild the service.');
  return value.map((entry: Record<string, unknown>, index) => {
    const at = `${field}[${index}]`;
    if (entry['arch'] !== 'arm64' && entry['arch'] !== 'amd64')
      throw new ConfigError(shown, `${at}.arch`, entry['arch'], 'Expected arm64 or amd64: rebuild.');
    if (typeof entry['file'] !== 'string' || !ARTIFACT_FILE.test(entry['file']))
      throw new ConfigError(
        shown,
        `${at}.file`,
        entry['file'],
        'Expected bin/<name> or image/<name>: rebuild.',
      );
    if (typeof entry['sha256'] !== 'string' || !SHA256.test(entry['sha256']))
      throw new ConfigError(shown, `${at}.sha256`, entry['sha256'], 'Expected 64 hex digits: rebuild.');
    const artifact = { arch: entry['arch'], file: entry['file'], sha256: entry['sha256'] } as const;
    if (!isImage) return artifact;
    if (typeof entry['manifestDigest'] !== 'string' || !DIGEST.test(entry['manifestDigest']))
      throw new ConfigError(shown, `${at}.manifestDigest`, entry['manifestDigest'], 'Rebuild the image.');
    return { ...artifact, manifestDigest: entry['manifestDigest'] };
  });
}

/** The bundle records 12 hex digits of the commit, the image target all 40 (its OCI label): same commit, same state. */
function sameRevision(a: unknown, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a !== 'string' || a.endsWith('-dirty') !== b.endsWith('-dirty')) return false;
  const [shaA, shaB] = [a, b].map((value) => value.replace(/-dirty$/, ''));
  return shaA!.startsWith(shaB!) || shaB!.startsWith(shaA!);
}

/** image.json lists platforms with their archive names; the build record names the file from the dist folder. */
function imageEntries(image: Record<string, unknown>): unknown[] {
  const images = Array.isArray(image['images']) ? (image['images'] as Record<string, unknown>[]) : [];
  return images.map((entry) => ({
    arch: typeof entry['platform'] === 'string' ? entry['platform'].split('/')[1] : undefined,
    file: typeof entry['archive'] === 'string' ? `image/${entry['archive']}` : entry['archive'],
    sha256: entry['sha256'],
    manifestDigest: entry['manifestDigest'],
  }));
}

/** How a record's file appears in messages: relative to the workspace. */
export function shownDistDir(workspaceRoot: string, distDir: string): string {
  return relative(workspaceRoot, distDir) || distDir;
}
