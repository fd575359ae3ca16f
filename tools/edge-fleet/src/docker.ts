import { ConfigError, runCommand } from '@edgeship/edge-common';
import {
  ARCH_LABEL,
  FLEET_LABEL,
  networkNameOf,
  NODE_LABEL,
  PORT_BASE_LABEL,
  WORKSPACE_LABEL,
  type FleetArch,
} from './names';

export interface FleetContainer {
  id: string;
  name: string;
  node: number;
  arch: FleetArch;
  portBase: number;
  image: string;
  /** docker's state: created, running, exited, restarting, ... */
  state: string;
  /** the workspace that brought it up ('' for nodes made before the label existed) */
  workspace: string;
  /** Host port on 127.0.0.1 of the node's sshd, as docker really bound it. */
  sshPort: number;
  /** container port (8100..8119) → host port on 127.0.0.1 */
  publishedPorts: Map<number, number>;
}

/** Containers of one fleet, found by label (never by name prefix: another fleet may share it). */
export async function listFleetContainers(fleet: string): Promise<FleetContainer[]> {
  const { stdout } = await runCommand('docker', [
    'ps',
    '-aq',
    '--no-trunc',
    '--filter',
    `label=${FLEET_LABEL}=${fleet}`,
  ]);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const { stdout: json } = await runCommand('docker', ['container', 'inspect', ...ids]);
  const containers = (JSON.parse(json) as any[]).map((c) => {
    const labels: Record<string, string> = c.Config?.Labels ?? {};
    const bindings = readPortBindings(c.HostConfig?.PortBindings ?? {});
    const sshPort = bindings.get(22) ?? 0;
    bindings.delete(22);
    return {
      id: String(c.Id),
      name: String(c.Name).replace(/^\//, ''),
      node: Number(labels[NODE_LABEL]),
      arch: labels[ARCH_LABEL] as FleetArch,
      portBase: Number(labels[PORT_BASE_LABEL]),
      image: String(c.Config?.Image ?? ''),
      state: String(c.State?.Status ?? 'unknown'),
      workspace: labels[WORKSPACE_LABEL] ?? '',
      sshPort,
      publishedPorts: bindings,
    };
  });
  return containers.sort((a, b) => a.node - b.node);
}

/** HostConfig.PortBindings survives a stop, unlike NetworkSettings.Ports: status works on stopped nodes. */
function readPortBindings(bindings: Record<string, { HostPort?: string }[] | null>): Map<number, number> {
  const ports = new Map<number, number>();
  for (const [key, hosts] of Object.entries(bindings)) {
    const hostPort = Number(hosts?.[0]?.HostPort);
    if (key.endsWith('/tcp') && hostPort > 0) ports.set(Number(key.split('/')[0]), hostPort);
  }
  return new Map([...ports].sort(([a], [b]) => a - b));
}

export interface FleetNetwork {
  name: string;
  workspace: string;
}

export async function listFleetNetworks(fleet: string): Promise<FleetNetwork[]> {
  const { stdout } = await runCommand('docker', [
    'network',
    'ls',
    '--filter',
    `label=${FLEET_LABEL}=${fleet}`,
    '--format',
    `{{.Name}}\t{{.Label "${WORKSPACE_LABEL}"}}`,
  ]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', workspace = ''] = line.split('\t');
      return { name, workspace: workspace.replace(/^<no value>$/, '') };
    });
}

/**
 * The host's address on the fleet's network: a service the host runs there (a registry mirror) is what the
 * nodes reach, while the host itself is not published anywhere else.
 */
export async function readFleetGateway(fleet: string): Promise<string> {
  const network = networkNameOf(fleet);
  const { stdout } = await runCommand('docker', [
    'network',
    'inspect',
    '--format',
    '{{range .IPAM.Config}}{{.Gateway}}{{end}}',
    network,
  ]);
  return stdout.trim();
}

/** Throws when the fleet's docker objects were made from another workspace (whose key we lack). */
export function checkOwnedBy(
  fleet: string,
  workspaceRoot: string,
  objects: readonly { name: string; workspace: string }[],
  source: string,
): void {
  const foreign = objects.filter((o) => o.workspace !== '' && o.workspace !== workspaceRoot);
  if (foreign.length === 0) return;
  throw new ConfigError(
    source,
    '--name',
    fleet,
    `Fleet "${fleet}" belongs to the workspace ${foreign[0]!.workspace} (its key and inventory are there). ` +
      `Pick another --name, or run down from that workspace (if it is gone: docker rm -f ${foreign.map((o) => o.name).join(' ')}).`,
  );
}

/** Names this fleet would use that are already taken by something that is not this fleet. */
export async function findNameClashes(
  fleet: string,
  names: readonly string[],
  network: string,
): Promise<string[]> {
  const containers = await listNamesWithFleet([
    'ps',
    '-a',
    '--format',
    `{{.Names}}\t{{.Label "${FLEET_LABEL}"}}`,
  ]);
  const networks = await listNamesWithFleet([
    'network',
    'ls',
    '--format',
    `{{.Name}}\t{{.Label "${FLEET_LABEL}"}}`,
  ]);
  const clashes = names
    .filter((name) => containers.has(name) && containers.get(name) !== fleet)
    .map((n) => `container ${n}`);
  if (networks.has(network) && networks.get(network) !== fleet) clashes.push(`network ${network}`);
  return clashes;
}

async function listNamesWithFleet(args: string[]): Promise<Map<string, string>> {
  const { stdout } = await runCommand('docker', args);
  return new Map(
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name = '', owner = ''] = line.split('\t');
        return [name, owner.replace(/^<no value>$/, '')] as [string, string];
      }),
  );
}
