import { createServer } from 'node:net';
import { ConfigError } from '@edgeship/edge-common';
import { MAX_NODES } from './names';

/** Container ports every node publishes: services are given ports in this range. */
export const SERVICE_PORT_FIRST = 8100;
export const SERVICE_PORT_LAST = 8119;
export const SERVICE_PORTS: readonly number[] = Array.from(
  { length: SERVICE_PORT_LAST - SERVICE_PORT_FIRST + 1 },
  (_, i) => SERVICE_PORT_FIRST + i,
);

/** Host ports per node: ssh, then 20 service ports, with room to grow. */
export const PORTS_PER_NODE = 32;
export const PORTS_PER_FLEET = PORTS_PER_NODE * MAX_NODES;
/** Derived fleets live in 10240..32767, below Linux's ephemeral range (32768+), so outgoing
 *  connections never squat on them. 88 blocks: two names can share one, hence findFreePortBase. */
const DERIVED_FIRST_PORT = 10240;
const DERIVED_SLOTS = (32768 - DERIVED_FIRST_PORT) / PORTS_PER_FLEET;

export interface NodePorts {
  node: number;
  ssh: number;
  /** container port (8100..8119) → host port on 127.0.0.1 */
  services: Map<number, number>;
}

/** The same fleet name gets the same ports on every `up`, so inventories and bookmarks stay valid. */
export function derivePortBase(fleet: string): number {
  return candidatePortBases(fleet)[0]!;
}

/** The name's own block first, then the following ones (wrapping): the order a fleet looks for room. */
export function candidatePortBases(fleet: string): number[] {
  const own = hashName(fleet) % DERIVED_SLOTS;
  return Array.from(
    { length: DERIVED_SLOTS },
    (_, i) => DERIVED_FIRST_PORT + ((own + i) % DERIVED_SLOTS) * PORTS_PER_FLEET,
  );
}

/**
 * The first block whose ports for `nodes` nodes are all free. On a shared machine another fleet
 * (whose name shares the block, or which chose --port-base) may hold the name's own block already.
 */
export async function findFreePortBase(fleet: string, nodes: number): Promise<number | undefined> {
  for (const base of candidatePortBases(fleet)) {
    const ports = allocateFleetPorts(base, nodes).flatMap(hostPortsOf);
    if ((await findBusyPorts(ports)).length === 0) return base;
  }
  return undefined;
}

export function validatePortBase(base: number, source = 'edge-fleet up'): number {
  const last = 65535 - PORTS_PER_FLEET + 1;
  if (!Number.isInteger(base) || base < 1024 || base > last) {
    throw new ConfigError(source, '--port-base', base, `Use a whole number from 1024 to ${last}.`);
  }
  return base;
}

export function allocateNodePorts(base: number, node: number): NodePorts {
  const first = base + (node - 1) * PORTS_PER_NODE;
  return {
    node,
    ssh: first,
    services: new Map(SERVICE_PORTS.map((port, i) => [port, first + 1 + i])),
  };
}

export function allocateFleetPorts(base: number, nodes: number): NodePorts[] {
  return Array.from({ length: nodes }, (_, i) => allocateNodePorts(base, i + 1));
}

export function hostPortsOf(ports: NodePorts): number[] {
  return [ports.ssh, ...ports.services.values()];
}

/** Binding is the only honest test of "free": something listening on 0.0.0.0 blocks 127.0.0.1 too. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function findBusyPorts(ports: readonly number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
  return busy;
}

/** FNV-1a: tiny, stable across Node versions, good enough to spread names over slots. */
function hashName(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of Buffer.from(text, 'utf8')) {
    hash ^= char;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
