import { ConfigError, logger } from '@edgeship/edge-common';
import { findNameClashes, type FleetContainer } from './docker';
import { containerNameOf, networkNameOf, type FleetArch } from './names';
import { derivePortBase, findBusyPorts, findFreePortBase, PORTS_PER_FLEET } from './ports';

const SOURCE = 'edge-fleet up';

/** An existing fleet keeps its shape: silently growing, shrinking or re-arching it would surprise a deploy. */
export function checkMatchesExisting(
  name: string,
  nodes: number,
  arch: FleetArch,
  portBase: number | undefined,
  existing: FleetContainer[],
): void {
  if (existing.length === 0) return;
  const fix = `Run edge-fleet down --name ${name} first, or pick another --name.`;
  const existingArch = existing[0]!.arch;
  if (existing.some((c) => c.arch !== arch)) {
    throw new ConfigError(
      SOURCE,
      '--arch',
      arch,
      `Fleet "${name}" already runs ${existingArch} nodes. ${fix}`,
    );
  }
  const numbers = existing.map((c) => c.node).join(',');
  const expected = Array.from({ length: nodes }, (_, i) => i + 1).join(',');
  if (numbers !== expected) {
    throw new ConfigError(SOURCE, '--nodes', nodes, `Fleet "${name}" already has nodes ${numbers}. ${fix}`);
  }
  if (portBase !== undefined && existing[0]!.portBase !== portBase) {
    throw new ConfigError(
      SOURCE,
      '--port-base',
      portBase,
      `Fleet "${name}" already uses port base ${existing[0]!.portBase}. ${fix}`,
    );
  }
}

/** Docker names the fleet would take must be free or already this fleet's (by label). */
export async function checkNamesAreFree(name: string, nodes: number[]): Promise<void> {
  const clashes = await findNameClashes(
    name,
    nodes.map((node) => containerNameOf(name, node)),
    networkNameOf(name),
  );
  if (clashes.length > 0) {
    throw new ConfigError(
      'docker',
      'names',
      clashes.join(', '),
      `They belong to something else: remove them, or pick another --name.`,
    );
  }
}

/** Every host port of the nodes about to be created must be free on 127.0.0.1. */
export async function checkPortsAreFree(ports: number[]): Promise<void> {
  const busy = await findBusyPorts(ports);
  if (busy.length === 0) return;
  const first = busy[0]!;
  throw new ConfigError(
    '127.0.0.1',
    busy.length === 1 ? 'port' : 'ports',
    busy.length === 1 ? first : busy.join(','),
    `Already in use (see \`ss -ltnp 'sport = :${first}'\`). Free it, or give the fleet another range with --port-base P (it uses P..P+255), or another --name.`,
  );
}

/** A new fleet without --port-base: its own block, or the next free one when another fleet holds it. */
export async function choosePortBase(name: string, nodes: number): Promise<number> {
  const base = await findFreePortBase(name, nodes);
  if (base === undefined) {
    throw new ConfigError(
      '127.0.0.1',
      'ports',
      '10240..32767',
      `No block of ${PORTS_PER_FLEET} ports there has ${nodes} node(s) worth free. Take down fleets you no longer need (edge-fleet down --name F), or pass --port-base P.`,
    );
  }
  if (base !== derivePortBase(name)) {
    logger.info(
      `fleet ${name}: ports from ${derivePortBase(name)} are taken, using ${base}..${base + PORTS_PER_FLEET - 1}`,
    );
  }
  return base;
}
