import { createHash } from 'node:crypto';
import type { FleetArch } from './names';

export const NODE_SUITE = 'bookworm';
export const ROOTFS_CACHE_DIR = '/var/cache/edgeship/rootfs';
export const NODE_IMAGE_REPOSITORY = 'edgeship-node';

/** What the deploy needs on a node: systemd as PID 1, sshd and Python for Ansible, rsync for delta transfers, zstd/curl for releases. */
const BASE_PACKAGES = [
  'systemd',
  'systemd-sysv',
  'dbus',
  'openssh-server',
  'python3',
  'iproute2',
  'rsync',
  'zstd',
  'curl',
  'ca-certificates',
];
/** Container delivery runs on amd64 nodes only: podman cannot create containers under QEMU user emulation. */
const ARCH_PACKAGES: Record<FleetArch, string[]> = {
  arm64: [],
  // netavark provides the virtual container-network-stack podman's config package needs; named, so no resolver picks another provider.
  amd64: ['podman', 'crun', 'catatonit', 'netavark'],
};

/**
 * Units that must not run on a simulated node: the apt timers would reach out to the archive.
 * Nothing else needs masking: units that cannot work in a container (udev, kernel mounts, gettys,
 * sysctl) already skip themselves through their Condition*= lines, and `systemctl --failed` is empty.
 */
const MASKED_UNITS = ['apt-daily.timer', 'apt-daily-upgrade.timer'];

/**
 * Under QEMU user emulation systemd cannot set up unit credentials ("Failed to set up credentials:
 * Invalid argument", status 243/CREDENTIALS), which failed systemd-sysusers and both tmpfiles-setup
 * units at boot (and would fail tmpfiles-clean 15 min later). None of them needs a credential here,
 * so clearing LoadCredential= lets them run for real instead of being masked.
 */
const UNITS_WITH_CREDENTIALS = [
  'procps.service',
  'systemd-firstboot.service',
  'systemd-sysctl.service',
  'systemd-sysusers.service',
  'systemd-tmpfiles-clean.service',
  'systemd-tmpfiles-setup-dev.service',
  'systemd-tmpfiles-setup.service',
];
const NO_CREDENTIALS_DROP_IN =
  '[Service]\n# QEMU user emulation cannot set up credentials (see node-image-spec.ts)\nLoadCredential=\n';

/** Files written into the root filesystem (path relative to it → content). */
const BASE_FILES: Record<string, string> = {
  // Each node makes its own host key at first boot instead of sharing one baked into the image. Only
  // ed25519: `ssh-keygen -A` also makes RSA 3072, which took ~50 s of first boot under emulation.
  'etc/systemd/system/ssh.service.d/edgeship-host-keys.conf': [
    '[Service]',
    'ExecStartPre=',
    'ExecStartPre=/bin/sh -c \'test -s /etc/ssh/ssh_host_ed25519_key || ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key\'',
    'ExecStartPre=/usr/sbin/sshd -t',
    '',
  ].join('\n'),
  // Key logins only; root is the inventory's ansible_user.
  'etc/ssh/sshd_config.d/edgeship.conf':
    'HostKey /etc/ssh/ssh_host_ed25519_key\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n',
};
const ARCH_FILES: Record<FleetArch, Record<string, string>> = {
  arm64: Object.fromEntries(
    UNITS_WITH_CREDENTIALS.map((unit) => [
      `etc/systemd/system/${unit}.d/edgeship-no-credentials.conf`,
      NO_CREDENTIALS_DROP_IN,
    ]),
  ),
  amd64: {
    // No /dev/fuse for fuse-overlayfs, and the engine refuses overlay on overlay: vfs is what works.
    'etc/containers/storage.conf':
      '[storage]\ndriver = "vfs"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n',
    // The node's /proc/sys is read-only, so podman must not try to set sysctls in its containers.
    'etc/containers/containers.conf': '[containers]\ndefault_sysctls = []\n',
  },
};

/**
 * The image around the rootfs. SIGINT (ctrl-alt-del) makes `docker stop`/`docker restart` a clean
 * reboot.target that ends the container; SIGRTMIN+3 would not: QEMU shifts real-time signals by two,
 * so an emulated arm64 systemd received SIGRTMIN+1 and went to rescue mode instead of halting.
 */
export const NODE_IMAGE_CONFIG = {
  env: 'container=docker',
  stopSignal: 'SIGINT',
  cmd: '/lib/systemd/systemd',
};

/**
 * Bumped when the way the rootfs is made changes in a way the lists above do not show, so a tarball
 * made the old way is never reused. 3: mmdebstrap instead of debootstrap (src/mmdebstrap.ts); 4: ca-certificates
 * set up by the host (CA_CERTIFICATES_HOOKS); 5: Python byte-compiled by the host, no host keys made at install.
 */
const RECIPE_VERSION = 5;

export interface NodeImageSpec {
  arch: FleetArch;
  suite: string;
  packages: string[];
  maskedUnits: string[];
  files: Record<string, string>;
  /** Hash of the rootfs recipe above: the cache key of the rootfs tarball. */
  hash: string;
  /** Hash of the rootfs hash and NODE_IMAGE_CONFIG: the image tag. */
  imageHash: string;
  tag: string;
  tarballName: string;
}

/** Whether nodes of this arch can run a service as a container (they carry podman). */
export function nodesRunContainers(arch: FleetArch): boolean {
  return ARCH_PACKAGES[arch].includes('podman');
}

export function describeNodeImage(arch: FleetArch): NodeImageSpec {
  const packages = [...BASE_PACKAGES, ...ARCH_PACKAGES[arch]].sort();
  const maskedUnits = [...MASKED_UNITS].sort();
  const files = { ...BASE_FILES, ...ARCH_FILES[arch] };
  const hash = hashRecipe({ version: RECIPE_VERSION, arch, suite: NODE_SUITE, packages, maskedUnits, files });
  const imageHash = hashRecipe({ rootfs: hash, image: NODE_IMAGE_CONFIG });
  return {
    arch,
    suite: NODE_SUITE,
    packages,
    maskedUnits,
    files,
    hash,
    imageHash,
    tag: `${NODE_IMAGE_REPOSITORY}:${arch}-${imageHash}`,
    tarballName: `${arch}-${hash}.tar`,
  };
}

function hashRecipe(recipe: unknown): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
}
