import { ToolError, runCommand } from '@edgeship/edge-common';
import {
  ARCH_LABEL,
  FLEET_LABEL,
  NODE_LABEL,
  PORT_BASE_LABEL,
  WORKSPACE_LABEL,
  containerNameOf,
  networkNameOf,
  type FleetArch,
} from './names';
import { NODE_IMAGE_CONFIG } from './node-image-spec';
import type { NodePorts } from './ports';

export interface NodeContainerSpec {
  fleet: string;
  workspaceRoot: string;
  node: number;
  arch: FleetArch;
  image: string;
  portBase: number;
  ports: NodePorts;
}

/**
 * systemd as PID 1 without --privileged (the kernel's bounding set here lacks CAP_SYS_RESOURCE, so
 * --privileged fails): the two capabilities, unconfined profiles and the host's cgroup v1 tree it needs.
 */
export function dockerRunArgs(spec: NodeContainerSpec): string[] {
  const name = containerNameOf(spec.fleet, spec.node);
  const publish = [
    ['-p', `127.0.0.1:${spec.ports.ssh}:22`],
    ...[...spec.ports.services].map(([container, host]) => ['-p', `127.0.0.1:${host}:${container}`]),
  ].flat();
  return [
    'run',
    '--detach',
    '--pull=never',
    '--name',
    name,
    '--hostname',
    name,
    '--network',
    networkNameOf(spec.fleet),
    '--platform',
    `linux/${spec.arch}`,
    '--label',
    `${FLEET_LABEL}=${spec.fleet}`,
    '--label',
    `${NODE_LABEL}=${spec.node}`,
    '--label',
    `${ARCH_LABEL}=${spec.arch}`,
    '--label',
    `${PORT_BASE_LABEL}=${spec.portBase}`,
    '--label',
    `${WORKSPACE_LABEL}=${spec.workspaceRoot}`,
    '--cap-add',
    'SYS_ADMIN',
    '--cap-add',
    'NET_ADMIN',
    '--security-opt',
    'seccomp=unconfined',
    '--security-opt',
    'apparmor=unconfined',
    '--cgroupns=host',
    '-v',
    '/sys/fs/cgroup:/sys/fs/cgroup:rw',
    '--tmpfs',
    '/run',
    '--tmpfs',
    '/run/lock',
    '-e',
    'container=docker',
    // Also set here so nodes of an older image stop the same way (why SIGINT: NODE_IMAGE_CONFIG).
    '--stop-signal',
    NODE_IMAGE_CONFIG.stopSignal,
    // A clean halt of an emulated node can take longer than docker's default 10 s.
    '--stop-timeout',
    '30',
    ...publish,
    spec.image,
    '/lib/systemd/systemd',
  ];
}

export async function runNodeContainer(spec: NodeContainerSpec): Promise<string> {
  const { stdout } = await runCommand('docker', dockerRunArgs(spec), { timeoutMs: 120_000 });
  return stdout.trim();
}

/** Written after start rather than baked in: the image is shared by all fleets, the key is per fleet. */
export async function installAuthorizedKey(container: string, publicKey: string): Promise<void> {
  const script =
    'umask 077 && mkdir -p /root/.ssh && cat > /root/.ssh/authorized_keys && chown -R root:root /root/.ssh';
  await runCommand('docker', ['exec', '-i', container, 'sh', '-c', script], {
    input: publicKey,
    timeoutMs: 60_000,
  });
}

/** `systemctl is-system-running`: running, degraded, starting, ... or "unreachable" before systemd answers. */
export async function readSystemState(container: string): Promise<string> {
  const result = await runCommand('docker', ['exec', container, 'systemctl', 'is-system-running'], {
    check: false,
    timeoutMs: 30_000,
  });
  return result.stdout.trim() || 'unreachable';
}

/** Waits for boot to finish; a node that ends degraded fails with the units that broke it. */
export async function waitForSystemRunning(
  container: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let state = 'unreachable';
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    state = await readSystemState(container);
    if (state === 'running') return;
    if (state === 'degraded' || state === 'maintenance' || state === 'stopping') {
      const failed = await runCommand(
        'docker',
        ['exec', container, 'systemctl', '--failed', '--no-legend', '--plain'],
        {
          check: false,
        },
      );
      throw new ToolError(
        `${container}: systemd is ${state}, not running (a unit that cannot work in a container needs masking in node-image-spec.ts)`,
        `docker exec ${container} systemctl --failed`,
        failed.exitCode,
        failed.stdout || failed.stderr,
      );
    }
    await sleep(1000);
  }
  throw new ToolError(
    `${container}: systemd did not finish booting within ${timeoutMs / 1000} s (last state: ${state})`,
    'systemctl is-system-running',
    undefined,
    '',
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
