import { ToolError, runCommand } from '@edgeship/edge-common';
import type { NodeImageSpec } from './node-image-spec';

const HOOKS = '/usr/share/mmdebstrap/hooks';
/** An arm64 rootfs still runs its maintainer scripts under QEMU: minutes, not seconds. */
const MMDEBSTRAP_TIMEOUT_MS = 60 * 60_000;
/** mmdebstrap writes no log file: its stderr is the log, and its end says what failed. */
const LOG_TAIL_LINES = 30;

/**
 * A program of the node held back while packages install: before the package that ships it comes, it is
 * diverted to a stub that does nothing, so maintainer scripts calling it do no emulated work. The restore
 * removes the stub first, so that `--rename` then puts the package's program back in place.
 */
function stubWhileInstalling(path: string): { essential: string; restore: string } {
  return {
    essential:
      `--essential-hook=chroot "$1" dpkg-divert --quiet --local --rename --add ${path}` +
      ` && printf '#!/bin/sh\\nexit 0\\n' > "$1${path}" && chmod 0755 "$1${path}"`,
    restore: `rm "$1${path}" && chroot "$1" dpkg-divert --quiet --local --rename --remove ${path}`,
  };
}

const CA_UPDATE = stubWhileInstalling('/usr/sbin/update-ca-certificates');
/**
 * ca-certificates set up by the host's own (native) update-ca-certificates: the script forks sed and basename
 * for each of ~140 certificates, which took 140 of an arm64 build's 300 s under QEMU. Before the package
 * comes, its script is diverted to a stub, so the package's postinst (and its triggers) write only the
 * configuration; after the last package, the stub goes, the script comes back, and the host's runs in a
 * mount namespace where the node's certificate folders sit at the usual paths, so the symlinks it writes
 * point where they must inside the node.
 */
export const CA_CERTIFICATES_HOOKS = [
  CA_UPDATE.essential,
  `--customize-hook=${CA_UPDATE.restore}` +
    ` && unshare --mount --propagation private sh -euc '` +
    `for path in etc/ssl/certs etc/ca-certificates etc/ca-certificates.conf usr/share/ca-certificates` +
    ` usr/local/share/ca-certificates; do mount --bind "$0/$path" "/$path"; done;` +
    ` update-ca-certificates --fresh >/dev/null' "$1"`,
];

/** The node suite's (bookworm's) Python: the host's own compiles the node's standard library (PYTHON_HOOKS). */
export const HOST_PYTHON = '/usr/bin/python3.11';
const NODE_PYTHON = stubWhileInstalling('/usr/bin/python3.11');
/**
 * The node's Python byte-compiled by the host's (a .pyc holds bytecode, no machine code, and both are 3.11)
 * instead of by the emulated one, which took ~12 s of an arm64 build. While packages install, the node's
 * interpreter is diverted to a stub, so the postinsts' py_compile and py3compile runs do nothing; after the
 * last package, the real one comes back and the host compiles the files those packages list, with the paths
 * recorded as the node sees them (-s/-p). sitecustomize.py is left out: it links to /etc, where the host
 * would find its own. Should a .pyc ever not match, the node's Python recompiles that module when it is used.
 */
export const PYTHON_HOOKS = [
  NODE_PYTHON.essential,
  `--customize-hook=${NODE_PYTHON.restore}` +
    ` && cat "$1"/var/lib/dpkg/info/libpython3.11-minimal:*.list "$1"/var/lib/dpkg/info/libpython3.11-stdlib:*.list` +
    ` "$1"/var/lib/dpkg/info/python3-minimal.list "$1"/var/lib/dpkg/info/python3.list` +
    ` | grep -E '^/usr/(lib/python3\\.11|share/python3)/.*\\.py$' | grep -v /sitecustomize.py | sed "s,^,$1,"` +
    ` | ${HOST_PYTHON} -E -S -m compileall -q -j 0 -s "$1" -p / -i -`,
];

/**
 * No host keys made while openssh-server installs: its postinst makes none where the file exists, and its
 * RSA 3072 key took ~14 s under QEMU. configureRootfs removes these placeholders with every other ssh_host_*
 * file; each node makes its own ed25519 key at first boot (node-image-spec.ts).
 */
export const SSH_HOST_KEY_HOOKS = [
  '--essential-hook=mkdir -p "$1/etc/ssh" && for type in rsa ecdsa ed25519; do : > "$1/etc/ssh/ssh_host_${type}_key"; done',
];

/** The hooks that spare emulated maintainer scripts, by the package whose scripts they spare. */
const HOST_SHORTCUTS: Record<string, string[]> = {
  'ca-certificates': CA_CERTIFICATES_HOOKS,
  'openssh-server': SSH_HOST_KEY_HOOKS,
  python3: PYTHON_HOOKS,
};

export interface MmdebstrapOptions {
  /** false runs every maintainer script under emulation as it comes (the rootfs benchmark's "before"). */
  hostShortcuts?: boolean;
}

/**
 * mmdebstrap, not debootstrap: one apt run for the whole package set instead of debootstrap's
 * package-by-package second stage. Same package set as debootstrap's minbase (Essential, required,
 * apt). It halves a cold amd64 build; for arm64, emulated dpkg and maintainer scripts cost the time
 * whichever tool drives them, so the gain there comes from HOST_SHORTCUTS (bench/results/rootfs.md).
 */
export function mmdebstrapArgs(
  spec: NodeImageSpec,
  rootfs: string,
  archiveUri: string,
  { hostShortcuts = true }: MmdebstrapOptions = {},
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
    ...(hostShortcuts ? spec.packages.flatMap((name) => HOST_SHORTCUTS[name] ?? []) : []),
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
