import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError, logger, runCommand } from '@edgeship/edge-common';
import {
  aptDownloadSpecs,
  baseImageTag,
  computeBaseHash,
  concatCertificates,
  isRuntimePath,
  renderEtcFiles,
  SHARED_LAYER_EPOCH,
} from './base-rootfs';
import { basePinMismatch, readPackageVersions, requireBasePin, type BasePin } from './base-pins';
import { readImageId } from './docker-engine';
import type { ImagePlatform } from './platforms';
import { createReproducibleTar, sha256File } from './reproducible-tar';

export interface BaseImage {
  hash: string;
  /** Rootfs tarball, byte-reproducible, kept across clones under <cacheRoot>/base. */
  tarball: string;
  /** Local engine tag of the same rootfs as an image (FROM scratch, ADD rootfs.tar). */
  tag: string;
  isFromCache: boolean;
}

/**
 * The base for one arch, built from Debian packages only when its package list (hash) has no entry yet. The
 * cached tar is hashed on every use and must be the one the repository pins (base-pins.ts): an entry altered
 * on disk is reported and built again.
 */
export async function ensureBaseImage(platform: ImagePlatform, cacheRoot: string): Promise<BaseImage> {
  const hash = computeBaseHash(platform.debArch);
  const key = `${platform.debArch}-${hash}`;
  const pin = requireBasePin(key);
  const tarball = join(cacheRoot, 'base', `${key}.tar`);
  const tag = baseImageTag(platform.debArch, hash);
  const cached = existsSync(tarball) ? await sha256File(tarball) : undefined;
  const hasTarball = cached === pin.sha256;
  if (cached !== undefined && !hasTarball) {
    logger.warn(
      `base cache entry ${tarball} has ${cached}, not the pinned ${pin.sha256}: it was altered on disk. Building it again.`,
    );
  }
  if (!hasTarball) await buildBaseTarball(platform, tarball, pin);
  // The engine's copy is reloaded whenever the tar was rebuilt: it may have been loaded from the altered one.
  const hasImage = hasTarball && (await readImageId(tag)) !== undefined;
  if (!hasImage) await loadBaseImage(platform, tarball, tag);
  return { hash, tarball, tag, isFromCache: hasTarball && hasImage };
}

/**
 * Builds the rootfs tar into `tarball`. With a pin, a tar that differs from it is refused before it is cached;
 * without one (the pin script), its digest and package versions are only measured.
 */
export async function buildBaseTarball(
  platform: ImagePlatform,
  tarball: string,
  pin?: BasePin,
): Promise<BasePin> {
  logger.step(`base ${platform.debArch}: building from Debian packages (once per package list)`);
  await mkdir(join(tarball, '..'), { recursive: true });
  const work = await mkdtemp(join(tarball, '..', `.tmp-${platform.debArch}-`));
  try {
    const debs = join(work, 'debs');
    const rootfs = join(work, 'rootfs');
    await mkdir(debs);
    await mkdir(rootfs);
    await downloadPackages(platform, debs);
    const controls: Record<string, string> = {};
    for (const deb of (await readdir(debs)).filter((f) => f.endsWith('.deb')).sort()) {
      await runCommand('dpkg-deb', ['--extract', join(debs, deb), rootfs]);
      const control = await runCommand('dpkg-deb', ['--field', join(debs, deb)]);
      controls[deb.split('_')[0]!] = `${control.stdout.trim()}\n`;
    }
    const certificates = await readCertificates(rootfs);
    await pruneTree(rootfs, '', (path) => isRuntimePath(path, platform.triplet));
    await writeGeneratedFiles(rootfs, certificates, controls);
    const partial = `${tarball}.partial-${process.pid}`;
    await createReproducibleTar(rootfs, partial, SHARED_LAYER_EPOCH);
    await chmod(partial, 0o644);
    const built = { sha256: await sha256File(partial), packages: readPackageVersions(controls) };
    if (pin && built.sha256 !== pin.sha256) {
      await rm(partial, { force: true });
      throw basePinMismatch(`${platform.debArch}-${computeBaseHash(platform.debArch)}`, built, pin);
    }
    await rename(partial, tarball); // atomic: a parallel or killed run never leaves half a base
    return built;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Cross-arch downloads need the arch known to dpkg and apt lists for it; both are added once, on demand. */
async function downloadPackages(platform: ImagePlatform, destination: string): Promise<void> {
  const native = (await runCommand('dpkg', ['--print-architecture'])).stdout.trim();
  if (platform.debArch !== native) {
    const foreign = (await runCommand('dpkg', ['--print-foreign-architectures'])).stdout.split(/\s+/);
    if (!foreign.includes(platform.debArch)) {
      logger.step(`dpkg --add-architecture ${platform.debArch} and apt-get update`);
      await runCommand('dpkg', ['--add-architecture', platform.debArch]);
      await runCommand('apt-get', ['update'], { timeoutMs: 10 * 60_000 });
    }
  }
  const args = ['-o', 'APT::Sandbox::User=root', 'download', ...aptDownloadSpecs(platform.debArch)];
  const first = await runCommand('apt-get', args, { cwd: destination, check: false, timeoutMs: 10 * 60_000 });
  if (first.exitCode === 0) return;
  // Stale lists (a point release replaced the versions they name): refresh once, then it must work.
  logger.warn(`apt-get download failed; refreshing the package lists once`);
  await runCommand('apt-get', ['update'], { timeoutMs: 10 * 60_000 });
  await runCommand('apt-get', args, { cwd: destination, timeoutMs: 10 * 60_000 }).catch((error: unknown) => {
    throw new ToolError(
      `could not download the base packages for ${platform.debArch} from the Debian archive. Check the apt sources and network, then rerun.`,
      `apt-get ${args.join(' ')}`,
      error instanceof ToolError ? error.exitCode : 1,
      error instanceof ToolError ? error.stderr : String(error),
    );
  });
}

async function readCertificates(rootfs: string): Promise<{ name: string; pem: string }[]> {
  const dir = join(rootfs, 'usr/share/ca-certificates/mozilla');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.crt'));
  if (names.length === 0) throw new Error(`ca-certificates held no certificates under ${dir}`);
  return Promise.all(names.map(async (name) => ({ name, pem: await readFile(join(dir, name), 'utf8') })));
}

/** Deletes what isRuntimePath rejects, then the folders left empty. */
async function pruneTree(root: string, relative: string, keep: (path: string) => boolean): Promise<void> {
  for (const name of await readdir(join(root, relative))) {
    const path = relative ? `${relative}/${name}` : name;
    const stats = await lstat(join(root, path));
    if (stats.isDirectory()) {
      await pruneTree(root, path, keep);
      if ((await readdir(join(root, path))).length === 0) await rmdir(join(root, path));
    } else if (!keep(path)) {
      await rm(join(root, path));
    }
  }
}

async function writeGeneratedFiles(
  rootfs: string,
  certificates: { name: string; pem: string }[],
  controls: Record<string, string>,
): Promise<void> {
  const files: Record<string, string> = {
    ...renderEtcFiles(),
    'etc/ssl/certs/ca-certificates.crt': concatCertificates(certificates),
  };
  // distroless-style package records, so scanners can tell which Debian packages the base holds.
  for (const [name, control] of Object.entries(controls)) files[`var/lib/dpkg/status.d/${name}`] = control;
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(rootfs, path, '..'), { recursive: true });
    await writeFile(join(rootfs, path), content, { mode: 0o644 });
  }
  await symlink('../usr/share/zoneinfo/Etc/UTC', join(rootfs, 'etc/localtime'));
  await mkdir(join(rootfs, 'tmp'));
  await chmod(join(rootfs, 'tmp'), 0o1777);
}

/** The base as a local image too, so it can be inspected or built upon; built with buildx like the services. */
async function loadBaseImage(platform: ImagePlatform, tarball: string, tag: string): Promise<void> {
  const context = await mkdtemp(join(tarball, '..', `.ctx-${platform.debArch}-`));
  try {
    await runCommand('cp', ['--reflink=auto', tarball, join(context, 'rootfs.tar')]);
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nADD rootfs.tar /\n');
    await runCommand('docker', [
      'buildx',
      'build',
      '--platform',
      platform.platform,
      '--provenance=false',
      '--load',
      '--tag',
      tag,
      context,
    ]);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
