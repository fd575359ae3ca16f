import { ConfigError } from '@edgeship/edge-common';
import { checkSemver } from '../lib/semver';

export type DeliveryMode = 'binary' | 'container';

export type EdgeshipMarker =
  | { kind: 'library' }
  | { kind: 'service'; name: string; version: string; port: number; delivery: DeliveryMode };

const DELIVERY_MODES: readonly DeliveryMode[] = ['binary', 'container'];

/**
 * Reads the `edgeship` field of a package.json. Returns undefined for packages without it;
 * throws a ConfigError naming the field for a marker that is present but wrong.
 */
export function readEdgeshipMarker(
  manifest: Record<string, unknown>,
  file: string,
): EdgeshipMarker | undefined {
  const raw = manifest['edgeship'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) {
    throw new ConfigError(file, 'edgeship', raw, 'Use an object such as {"kind": "service", "port": 8080}.');
  }
  const marker = raw as Record<string, unknown>;
  if (marker['kind'] === 'library') return { kind: 'library' };
  if (marker['kind'] !== 'service') {
    throw new ConfigError(file, 'edgeship.kind', marker['kind'], 'Set it to "service" or "library".');
  }
  const name = manifest['name'];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new ConfigError(file, 'name', name, 'Give the service a kebab-case name, e.g. "hello-edge".');
  }
  const version = checkSemver(manifest['version'], file, 'version');
  const port = marker['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new ConfigError(file, 'edgeship.port', port, 'Use a whole number from 1024 to 65535.');
  }
  const delivery = marker['delivery'] ?? 'binary';
  if (!DELIVERY_MODES.includes(delivery as DeliveryMode)) {
    throw new ConfigError(file, 'edgeship.delivery', delivery, 'Use "binary" or "container".');
  }
  return { kind: 'service', name, version, port, delivery: delivery as DeliveryMode };
}
