import { ToolError, runCommand } from '@edgeship/edge-common';
import type { NodeImageSpec } from './node-image-spec';

const HOOKS = '/usr/share/mmdebstrap/hooks';
/** An arm64 rootfs still runs its maintainer scripts under QEMU: minutes, not seconds. */
const MMDEBSTRAP_TIMEOUT_MS = 60 * 60_000;
/** mmdebstrap writes no log file: its stderr is the log, and its end says what failed. */
const LOG_TAIL_LINES = 30;

const CA_UPDATE = '/usr/sbin/update-ca-certificates';
/**
 * ca-certificates set up by the host's own (native) update-ca-certificates: the script forks sed and basename
 * for each of ~140 certificates, which took 140 of an arm64 build's 300 s under QEMU. Before the package
 * comes, its script is diverted to a stub, so the package's postinst (and its triggers) write only the
 * configuration; after the last package, the stub goes, the script comes back, and the host's runs in a
 * mount namespace where the node's certificate folders sit at the usual paths, so the symlinks it writes
 * point where they must inside the node.
 */
export const CA_CERTIFICATES_HOOKS = [
  `--essential-hook=chroot "$1" dpkg-divert --quiet --local --rename --add ${CA_UPDATE}` +
    ` && printf '#!/bin/sh\\nexit 0\\n' > "$1${CA_UPDATE}" && chmod 0755 "$1${CA_UPDATE}"`,
  `--customize-hook=rm "$1${CA_UPDATE}" && chroot "$1" dpkg-divert --quiet --local --rename --remove ${CA_UPDATE}` +
    ` && unshare --mount --propagation private sh -euc '` +
    `for path in etc/ssl/certs etc/ca-certificates etc/ca-certificates.conf usr/share/ca-certificates` +
    ` usr/local/share/ca-certificates; do mount --bind "$0/$path" "/$path"; done;` +
    ` update-ca-certificates --fresh >/dev/null' "$1"`,
];

export interface MmdebstrapOptions {
  /** false runs update-ca-certificates under emulation like any other package (the benchmark's "before"). */
  nativeCaCertificates?: boolean;
}

/**
 * mmdebstrap, not debootstrap: one apt run for the whole package set instead of debootstrap's
 * package-by-package second stage. Same package set as debootstrap's minbase (Essential, required,
 * apt). It halves a cold amd64 build; for arm64, emulated dpkg and maintainer scripts cost the time
 * whichever tool drives them, so the gain there comes from CA_CERTIFICATES_HOOKS (bench/results/rootfs.md).
 */
export function mmdebstrapArgs(
  spec: NodeImageSpec,
  rootfs: string,
  archiveUri: string,
  { nativeCaCertificates = true }: MmdebstrapOptions = {},
): string[] {
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
    ...(nativeCaCertificates && spec.packages.includes('ca-certificates') ? CA_CERTIFICATES_HOOKS : []),
    spec.suite,
    rootfs,
    archiveUri,
  ];
}

/** Builds the rootfs folder (which must not exist yet); a failure keeps the tail of mmdebstrap's output. */
export async function runMmdebstrap(
  spec: NodeImageSpec,
  rootfs: string,
  archiveUri: string,
  options: MmdebstrapOptions = {},
): Promise<void> {
  try {
    await runCommand('mmdebstrap', mmdebstrapArgs(spec, rootfs, archiveUri, options), {
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
