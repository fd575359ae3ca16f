export interface BuildxOptions {
  contextDir: string;
  /** linux/arm64 or linux/amd64: one platform per build (the docker driver cannot load multi-platform). */
  platform: string;
  /** A named buildx builder, e.g. remote native ARM64 BuildKit nodes; default: the current builder. */
  builder?: string;
  /**
   * A docker context whose engine builds with its own BuildKit (buildx's docker driver), e.g. an ARM64 host
   * over ssh. buildx refuses `--builder <context>` for any context but the current one; `docker --context`
   * selects it instead.
   */
  context?: string;
  tag: string;
  labels: Record<string, string>;
  sourceDateEpoch: number;
  noCache: boolean;
}

/**
 * `docker buildx build` for one platform, loaded into the engine so the result can be normalized.
 * No --pull: the Dockerfile starts FROM scratch, nothing is ever fetched from a registry.
 * Provenance/SBOM attestations are off: the docker driver cannot store them and they carry build times.
 * SOURCE_DATE_EPOCH is passed for BuildKit ≥ 0.11, which honours it; older ones are normalized after.
 */
export function serviceImageBuildxArgs(options: BuildxOptions): string[] {
  const labels = Object.entries(options.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  return [
    ...(options.context ? ['--context', options.context] : []),
    'buildx',
    'build',
    ...(options.builder ? ['--builder', options.builder] : []),
    '--platform',
    options.platform,
    '--provenance=false',
    '--sbom=false',
    '--build-arg',
    `SOURCE_DATE_EPOCH=${options.sourceDateEpoch}`,
    ...labels,
    ...(options.noCache ? ['--no-cache'] : []),
    '--progress=plain',
    '--load',
    '--tag',
    options.tag,
    options.contextDir,
  ];
}

export interface LabelInputs {
  service: string;
  version: string;
  revision?: string;
  source?: string;
  sourceDateEpoch: number;
}

/** OCI annotation keys as labels; `created` comes from the commit, so it is the same on every rebuild. */
export function ociLabels(inputs: LabelInputs): Record<string, string> {
  return {
    'org.opencontainers.image.title': inputs.service,
    'org.opencontainers.image.version': inputs.version,
    'org.opencontainers.image.created': formatEpoch(inputs.sourceDateEpoch),
    ...(inputs.revision ? { 'org.opencontainers.image.revision': inputs.revision } : {}),
    ...(inputs.source ? { 'org.opencontainers.image.source': inputs.source } : {}),
  };
}

export function formatEpoch(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}
