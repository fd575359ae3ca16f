import { join, resolve } from 'node:path';

/** tools/edge-fleet/src → the workspace root, wherever the command was started from. */
export function resolveWorkspaceRoot(): string {
  return resolve(__dirname, '..', '..', '..');
}

/** Machine-local, gitignored state of one fleet: its SSH key pair and inventory. */
export function fleetDirOf(workspaceRoot: string, fleet: string): string {
  return join(workspaceRoot, '.edgeship', 'fleet', fleet);
}

export function inventoryPathOf(workspaceRoot: string, fleet: string): string {
  return join(fleetDirOf(workspaceRoot, fleet), 'inventory.yml');
}

export function privateKeyPathOf(workspaceRoot: string, fleet: string): string {
  return join(fleetDirOf(workspaceRoot, fleet), 'id_ed25519');
}
