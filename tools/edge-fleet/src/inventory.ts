import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { ConfigError, inventoryPathOf, resolveWorkspaceRoot } from '@edgeship/edge-common';
import { FLEET_ARCHES, type FleetArch } from './names';

export interface InventoryHost {
  name: string;
  ansibleHost: string;
  ansiblePort: number;
  arch: FleetArch;
  container: string;
  /** container port (8100..8119) → host port on 127.0.0.1 */
  publishedPorts: Map<number, number>;
}

export interface FleetInventory {
  path: string;
  privateKeyFile: string;
  hosts: InventoryHost[];
}

/** SSH options for throwaway nodes: their host keys change on every `up`, so known_hosts would only lie. */
export const SSH_COMMON_ARGS = '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null';

/**
 * The inventory contract the deploy relies on: every node in group `edge` with its connection
 * and published ports, and again (without vars) in a group named for its arch.
 */
export function renderInventory(privateKeyFile: string, hosts: readonly InventoryHost[]): string {
  const hostVars = new Map(
    hosts.map((host) => [
      host.name,
      {
        ansible_host: host.ansibleHost,
        ansible_port: host.ansiblePort,
        edge_arch: host.arch,
        edge_container: host.container,
        // A Map keeps the container ports as YAML integers (8100:), which is what the deploy looks up.
        edge_published_ports: new Map([...host.publishedPorts].sort(([a], [b]) => a - b)),
      },
    ]),
  );
  const children: Record<string, { hosts: Map<string, unknown> }> = { edge: { hosts: hostVars } };
  for (const arch of FLEET_ARCHES) {
    children[arch] = { hosts: new Map(hosts.filter((h) => h.arch === arch).map((h) => [h.name, {}])) };
  }
  const document = {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_ssh_private_key_file: privateKeyFile,
        ansible_python_interpreter: '/usr/bin/python3',
        ansible_ssh_common_args: SSH_COMMON_ARGS,
      },
      children,
    },
  };
  return stringify(document, { lineWidth: 0 });
}

/** Reads back what renderInventory wrote; a hand-edited file that breaks the contract fails loudly. */
export function parseInventory(path: string, text: string): FleetInventory {
  const document = parse(text) as any;
  const vars = document?.all?.vars;
  const edgeHosts = document?.all?.children?.edge?.hosts;
  if (!vars || typeof vars.ansible_ssh_private_key_file !== 'string') {
    throw new ConfigError(
      path,
      'all.vars.ansible_ssh_private_key_file',
      undefined,
      'Run edge-fleet up again to rewrite the inventory.',
    );
  }
  if (!edgeHosts || typeof edgeHosts !== 'object') {
    throw new ConfigError(
      path,
      'all.children.edge.hosts',
      undefined,
      'Run edge-fleet up again to rewrite the inventory.',
    );
  }
  const hosts = Object.entries(edgeHosts as Record<string, any>).map(([name, v]) => ({
    name,
    ansibleHost: String(v.ansible_host),
    ansiblePort: Number(v.ansible_port),
    arch: v.edge_arch as FleetArch,
    container: String(v.edge_container),
    publishedPorts: new Map(
      Object.entries((v.edge_published_ports ?? {}) as Record<string, number>).map(([c, h]) => [
        Number(c),
        Number(h),
      ]),
    ),
  }));
  return { path, privateKeyFile: vars.ansible_ssh_private_key_file, hosts };
}

export async function writeInventory(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o644 });
}

/** The inventory of a fleet that is up; ConfigError (with the fix) when there is none. */
export async function readFleetInventory(
  name: string,
  workspaceRoot = resolveWorkspaceRoot(),
): Promise<FleetInventory> {
  const path = inventoryPathOf(workspaceRoot, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConfigError(
      path,
      'inventory',
      undefined,
      `Fleet "${name}" is not up: run edge-fleet up --name ${name}.`,
    );
  }
  return parseInventory(path, text);
}
