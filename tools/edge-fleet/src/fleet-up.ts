import { readFile, rm } from 'node:fs/promises';
import {
  logger,
  runCommand,
  fleetDirOf,
  inventoryPathOf,
  privateKeyPathOf,
  resolveWorkspaceRoot,
} from '@edgeship/edge-common';
import { checkOwnedBy, listFleetContainers, listFleetNetworks, type FleetContainer } from './docker';
import { checkMatchesExisting, checkNamesAreFree, checkPortsAreFree, choosePortBase } from './up-checks';
import {
  parseInventory,
  renderInventory,
  writeInventory,
  type FleetInventory,
  type InventoryHost,
} from './inventory';
import {
  DEFAULT_FLEET_NAME,
  DEFAULT_NODE_COUNT,
  FLEET_LABEL,
  WORKSPACE_LABEL,
  containerNameOf,
  networkNameOf,
  validateArch,
  validateFleetName,
  validateNodeCount,
  type FleetArch,
} from './names';
import { installAuthorizedKey, runNodeContainer, waitForSystemRunning } from './node-container';
import { ensureNodeImage } from './node-image';
import { allocateFleetPorts, hostPortsOf, validatePortBase } from './ports';
import { checkDockerEngine } from './preflight';
import { ensureFleetKey, waitForSsh } from './ssh';

export interface FleetUpOptions {
  name?: string;
  nodes?: number;
  arch?: FleetArch | string;
  portBase?: number;
  workspaceRoot?: string;
  /** rootfs tarball cache (default /var/cache/edgeship/rootfs) */
  cacheDir?: string;
  /** How long one node may take to reach `running` and answer ssh (default 5 min: emulation is slow). */
  bootTimeoutMs?: number;
}

export interface FleetUpResult {
  name: string;
  arch: FleetArch;
  imageTag: string;
  inventoryPath: string;
  inventoryText: string;
  inventory: FleetInventory;
  /** false when the fleet was already up exactly like this */
  changed: boolean;
}

const SOURCE = 'edge-fleet up';

/** Brings the fleet to N running nodes and writes its inventory; a failure removes what this call created. */
export async function fleetUp(options: FleetUpOptions = {}): Promise<FleetUpResult> {
  const name = validateFleetName(options.name ?? DEFAULT_FLEET_NAME, SOURCE);
  const arch = validateArch(options.arch ?? 'arm64', SOURCE);
  const nodes = validateNodeCount(options.nodes ?? DEFAULT_NODE_COUNT, arch, SOURCE);
  if (options.portBase !== undefined) validatePortBase(options.portBase, SOURCE);
  const workspaceRoot = options.workspaceRoot ?? resolveWorkspaceRoot();
  const bootTimeoutMs = options.bootTimeoutMs ?? 5 * 60_000;

  await checkDockerEngine();
  const existing = await listFleetContainers(name);
  const networks = await listFleetNetworks(name);
  checkOwnedBy(name, workspaceRoot, [...existing, ...networks], SOURCE);
  checkMatchesExisting(name, nodes, arch, options.portBase, existing);
  await checkNamesAreFree(
    name,
    Array.from({ length: nodes }, (_, i) => i + 1),
  );
  const portBase = existing[0]?.portBase ?? options.portBase ?? (await choosePortBase(name, nodes));
  const plan = allocateFleetPorts(portBase, nodes);
  const toCreate = plan.filter((p) => !existing.some((c) => c.node === p.node));

  await checkPortsAreFree(toCreate.flatMap(hostPortsOf));

  const image =
    toCreate.length > 0
      ? (await ensureNodeImage(arch, { cacheDir: options.cacheDir })).tag
      : existing[0]!.image;
  const created = { network: false, containers: [] as string[], key: false };
  let changed = false;
  try {
    if (!networks.some((n) => n.name === networkNameOf(name))) {
      await runCommand('docker', [
        'network',
        'create',
        '--label',
        `${FLEET_LABEL}=${name}`,
        '--label',
        `${WORKSPACE_LABEL}=${workspaceRoot}`,
        networkNameOf(name),
      ]);
      created.network = true;
    }
    const key = await ensureFleetKey(privateKeyPathOf(workspaceRoot, name), name);
    created.key = key.isNew;
    for (const ports of toCreate) {
      logger.step(`start ${containerNameOf(name, ports.node)} (${arch}, ssh 127.0.0.1:${ports.ssh})`);
      // Recorded before `docker run`: a run that fails to start (a port taken meanwhile) still leaves
      // a created container behind. The name was checked free above, so it can only be ours.
      created.containers.push(containerNameOf(name, ports.node));
      await runNodeContainer({ fleet: name, workspaceRoot, node: ports.node, arch, image, portBase, ports });
    }
    for (const container of existing.filter((c) => c.state !== 'running')) {
      logger.step(`start stopped ${container.name}`);
      await runCommand('docker', ['start', container.name]);
    }
    changed = created.containers.length > 0 || existing.some((c) => c.state !== 'running') || key.isNew;

    const containers = await listFleetContainers(name);
    const started = Date.now();
    const since = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    // The first node that fails stops the others' waiting, so a failed `up` ends (and cleans up) at once.
    const stop = new AbortController();
    await Promise.all(
      containers.map(async (container) => {
        try {
          await installAuthorizedKey(container.name, key.publicKey);
          await waitForSystemRunning(container.name, bootTimeoutMs, stop.signal);
          logger.info(`  ${container.name}: systemd running (${since()})`);
          await waitForSsh(key.privateKeyFile, container.sshPort, bootTimeoutMs, stop.signal);
          logger.info(`  ${container.name}: sshd accepts the fleet key (${since()})`);
        } catch (error) {
          stop.abort();
          throw error;
        }
      }),
    );
    logger.done(`fleet ${name}: ${containers.length} ${arch} node(s) running, sshd answering`);

    const inventoryPath = inventoryPathOf(workspaceRoot, name);
    const inventoryText = renderInventory(key.privateKeyFile, containers.map(toInventoryHost));
    const previous = await readFile(inventoryPath, 'utf8').catch(() => '');
    if (previous !== inventoryText) {
      await writeInventory(inventoryPath, inventoryText);
      changed = true;
    }
    return {
      name,
      arch,
      imageTag: image,
      inventoryPath,
      inventoryText,
      inventory: parseInventory(inventoryPath, inventoryText),
      changed,
    };
  } catch (error) {
    await removeCreated(name, created, workspaceRoot);
    throw error;
  }
}

function toInventoryHost(container: FleetContainer): InventoryHost {
  return {
    name: container.name,
    ansibleHost: '127.0.0.1',
    ansiblePort: container.sshPort,
    arch: container.arch,
    container: container.name,
    publishedPorts: container.publishedPorts,
  };
}

/** Undo only this call's creations; a cleanup failure is reported but never hides the original error. */
async function removeCreated(
  name: string,
  created: { network: boolean; containers: string[]; key: boolean },
  workspaceRoot: string,
): Promise<void> {
  if (created.containers.length > 0) {
    await runCommand('docker', ['rm', '--force', '--volumes', ...created.containers], { check: false });
  }
  if (created.network) await runCommand('docker', ['network', 'rm', networkNameOf(name)], { check: false });
  if (created.key) await rm(fleetDirOf(workspaceRoot, name), { recursive: true, force: true });
  logger.warn(
    `fleet ${name}: up failed, removed what it had created (${created.containers.length} container(s)${created.network ? ', network' : ''}${created.key ? ', keys' : ''})`,
  );
}
