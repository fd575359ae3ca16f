/**
 * The comparison image for bench/image.bench.ts, built "the usual way" without pulling anything:
 * a Debian bookworm arm64 minbase root filesystem with Debian's `nodejs` package (debootstrap, second
 * stage under QEMU), trimmed like debian:bookworm-slim (no docs, man pages, locales), then the
 * service's production node_modules (`npm ci --omit=dev` of its pruned lockfile) and its code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';

const ROOTFS_CACHE = '/var/cache/edgeship/bench/conventional-bookworm-minbase-nodejs-arm64.tar';

/** The Debian archive URI of this machine, read at run time (never written into the repo). */
function readArchiveUri(): string {
  const sources = readFileSync('/etc/apt/sources.list.d/debian.sources', 'utf8');
  const uri = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!uri) throw new Error('no URIs: line in /etc/apt/sources.list.d/debian.sources');
  return uri;
}

export async function ensureConventionalRootfs(): Promise<{ tarball: string; seconds?: number }> {
  if (existsSync(ROOTFS_CACHE)) return { tarball: ROOTFS_CACHE };
  const started = Date.now();
  await mkdir(join(ROOTFS_CACHE, '..'), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'edgeship-conventional-'));
  try {
    const rootfs = join(work, 'rootfs');
    await runCommand(
      'debootstrap',
      ['--arch=arm64', '--variant=minbase', '--include=nodejs', 'bookworm', rootfs, readArchiveUri()],
      { timeoutMs: 60 * 60_000 },
    );
    // What debian:bookworm-slim leaves out (its dpkg path-excludes), plus apt's caches.
    for (const dir of [
      'usr/share/doc',
      'usr/share/man',
      'usr/share/info',
      'usr/share/locale',
      'var/cache/apt',
      'var/lib/apt/lists',
    ]) {
      await rm(join(rootfs, dir), { recursive: true, force: true });
    }
    await runCommand('tar', [
      '--create',
      `--file=${ROOTFS_CACHE}.partial`,
      `--directory=${rootfs}`,
      '--numeric-owner',
      '.',
    ]);
    await rename(`${ROOTFS_CACHE}.partial`, ROOTFS_CACHE);
    return { tarball: ROOTFS_CACHE, seconds: (Date.now() - started) / 1000 };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds the conventional image of one service with buildx (arm64); returns its local tag. */
export async function buildConventionalImage(
  workspaceRoot: string,
  service: string,
  rootfsTarball: string,
): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'edgeship-conventional-ctx-'));
  try {
    await cp(join(workspaceRoot, 'dist', service, 'lock'), join(context, 'app'), { recursive: true });
    await runCommand('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: join(context, 'app'),
      timeoutMs: 10 * 60_000,
    });
    await mkdir(join(context, 'app', 'node_modules'), { recursive: true }); // a service without dependencies
    await copyFile(
      join(workspaceRoot, 'dist', service, 'bundle', 'main.js'),
      join(context, 'app', 'main.js'),
    );
    await runCommand('cp', ['--reflink=auto', rootfsTarball, join(context, 'rootfs.tar')]);
    await writeFile(
      join(context, 'Dockerfile'),
      [
        'FROM scratch',
        'ADD rootfs.tar /',
        'WORKDIR /app',
        'COPY app/node_modules /app/node_modules',
        'COPY app/package.json app/main.js /app/',
        'CMD ["node", "/app/main.js"]',
        '',
      ].join('\n'),
    );
    const tag = `edgeship-bench/conventional-${service}:arm64`;
    await runCommand(
      'docker',
      ['buildx', 'build', '--platform', 'linux/arm64', '--provenance=false', '--load', '--tag', tag, context],
      { timeoutMs: 30 * 60_000 },
    );
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
