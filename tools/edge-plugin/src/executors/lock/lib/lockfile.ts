/** The parts of an npm v2/v3 package-lock.json that edgeship reads. */
export interface LockfileEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  inBundle?: boolean;
  license?: string;
  engines?: unknown;
  os?: string[];
  cpu?: string[];
  bin?: unknown;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockfileEntry>;
}

/** Entries installed from a tarball (not workspace links, not the root, not bundled inside another). */
export function isRegistryEntry(path: string, entry: LockfileEntry): boolean {
  return path !== '' && path.includes('node_modules/') && !entry.link && !entry.inBundle;
}

/**
 * Entries npm cannot verify: no `integrity` hash. (A missing `resolved` is fine: the workspace's
 * .npmrc omits registry URLs, so npm fetches by name and version from the configured registry.)
 */
export function findEntriesWithoutIntegrity(lockfile: Lockfile): string[] {
  return Object.entries(lockfile.packages)
    .filter(([path, entry]) => isRegistryEntry(path, entry) && !entry.integrity)
    .map(([path]) => path);
}
