import { ConfigError } from '@edgeship/edge-common';

/** Node.js names for the CPU architectures edgeship ships executables for (Node says x64 where Docker says amd64). */
export const SEA_ARCHS = ['arm64', 'x64'] as const;
export type SeaArch = (typeof SEA_ARCHS)[number];

export function isSeaArch(value: unknown): value is SeaArch {
  return SEA_ARCHS.includes(value as SeaArch);
}

/** Validates the `archs` option; order is kept, duplicates dropped. */
export function parseArchs(value: unknown, file: string): SeaArch[] {
  if (value === undefined) return [...SEA_ARCHS];
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(
      file,
      'archs',
      value,
      `List one or more of ${SEA_ARCHS.join(', ')}, e.g. ["arm64", "x64"].`,
    );
  }
  for (const arch of value) {
    if (!isSeaArch(arch)) {
      const hint =
        arch === 'amd64'
          ? ' (Node.js calls amd64 "x64")'
          : arch === 'aarch64'
            ? ' (Node.js calls aarch64 "arm64")'
            : '';
      throw new ConfigError(
        file,
        'archs',
        arch,
        `Supported architectures are ${SEA_ARCHS.join(', ')}${hint}.`,
      );
    }
  }
  return [...new Set(value as SeaArch[])];
}

/**
 * The SEA blob must come from the same Node.js version as the binaries it goes into, so it is made by
 * running the pinned runtime itself, which has to be the one for the machine we are building on.
 */
export function selectBlobArch(hostArch: string): SeaArch {
  if (isSeaArch(hostArch)) return hostArch;
  throw new ConfigError(
    'this machine',
    'process.arch',
    hostArch,
    `The SEA blob is made by running the pinned Node.js runtime here, which exists for ${SEA_ARCHS.join(', ')} only; build on one of those.`,
  );
}

export function executableName(service: string, arch: SeaArch): string {
  return `${service}-linux-${arch}`;
}

/** The npm registry package that carries the official Node.js binary for this arch. */
export function runtimePackageName(arch: SeaArch): string {
  return `node-linux-${arch}`;
}

/** Docker's (and the nodes' role) name for a Node.js arch. */
export function ociArch(arch: SeaArch): 'arm64' | 'amd64' {
  return arch === 'x64' ? 'amd64' : 'arm64';
}
