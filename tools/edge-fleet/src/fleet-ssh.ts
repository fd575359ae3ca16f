import { access } from 'node:fs/promises';
import { ConfigError, runCommand, privateKeyPathOf, resolveWorkspaceRoot } from '@edgeship/edge-common';
import { listFleetContainers } from './docker';
import { runInteractiveSsh } from './interactive';
import { parseNodeRef } from './names';
import { checkDockerEngine } from './preflight';
import { sshArgs } from './ssh';

/** `ssh <node>`: a shell on the node as root, or one command; returns ssh's exit code. */
export async function fleetSsh(
  name: string,
  nodeRef: string,
  remote: readonly string[],
  workspaceRoot = resolveWorkspaceRoot(),
): Promise<number> {
  const node = parseNodeRef(name, nodeRef);
  await checkDockerEngine();
  const container = (await listFleetContainers(name)).find((c) => c.node === node);
  if (!container || container.state !== 'running') {
    throw new ConfigError(
      'edge-fleet ssh',
      '<node>',
      nodeRef,
      `Node ${node} of fleet "${name}" is not running: run edge-fleet up --name ${name} (and edge-fleet status --name ${name}).`,
    );
  }
  const keyFile = privateKeyPathOf(workspaceRoot, name);
  const hasKey = await access(keyFile).then(
    () => true,
    () => false,
  );
  if (!hasKey)
    throw new ConfigError(
      keyFile,
      'key',
      undefined,
      `Run edge-fleet up --name ${name} to recreate the fleet key.`,
    );
  const args = sshArgs(keyFile, container.sshPort, remote);
  if (remote.length === 0) return runInteractiveSsh(['-t', ...args]);
  const result = await runCommand('ssh', args, { stream: true, check: false });
  return result.exitCode;
}
