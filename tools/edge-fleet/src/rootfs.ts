import { mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { logger, timedStep, runCommand } from '@edgeship/edge-common';
import { readArchiveUri } from './apt-source';
import { runMmdebstrap } from './mmdebstrap';
import type { NodeImageSpec } from './node-image-spec';

const PROGRESS_EVERY_MS = 20_000;

/** Makes the Debian rootfs folder of a spec: mmdebstrap here; the rootfs benchmark also runs debootstrap. */
export interface RootfsBootstrapper {
  tool: string;
  run(spec: NodeImageSpec, rootfs: string, archiveUri: string): Promise<void>;
}

export const MMDEBSTRAP: RootfsBootstrapper = { tool: 'mmdebstrap', run: runMmdebstrap };

/**
 * Makes <cacheDir>/<arch>-<hash>.tar: mmdebstrap, then the container tweaks, then tar. Built in a
 * private folder and renamed into place, so a crash or a second builder never leaves half a tarball.
 */
export async function buildRootfsTarball(
  spec: NodeImageSpec,
  cacheDir: string,
  bootstrapper: RootfsBootstrapper = MMDEBSTRAP,
): Promise<string> {
  const target = join(cacheDir, spec.tarballName);
  await mkdir(cacheDir, { recursive: true });
  const workDir = await mkdtemp(join(cacheDir, `.build-${spec.arch}-${spec.hash}-`));
  const rootfs = join(workDir, 'rootfs');
  try {
    const archiveUri = await readArchiveUri(spec.suite);
    await timedStep(
      `${bootstrapper.tool} ${spec.suite} ${spec.arch} (${spec.packages.length} packages + deps)`,
      () => withProgress(`${spec.arch} rootfs`, rootfs, () => bootstrapper.run(spec, rootfs, archiveUri)),
    );
    await configureRootfs(rootfs, spec);
    const partial = join(workDir, 'rootfs.tar');
    await timedStep(`pack ${spec.tarballName}`, () =>
      runCommand('tar', ['--numeric-owner', '-C', rootfs, '-cf', partial, '.'], { timeoutMs: 10 * 60_000 }),
    );
    await rename(partial, target);
    return target;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The container-specific part of the node: masks, config files, no baked-in identities or caches. */
export async function configureRootfs(rootfs: string, spec: NodeImageSpec): Promise<void> {
  const unitDir = join(rootfs, 'etc/systemd/system');
  for (const unit of spec.maskedUnits) {
    const link = join(unitDir, unit);
    await rm(link, { force: true });
    await symlink('/dev/null', link);
  }
  for (const [path, content] of Object.entries(spec.files)) {
    const file = join(rootfs, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { mode: 0o644 });
  }
  // Empty, not "uninitialized": each node gets its own machine-id at boot (systemd-machine-id-commit
  // then keeps it across restarts) without a first boot, whose preset-all enabled systemd-networkd
  // and systemd-firstboot, which fail in a container.
  await writeFile(join(rootfs, 'etc/machine-id'), '');
  await rm(join(rootfs, 'var/lib/dbus/machine-id'), { force: true });
  await symlink('/etc/machine-id', join(rootfs, 'var/lib/dbus/machine-id'));
  await removeMatching(join(rootfs, 'etc/ssh'), (name) => name.startsWith('ssh_host_'));
  await removeMatching(join(rootfs, 'var/cache/apt/archives'), (name) => name.endsWith('.deb'));
  await removeMatching(join(rootfs, 'var/lib/apt/lists'), (name) => name !== 'lock' && name !== 'partial');
  await mkdir(join(rootfs, 'root/.ssh'), { recursive: true, mode: 0o700 });
}

/** A line every 20 s while the rootfs is made, counting what it has fetched and installed so far. */
async function withProgress<T>(label: string, rootfs: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    void countProgress(rootfs).then(({ fetched, installed }) => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      logger.info(`  … ${label}: ${elapsed} s, ${fetched} packages fetched, ${installed} installed`);
    });
  }, PROGRESS_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function countProgress(rootfs: string): Promise<{ fetched: number; installed: number }> {
  const debs = await readdir(join(rootfs, 'var/cache/apt/archives')).catch(() => [] as string[]);
  const status = await readFile(join(rootfs, 'var/lib/dpkg/status'), 'utf8').catch(() => '');
  return {
    fetched: debs.filter((name) => name.endsWith('.deb')).length,
    installed: status.match(/^Status: install ok installed$/gm)?.length ?? 0,
  };
}

async function removeMatching(dir: string, matches: (name: string) => boolean): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter(matches))
    await unlink(join(dir, name)).catch(() => rm(join(dir, name), { recursive: true, force: true }));
}
