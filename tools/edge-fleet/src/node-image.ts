import { access, link, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logger, timedStep, runCommand } from '@edgeship/edge-common';
import type { FleetArch } from './names';
import {
  describeNodeImage,
  NODE_IMAGE_CONFIG,
  ROOTFS_CACHE_DIR,
  type NodeImageSpec,
} from './node-image-spec';
import { checkImageTools } from './preflight';
import { buildRootfsTarball } from './rootfs';

export interface EnsureNodeImageOptions {
  /** Where rootfs tarballs are cached (default /var/cache/edgeship/rootfs, survives fresh clones). */
  cacheDir?: string;
  /** Rebuild even when cached: `all` from debootstrap on (the cold benchmark), `image` from the cached rootfs. */
  rebuild?: 'image' | 'all';
}

export interface NodeImage {
  spec: NodeImageSpec;
  tag: string;
  /** What had to be done: nothing, only the docker image from a cached tarball, or everything. */
  source: 'image-cache' | 'rootfs-cache' | 'built';
}

/** The node image for an arch, built only when its package list or config changed (the hash in its tag). */
export async function ensureNodeImage(
  arch: FleetArch,
  options: EnsureNodeImageOptions = {},
): Promise<NodeImage> {
  const spec = describeNodeImage(arch);
  const cacheDir = options.cacheDir ?? ROOTFS_CACHE_DIR;
  if (!options.rebuild && (await hasImage(spec.tag))) return { spec, tag: spec.tag, source: 'image-cache' };

  await checkImageTools(arch);
  const tarball = join(cacheDir, spec.tarballName);
  const hasTarball = options.rebuild !== 'all' && (await exists(tarball));
  if (hasTarball) {
    logger.info(`node image ${spec.tag}: using cached rootfs ${tarball}`);
  } else {
    logger.info(
      `node image ${spec.tag}: building the ${arch} rootfs${arch === 'arm64' ? ' under QEMU emulation (several minutes)' : ''}`,
    );
    await buildRootfsTarball(spec, cacheDir);
  }
  await timedStep(`docker buildx build ${spec.tag}`, () => buildImageFromTarball(spec, tarball, cacheDir));
  return { spec, tag: spec.tag, source: hasTarball ? 'rootfs-cache' : 'built' };
}

export function nodeDockerfile(spec: NodeImageSpec): string {
  return [
    'FROM scratch',
    'ADD rootfs.tar /',
    `ENV ${NODE_IMAGE_CONFIG.env}`,
    `STOPSIGNAL ${NODE_IMAGE_CONFIG.stopSignal}`,
    `LABEL edgeship.node-image=${spec.imageHash} edgeship.rootfs=${spec.hash} edgeship.arch=${spec.arch}`,
    `CMD ["${NODE_IMAGE_CONFIG.cmd}"]`,
    '',
  ].join('\n');
}

/** buildx, not `docker import`: engine 20.10's import ignores --platform, which arm64 images need. */
export function buildxArgs(spec: NodeImageSpec, contextDir: string): string[] {
  return [
    'buildx',
    'build',
    '--platform',
    `linux/${spec.arch}`,
    '--load',
    '--progress=plain',
    '-t',
    spec.tag,
    contextDir,
  ];
}

async function buildImageFromTarball(spec: NodeImageSpec, tarball: string, cacheDir: string): Promise<void> {
  // A context holding only this tarball (hard-linked, so free) keeps the other cached tarballs out of it.
  const contextDir = await mkdtemp(join(cacheDir, `.image-${spec.arch}-${spec.hash}-`));
  try {
    await link(tarball, join(contextDir, 'rootfs.tar'));
    await writeFile(join(contextDir, 'Dockerfile'), nodeDockerfile(spec));
    await runCommand('docker', buildxArgs(spec, contextDir), { timeoutMs: 20 * 60_000 });
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
}

export async function hasImage(tag: string): Promise<boolean> {
  const { exitCode } = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', tag], {
    check: false,
  });
  return exitCode === 0;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
