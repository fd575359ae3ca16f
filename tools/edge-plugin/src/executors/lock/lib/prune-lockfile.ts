import type { Lockfile, LockfileEntry } from './lockfile';

export interface PrunedManifests {
  packageJson: { name: string; version: string; private: true; dependencies: Record<string, string> };
  lockfile: Lockfile;
}

/** Thrown when the root lockfile cannot describe the service on its own (drift or a version clash). */
export class PruneError extends Error {}

/**
 * Cuts the root lockfile down to what one service needs at run time. Workspace packages it
 * depends on (service-kit) are inlined by the bundle, so their registry dependencies become the
 * service's own; everything is re-rooted at the scratch folder's node_modules.
 */
export function pruneLockfile(
  lock: Lockfile,
  servicePath: string,
  service: { name: string; version: string },
): PrunedManifests {
  if (!lock.packages[servicePath]) {
    throw new PruneError(`package-lock.json has no entry "${servicePath}"`);
  }
  const external = collectExternalDependencies(lock, servicePath, new Set());
  const packages: Record<string, LockfileEntry> = {
    '': { name: service.name, version: service.version, dependencies: sortKeys(external.specs) },
  };
  const origins = new Map<string, string>();
  const queue = [...external.locations];
  while (queue.length > 0) {
    const from = queue.shift()!;
    const target = rerootPath(from);
    if (origins.has(target)) {
      const first = origins.get(target)!;
      if (lock.packages[first]?.version !== lock.packages[from]?.version) {
        throw new PruneError(`${first} and ${from} both install as ${target} with different versions`);
      }
      continue;
    }
    origins.set(target, from);
    packages[target] = stripDevFlags(lock.packages[from]!);
    for (const name of runtimeDependencyNames(lock.packages[from]!)) {
      const location = resolveInLockfile(lock, from, name);
      if (location) queue.push(location);
      else if (!isOptionalDependency(lock.packages[from]!, name)) {
        throw new PruneError(`${from} needs "${name}", which package-lock.json does not contain`);
      }
    }
  }
  return {
    packageJson: {
      name: service.name,
      version: service.version,
      private: true,
      dependencies: sortKeys(external.specs),
    },
    lockfile: {
      name: service.name,
      version: service.version,
      lockfileVersion: 3,
      requires: true,
      packages: sortKeys(packages),
    },
  };
}

/** Registry dependencies of a workspace package, following workspace links transitively. */
function collectExternalDependencies(
  lock: Lockfile,
  workspacePath: string,
  seen: Set<string>,
): { specs: Record<string, string>; locations: string[] } {
  seen.add(workspacePath);
  const specs: Record<string, string> = {};
  const locations: string[] = [];
  const entry = lock.packages[workspacePath]!;
  for (const [name, spec] of Object.entries({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const location = resolveInLockfile(lock, workspacePath, name);
    if (!location)
      throw new PruneError(`${workspacePath} depends on "${name}", which package-lock.json does not contain`);
    const resolved = lock.packages[location]!;
    if (resolved.link && resolved.resolved) {
      if (seen.has(resolved.resolved)) continue;
      const inner = collectExternalDependencies(lock, resolved.resolved, seen);
      mergeSpecs(specs, inner.specs, resolved.resolved);
      locations.push(...inner.locations);
    } else {
      mergeSpecs(specs, { [name]: spec }, workspacePath);
      locations.push(location);
    }
  }
  return { specs, locations };
}

function mergeSpecs(into: Record<string, string>, from: Record<string, string>, where: string): void {
  for (const [name, spec] of Object.entries(from)) {
    if (into[name] && into[name] !== spec) {
      throw new PruneError(
        `"${name}" is required as ${into[name]} and as ${spec} (in ${where}); align the ranges`,
      );
    }
    into[name] = spec;
  }
}

/** Node's module resolution, played on lockfile paths: nearest node_modules first, then upwards. */
export function resolveInLockfile(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent >= 0 ? base.slice(0, parent) : '';
  }
}

/** `packages/x/node_modules/a` (a workspace's own copy) installs as `node_modules/a` once pruned. */
function rerootPath(path: string): string {
  const first = path.indexOf('node_modules/');
  return path.slice(first);
}

function runtimeDependencyNames(entry: LockfileEntry): string[] {
  const peers = Object.keys(entry.peerDependencies ?? {}).filter(
    (name) => !entry.peerDependenciesMeta?.[name]?.optional,
  );
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...peers,
  ];
}

function isOptionalDependency(entry: LockfileEntry, name: string): boolean {
  return name in (entry.optionalDependencies ?? {});
}

function stripDevFlags(entry: LockfileEntry): LockfileEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
  return kept;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
