import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SeaArch } from '../../../lib/runtime/arch';
import { ensureRuntimes } from '../../../lib/runtime/fetch-runtime';
import { resolveCacheRoot } from '../../../lib/runtime/runtime-cache';
import { readPinnedRuntime } from '../../../lib/runtime/runtime-version';
import { recordExecutables } from '../../bundle/lib/executables-record';
import { writeExecutables } from '../../bundle/lib/write-executables';

export type ReleaseFault = 'unhealthy-healthz' | 'throws-at-start';

/** The message the 'throws-at-start' variant throws: what the deploy report must carry from the journal. */
export const START_FAILURE_MESSAGE = 'EDGE_TEST_TOKEN is not set: refusing to start without it';

export interface ReleaseVariant {
  workspaceRoot: string;
  service: string;
  /** The version the variant reports on /version: a one-line change of the real service. */
  version: string;
  /**
   * What is wrong with the variant, if anything: 'unhealthy-healthz' answers 503 on /healthz while the process
   * runs and tells systemd READY=1; 'throws-at-start' throws before it listens, as a service missing its
   * configuration does.
   */
  fault?: ReleaseFault;
  archs: SeaArch[];
  outDir: string;
}

/**
 * Code put in front of the real service's bundle, per fault. 'unhealthy-healthz' is the failure mode the health
 * gate exists for (the unit starts, READY=1 arrives, yet the service is not healthy); 'throws-at-start' ends
 * the process with a stack trace that only the node's journal holds.
 */
const PRELUDES: Record<ReleaseFault, string> = {
  'unhealthy-healthz': `{const http=require('node:http');const create=http.createServer;http.createServer=(handler)=>create((req,res)=>req.url==='/healthz'?res.writeHead(503,{'content-type':'application/json'}).end('{"status":"broken"}'):handler(req,res));}\n`,
  'throws-at-start': `throw new Error(${JSON.stringify(START_FAILURE_MESSAGE)});\n`,
};

/** The real bundle (dist/<svc>/bundle/main.js) with another version baked in where esbuild inlined package.json. */
export function setBundledVersion(bundle: string, service: string, version: string): string {
  const pattern = new RegExp(
    `(\\{\\s*"?name"?\\s*:\\s*"${service}"\\s*,\\s*"?version"?\\s*:\\s*")[^"]+(")`,
    'g',
  );
  const matches = bundle.match(pattern) ?? [];
  if (matches.length !== 1)
    throw new Error(
      `expected the inlined package.json of ${service} once in the bundle, found ${matches.length}`,
    );
  return bundle.replace(pattern, `$1${version}$2`);
}

/**
 * Builds single executables of a variant of the real service with the bundle target's own code (pinned
 * runtime, SEA blob, postject), into <outDir>/<service>-<version>/bin with the bundle's part of the build
 * record beside them (bin/executables.json, its version the variant's). Returns that artifact directory.
 */
export async function writeReleaseVariant(variant: ReleaseVariant): Promise<string> {
  const { workspaceRoot, service, version } = variant;
  const artifactDir = join(
    variant.outDir,
    `${service}-${version}${variant.fault ? `-${variant.fault}` : ''}`,
  );
  await mkdir(join(artifactDir, 'bundle'), { recursive: true });
  const source = await readFile(join(workspaceRoot, 'dist', service, 'bundle', 'main.js'), 'utf8');
  const bundleFile = join(artifactDir, 'bundle', 'main.js');
  await writeFile(
    bundleFile,
    (variant.fault ? PRELUDES[variant.fault] : '') + setBundledVersion(source, service, version),
  );
  const blobArch: SeaArch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const { runtimes, blobRuntime } = await ensureRuntimes(
    readPinnedRuntime(workspaceRoot),
    variant.archs,
    blobArch,
    resolveCacheRoot(process.env, workspaceRoot),
  );
  const built = await writeExecutables({ service, bundleFile, workDir: artifactDir, runtimes, blobRuntime });
  const node = readPinnedRuntime(workspaceRoot).version;
  await recordExecutables(artifactDir, { service, version, revision: undefined, node }, built);
  return artifactDir;
}

/**
 * One executable the bundle target built (dist/<service>/bin), copied into <toDir>/bin so a rebuild elsewhere
 * cannot change it under a test, with the bundle's part of the build record for that file alone. Returns the
 * copy's path.
 */
export async function copyBuiltExecutable(
  workspaceRoot: string,
  service: string,
  arch: SeaArch,
  toDir: string,
): Promise<string> {
  const name = `${service}-linux-${arch}`;
  const copy = join(toDir, 'bin', name);
  await mkdir(join(toDir, 'bin'), { recursive: true });
  await copyFile(join(workspaceRoot, 'dist', service, 'bin', name), copy);
  const manifest = JSON.parse(
    await readFile(join(workspaceRoot, 'packages', service, 'package.json'), 'utf8'),
  ) as { version: string };
  const node = readPinnedRuntime(workspaceRoot).version;
  const facts = { service, version: manifest.version, revision: undefined, node };
  await recordExecutables(toDir, facts, [{ arch, file: copy, bytes: 0 }]);
  return copy;
}
