import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface PackageNode {
  name: string;
  version: string;
  /** Real path (workspace libraries are reached through their node_modules symlink). */
  dir: string;
  /** Dependency chain from the service, for the error message. */
  via: string[];
}

export interface NativeAddon extends PackageNode {
  /** What gave it away: binding.gyp, "gypfile": true, or .node files (relative to the package). */
  evidence: string[];
}

interface Manifest {
  name?: string;
  version?: string;
  gypfile?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * Walks the service's production dependency tree as Node.js would resolve it at run time
 * (node_modules folders up to the workspace root), visiting each real package folder once.
 */
export function listProductionPackages(serviceDir: string, workspaceRoot: string): PackageNode[] {
  const root = realpathSync(workspaceRoot);
  const start = realpathSync(serviceDir);
  const seen = new Map<string, PackageNode>();
  const queue: { dir: string; via: string[] }[] = [{ dir: start, via: [] }];
  while (queue.length > 0) {
    const { dir, via } = queue.shift()!;
    const manifest = readManifest(dir);
    const names = { ...manifest.optionalDependencies, ...manifest.dependencies };
    for (const name of Object.keys(names)) {
      const found = resolvePackageDir(name, dir, root);
      if (!found || seen.has(found)) continue;
      const child = readManifest(found);
      const node = { name, version: child.version ?? '?', dir: found, via: [...via, name] };
      seen.set(found, node);
      queue.push({ dir: found, via: node.via });
    }
  }
  return [...seen.values()];
}

/** Node.js resolution: <dir>/node_modules/<name>, then each parent, stopping at the workspace root. */
export function resolvePackageDir(name: string, fromDir: string, workspaceRoot: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === workspaceRoot || dir === dirname(dir) || !dir.startsWith(workspaceRoot)) return undefined;
  }
}

/** What marks a package as a native addon: its build recipe, or compiled .node files it ships. */
export function findAddonEvidence(dir: string): string[] {
  const evidence: string[] = [];
  if (existsSync(join(dir, 'binding.gyp'))) evidence.push('binding.gyp');
  if (readManifest(dir).gypfile === true) evidence.push('"gypfile": true');
  evidence.push(...listNodeFiles(dir).map((file) => relative(dir, file)));
  return evidence;
}

export function findNativeAddons(serviceDir: string, workspaceRoot: string): NativeAddon[] {
  return listProductionPackages(serviceDir, workspaceRoot)
    .map((node) => ({ ...node, evidence: findAddonEvidence(node.dir) }))
    .filter((addon) => addon.evidence.length > 0);
}

/** Names each addon, how the service pulls it in, and the ways out. */
export function describeNativeAddons(service: string, addons: readonly NativeAddon[]): string {
  const lines = addons.map((addon) => {
    const shown = addon.evidence.slice(0, 3).join(', ') + (addon.evidence.length > 3 ? ', …' : '');
    return `  - ${addon.name}@${addon.version} (${shown}), via ${[service, ...addon.via].join(' → ')}`;
  });
  return [
    `${service} depends on native addons, which a single-file executable cannot load from node_modules:`,
    ...lines,
    'Fix, one of:',
    `  1. deliver it as a container image instead: set "edgeship": {"delivery": "container"} in its package.json (bundle then leaves the addon external and builds no executable; the image installs it);`,
    '  2. embed the addon\'s .node file for each arch as a SEA asset and load it with process.dlopen, then list the package in the bundle target\'s "allowNativeAddons" option;',
    '  3. replace the package with a pure JavaScript alternative.',
  ].join('\n');
}

function readManifest(dir: string): Manifest {
  const file = join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : {};
}

/** .node files of this package only: nested node_modules are separate packages, visited on their own. */
function listNodeFiles(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listNodeFiles(path, depth + 1));
    else if (entry.isFile() && entry.name.endsWith('.node')) found.push(path);
  }
  return found;
}
