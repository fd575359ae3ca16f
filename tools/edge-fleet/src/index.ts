export { fleetUp, type FleetUpOptions, type FleetUpResult } from './fleet-up';
export { fleetDown, type FleetDownResult } from './fleet-down';
export { fleetStatus, type FleetStatus, type NodeStatus } from './fleet-status';
export { fleetSsh } from './fleet-ssh';
export { readFleetGateway } from './docker';
export {
  readFleetInventory,
  renderInventory,
  parseInventory,
  type FleetInventory,
  type InventoryHost,
} from './inventory';
export { ensureNodeImage, type NodeImage } from './node-image';
export { describeNodeImage, nodesRunContainers, ROOTFS_CACHE_DIR } from './node-image-spec';
export { SERVICE_PORTS, allocateNodePorts, derivePortBase } from './ports';
export { containerNameOf, networkNameOf, FLEET_LABEL, MAX_NODES, type FleetArch } from './names';
export { inventoryPathOf, privateKeyPathOf, fleetDirOf } from '@edgeship/edge-common';
