import { ToolError, runCommand } from '@edgeship/edge-common';
import type { NodeImageSpec } from './node-image-spec';

const HOOKS = '/usr/share/mmdebstrap/hooks';
/** An arm64 rootfs still runs its maintainer scripts under QEMU: minutes, not seconds. */
const MMDEBSTRAP_TIMEOUT_MS = 60 * 60_000;
/** mmdebstrap writes no log file: its stderr is the log, and its end says what failed. */
const LOG_TAIL_LINES = 30;

/**
 * mmdebstrap, not debootstrap: one apt run for the whole package set instead of debootstrap's
 * package-by-package second stage. Same package set as debootstrap's minbase (Essential, required,
 * apt). It halves a cold amd64 build; an arm64 build takes as long as before, because emulated dpkg
 * and maintainer scripts cost the time whichever tool drives them (bench/results/rootfs.md).
 */
export function mmdebstrapArgs(spec: NodeImageSpec, rootfs: string, archiveUri: string): string[] {
  return [
    '--mode=root',
    '--format=directory',
    '--variant=minbase',
    `--arch=${spec.arch}`,
    `--include=${spec.packages.join(',')}`,
    // Merged /usr the way debootstrap makes it (symlinks + usr-is-merged), not through the usrmerge
    // package, which would pull in perl and convert the tree after the fact.
    `--hook-dir=${HOOKS}/merged-usr`,
    // dpkg without fsync while the rootfs is built; it is packed into a tarball right after.
    `--hook-dir=${HOOKS}/eatmydata`,
    spec.suite,
    rootfs,
    archiveUri,
  ];
}

/** Builds the rootfs folder (which must not exist yet); a failure keeps the tail of mmdebstrap's output. */
export async function runMmdebstrap(spec: NodeImageSpec, rootfs: string, archiveUri: string): Promise<void> {
  try {
    await runCommand('mmdebstrap', mmdebstrapArgs(spec, rootfs, archiveUri), {
      timeoutMs: MMDEBSTRAP_TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    throw new ToolError(
      `${error.message.split('\n')[0]!} building the ${spec.arch} rootfs`,
      error.command,
      error.exitCode,
      tailLines(error.stderr, LOG_TAIL_LINES),
    );
  }
}

export function tailLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
