import { ConfigError } from '@edgeship/edge-common';
import type { SeaArch } from '../../bundle/lib/arch';

/** What one target platform means for each tool on the way: Debian, Node.js, the OCI image, file names. */
export interface ImagePlatform {
  /** Docker's name, passed to `buildx --platform`. */
  platform: 'linux/arm64' | 'linux/amd64';
  /** Debian's architecture name, for `apt-get download pkg:<arch>`. */
  debArch: 'arm64' | 'amd64';
  /** The Node.js runtime package arch (Node says x64 where Debian says amd64). */
  nodeArch: SeaArch;
  /** Debian's multiarch triplet: where the shared libraries live. */
  triplet: string;
  /** The suffix of the archive and of the local tag: <svc>-linux-arm64.tar. */
  suffix: 'linux-arm64' | 'linux-amd64';
}

export const PLATFORMS: Readonly<Record<ImagePlatform['platform'], ImagePlatform>> = {
  'linux/arm64': {
    platform: 'linux/arm64',
    debArch: 'arm64',
    nodeArch: 'arm64',
    triplet: 'aarch64-linux-gnu',
    suffix: 'linux-arm64',
  },
  'linux/amd64': {
    platform: 'linux/amd64',
    debArch: 'amd64',
    nodeArch: 'x64',
    triplet: 'x86_64-linux-gnu',
    suffix: 'linux-amd64',
  },
};

const ALIASES: Record<string, string> = {
  arm64: 'linux/arm64',
  aarch64: 'linux/arm64',
  'linux/aarch64': 'linux/arm64',
  'linux/arm64/v8': 'linux/arm64',
  amd64: 'linux/amd64',
  x64: 'linux/amd64',
  x86_64: 'linux/amd64',
  'linux/x86_64': 'linux/amd64',
};

/** Validates the `platforms` option (arm64 first by default); order is kept, duplicates dropped. */
export function parsePlatforms(value: unknown, file: string): ImagePlatform[] {
  if (value === undefined) return [PLATFORMS['linux/arm64'], PLATFORMS['linux/amd64']];
  const supported = Object.keys(PLATFORMS).join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(file, 'platforms', value, `List one or more of ${supported}.`);
  }
  const parsed = value.map((entry: unknown) => {
    const known = typeof entry === 'string' ? PLATFORMS[entry as ImagePlatform['platform']] : undefined;
    if (known) return known;
    const alias = typeof entry === 'string' ? ALIASES[entry.toLowerCase()] : undefined;
    const hint = alias ? ` Did you mean "${alias}"?` : '';
    throw new ConfigError(file, 'platforms', entry, `Supported platforms are ${supported}.${hint}`);
  });
  return [...new Set(parsed)];
}

export function archiveName(service: string, platform: ImagePlatform): string {
  return `${service}-${platform.suffix}.tar`;
}
