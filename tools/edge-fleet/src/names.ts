import { ConfigError } from '@edgeship/edge-common';

/** Every docker object a fleet owns carries this label, so `down` removes exactly those. */
export const FLEET_LABEL = 'edgeship.fleet';
export const NODE_LABEL = 'edgeship.node';
export const ARCH_LABEL = 'edgeship.arch';
export const PORT_BASE_LABEL = 'edgeship.port-base';
/** The workspace whose .edgeship/fleet/<fleet>/ holds the fleet's key: docker names are machine-wide,
 *  so two clones using one fleet name would otherwise take down each other's nodes. */
export const WORKSPACE_LABEL = 'edgeship.workspace';

export const DEFAULT_FLEET_NAME = 'default';
export const DEFAULT_NODE_COUNT = 2;
export const FLEET_ARCHES = ['arm64', 'amd64'] as const;
export type FleetArch = (typeof FLEET_ARCHES)[number];

/** Native amd64 nodes are a systemd and an sshd each (about 20 MiB); emulated arm64 nodes cost a QEMU
 *  process tree each, and past 8 a 2-core machine only thrashes. */
export const MAX_NODES_PER_ARCH: Readonly<Record<FleetArch, number>> = { amd64: 16, arm64: 8 };
/** The most nodes any fleet can have: port blocks and node references are sized for it. */
export const MAX_NODES = Math.max(...Object.values(MAX_NODES_PER_ARCH));

const FLEET_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_FLEET_NAME_LENGTH = 24;

/**
 * Fleet names become docker names (`edgeship-<fleet>-<n>`) and a folder name. A trailing `-<digits>`
 * is refused because `edgeship-web-1-2` could then be node 2 of `web-1` or the node `1-2` of `web`.
 */
export function validateFleetName(name: string, source = 'edge-fleet'): string {
  const fix = `Use lowercase letters, digits and single dashes, starting with a letter, at most ${MAX_FLEET_NAME_LENGTH} characters, not ending in -<number> (e.g. --name lab).`;
  if (name.length === 0 || name.length > MAX_FLEET_NAME_LENGTH || !FLEET_NAME_PATTERN.test(name)) {
    throw new ConfigError(source, '--name', name, fix);
  }
  if (/-\d+$/.test(name)) {
    throw new ConfigError(
      source,
      '--name',
      name,
      `It would clash with node names (edgeship-${name}-1). ${fix}`,
    );
  }
  return name;
}

export function validateArch(arch: string, source = 'edge-fleet'): FleetArch {
  if ((FLEET_ARCHES as readonly string[]).includes(arch)) return arch as FleetArch;
  throw new ConfigError(source, '--arch', arch, `Use one of: ${FLEET_ARCHES.join(', ')}.`);
}

export function validateNodeCount(nodes: number, arch: FleetArch, source = 'edge-fleet'): number {
  const most = MAX_NODES_PER_ARCH[arch];
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > most) {
    throw new ConfigError(
      source,
      '--nodes',
      nodes,
      `Use a whole number from 1 to ${most} for ${arch} nodes (${describeNodeLimits()}).`,
    );
  }
  return nodes;
}

/** "1..16 amd64, 1..8 arm64": for --help and errors. */
export function describeNodeLimits(): string {
  return FLEET_ARCHES.map((arch) => `1..${MAX_NODES_PER_ARCH[arch]} ${arch}`).join(', ');
}

export function containerNameOf(fleet: string, node: number): string {
  return `edgeship-${fleet}-${node}`;
}

export function networkNameOf(fleet: string): string {
  return `edgeship-${fleet}-net`;
}

/** Accepts `2`, `edgeship-<fleet>-2` for the node number; anything else is a mistake. */
export function parseNodeRef(fleet: string, ref: string): number {
  const match = /^(\d+)$/.exec(ref) ?? new RegExp(`^edgeship-${fleet}-(\\d+)$`).exec(ref);
  const node = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(node) || node < 1 || node > MAX_NODES) {
    throw new ConfigError(
      'edge-fleet ssh',
      '<node>',
      ref,
      `Name a node of fleet "${fleet}": 1 or edgeship-${fleet}-1.`,
    );
  }
  return node;
}
