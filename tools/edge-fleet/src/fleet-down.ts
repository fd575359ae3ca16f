import { access, rm } from 'node:fs/promises';
import { runCommand } from '../../edge-plugin/src/lib/run-command';
import { listFleetContainers, listFleetNetworks } from './docker';
import { DEFAULT_FLEET_NAME, validateFleetName } from './names';
import { checkDockerEngine } from './preflight';
import { fleetDirOf, resolveWorkspaceRoot } from './workspace';

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
  await checkDockerEngine();
  const containers = await listFleetContainers(name);
  if (containers.length > 0) {
    await runCommand('docker', ['rm', '--force', '--volumes', ...containers.map((c) => c.id)], {
      timeoutMs: 120_000,
    });
  }
  const networks = await listFleetNetworks(name);
  if (networks.length > 0) await runCommand('docker', ['network', 'rm', ...networks]);
  const dir = fleetDirOf(options.workspaceRoot ?? resolveWorkspaceRoot(), name);
  const hasDir = await access(dir).then(
    () => true,
    () => false,
  );
  if (hasDir) await rm(dir, { recursive: true, force: true });
  return {
    name,
    removedContainers: containers.map((c) => c.name),
    removedNetworks: networks,
    removedDir: hasDir ? dir : undefined,
  };
}
