import { access } from 'node:fs/promises';
import { listFleetContainers } from './docker';
import { DEFAULT_FLEET_NAME, validateFleetName, type FleetArch } from './names';
import { readSystemState } from './node-container';
import { checkDockerEngine } from './preflight';
import { inventoryPathOf, resolveWorkspaceRoot } from '@edgeship/edge-common';

export interface NodeStatus {
  name: string;
  node: number;
  arch: FleetArch;
  /** docker's container state */
  state: string;
  /** `systemctl is-system-running` inside the node, or "-" when the container is not running */
  system: string;
  sshPort: number;
  image: string;
  /** the workspace that brought the node up */
  workspace: string;
}

export interface FleetStatus {
  name: string;
  /** where `up` wrote the inventory, if it exists */
  inventoryPath: string | undefined;
  nodes: NodeStatus[];
}

export async function fleetStatus(
  name = DEFAULT_FLEET_NAME,
  options: { workspaceRoot?: string } = {},
): Promise<FleetStatus> {
  validateFleetName(name, 'edge-fleet status');
  await checkDockerEngine();
  const containers = await listFleetContainers(name);
  const nodes = await Promise.all(
    containers.map(async (c) => ({
      name: c.name,
      node: c.node,
      arch: c.arch,
      state: c.state,
      system: c.state === 'running' ? await readSystemState(c.name) : '-',
      sshPort: c.sshPort,
      image: c.image,
      workspace: c.workspace,
    })),
  );
  const path = inventoryPathOf(options.workspaceRoot ?? resolveWorkspaceRoot(), name);
  const hasInventory = await access(path).then(
    () => true,
    () => false,
  );
  return { name, inventoryPath: hasInventory ? path : undefined, nodes };
}
