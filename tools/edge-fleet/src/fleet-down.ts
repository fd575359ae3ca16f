import { access, rm } from 'node:fs/promises';
import { runCommand, fleetDirOf, resolveWorkspaceRoot } from '@edgeship/edge-common';
import { checkOwnedBy, listFleetContainers, listFleetNetworks } from './docker';
import { DEFAULT_FLEET_NAME, validateFleetName } from './names';
import { checkDockerEngine } from './preflight';

export interface FleetDownResult {
  name: string;
  removedContainers: string[];
  removedNetworks: string[];
  /** the .edgeship/fleet/<name>/ folder, when there was one */
  removedDir: string | undefined;
}

/** Removes exactly what carries this fleet's label, and its generated files; images stay cached. */
export async function fleetDown(
  name = DEFAULT_FLEET_NAME,
  options: { workspaceRoot?: string } = {},
): Promise<FleetDownResult> {
  validateFleetName(name, 'edge-fleet down');
  const workspaceRoot = options.workspaceRoot ?? resolveWorkspaceRoot();
  await checkDockerEngine();
  const containers = await listFleetContainers(name);
  const networks = await listFleetNetworks(name);
  // Another clone's fleet of the same name is not ours to remove: refuse before removing anything.
  checkOwnedBy(name, workspaceRoot, [...containers, ...networks], 'edge-fleet down');
  if (containers.length > 0) {
    await runCommand('docker', ['rm', '--force', '--volumes', ...containers.map((c) => c.id)], {
      timeoutMs: 120_000,
    });
  }
  const networkNames = networks.map((n) => n.name);
  if (networkNames.length > 0) await runCommand('docker', ['network', 'rm', ...networkNames]);
  const dir = fleetDirOf(workspaceRoot, name);
  const hasDir = await access(dir).then(
    () => true,
    () => false,
  );
  if (hasDir) await rm(dir, { recursive: true, force: true });
  return {
    name,
    removedContainers: containers.map((c) => c.name),
    removedNetworks: networkNames,
    removedDir: hasDir ? dir : undefined,
  };
}
