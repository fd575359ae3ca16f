import { readFile } from 'node:fs/promises';
import { arch as hostArch } from 'node:os';
import { ToolError, runCommand } from '@edgeship/edge-common';
import { HOST_PYTHON } from './mmdebstrap';
import type { FleetArch } from './names';

const BOOTSTRAP_FIX = 'run tools/bootstrap/bootstrap.sh (installs and starts the prerequisites), then retry';

/** Fails first and cheaply, before anything is created, when the engine cannot be reached. */
export async function checkDockerEngine(): Promise<void> {
  const result = await runCommand('docker', ['info', '--format', '{{.ServerVersion}}'], {
    check: false,
    timeoutMs: 30_000,
  });
  if (result.exitCode !== 0 || result.stdout.trim() === '') {
    throw new ToolError(
      `No docker engine answers: ${BOOTSTRAP_FIX}`,
      'docker info',
      result.exitCode,
      result.stderr,
    );
  }
}

/** Building a node image needs buildx, and an arm64 image on an x86 host needs QEMU in binfmt_misc. */
export async function checkImageTools(arch: FleetArch): Promise<void> {
  const buildx = await runCommand('docker', ['buildx', 'version'], { check: false });
  if (buildx.exitCode !== 0) {
    throw new ToolError(
      `docker buildx is missing: ${BOOTSTRAP_FIX}`,
      'docker buildx version',
      buildx.exitCode,
      buildx.stderr,
    );
  }
  // mmdebstrap builds the rootfs; its eatmydata hook asks dpkg-architecture (dpkg-dev) for the multiarch path;
  // the ca-certificates hook (mmdebstrap.ts) runs the host's update-ca-certificates inside `unshare --mount`,
  // and the host's Python of the node's suite compiles the node's Python modules.
  const tools = [
    ['mmdebstrap', '--version'],
    ['dpkg-architecture', '--version'],
    ['update-ca-certificates', '--help'],
    ['unshare', '--version'],
    [HOST_PYTHON, '--version'],
  ] as const;
  for (const [tool, flag] of tools) {
    const probe = await runCommand(tool, [flag], { check: false });
    if (probe.exitCode !== 0) {
      throw new ToolError(
        `${tool} is missing: ${BOOTSTRAP_FIX}`,
        `${tool} ${flag}`,
        probe.exitCode,
        probe.stderr,
      );
    }
  }
  if (arch === 'arm64' && hostArch() !== 'arm64') {
    const entry = await readFile('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8').catch(() => '');
    if (!entry.startsWith('enabled')) {
      throw new ToolError(
        `QEMU aarch64 emulation (binfmt_misc qemu-aarch64) is not enabled: ${BOOTSTRAP_FIX}`,
        'binfmt_misc',
        undefined,
        entry,
      );
    }
  }
}
