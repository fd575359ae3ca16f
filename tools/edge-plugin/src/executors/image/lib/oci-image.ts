import { sha256Text } from '../../../lib/sha256';

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
}

/** The runtime settings edgeship images use; anything else a builder adds is dropped. */
const CONFIG_KEYS = [
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'WorkingDir',
  'Labels',
  'StopSignal',
];

interface BuilderConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  config?: Record<string, unknown>;
  history?: { created_by?: string; comment?: string; empty_layer?: boolean }[];
}

/**
 * Rebuilds the image config from what the builder produced, keeping only what decides how the image
 * runs, with every timestamp set to the commit's: the same commit gives the same bytes, whatever the
 * builder's version (BuildKit < 0.11 stamps the build time and ignores SOURCE_DATE_EPOCH).
 */
export function buildImageConfig(built: BuilderConfig, diffIds: readonly string[], created: string): string {
  const runConfig: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (built.config?.[key] !== undefined) runConfig[key] = built.config[key];
  const history = (built.history ?? []).map((entry) => ({
    created,
    created_by: entry.created_by ?? '',
    ...(entry.comment ? { comment: entry.comment } : {}),
    ...(entry.empty_layer ? { empty_layer: true } : {}),
  }));
  return JSON.stringify({
    created,
    architecture: built.architecture,
    os: built.os,
    ...(built.variant ? { variant: built.variant } : {}),
    config: runConfig,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  });
}

export function describe(mediaType: string, bytes: string | Buffer): Descriptor {
  return { mediaType, digest: sha256Text(bytes), size: Buffer.byteLength(bytes) };
}

export function buildManifest(config: Descriptor, layers: readonly Descriptor[]): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config, layers });
}

/** index.json of the OCI layout; the ref name lets podman/skopeo name the image on load. */
export function buildLayoutIndex(manifest: Descriptor, refName: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: [{ ...manifest, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  });
}

export function platformOf(built: BuilderConfig): Descriptor['platform'] {
  return {
    architecture: built.architecture ?? 'unknown',
    os: built.os ?? 'linux',
    ...(built.variant ? { variant: built.variant } : {}),
  };
}

/** docker load's manifest.json (engine 20.10 reads no OCI layout). */
export function buildDockerLoadManifest(
  configPath: string,
  layerPaths: readonly string[],
  tag: string,
): string {
  return JSON.stringify([{ Config: configPath, RepoTags: [tag], Layers: layerPaths }]);
}
