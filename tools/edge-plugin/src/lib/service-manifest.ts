import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';
import { checkSemver } from './semver';

export type DeliveryMode = 'binary' | 'container';

export interface ServiceMarker {
  kind: 'service';
  name: string;
  version: string;
  port: number;
  delivery: DeliveryMode;
  /** Present (true) when the unit gets a writable state directory kept across releases. */
  stateDirectory?: true;
}

export type EdgeshipMarker = { kind: 'library' } | ServiceMarker;

const DELIVERY_MODES: readonly DeliveryMode[] = ['binary', 'container'];

/**
 * The one name rule, for the marker, the generator and the build record: kebab-case words, at most 40
 * characters, since the name becomes the systemd unit, the system user, the image and the release folders.
 */
const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const MAX_SERVICE_NAME_LENGTH = 40;

export function isServiceName(value: unknown): value is string {
  return typeof value === 'string' && SERVICE_NAME.test(value) && value.length <= MAX_SERVICE_NAME_LENGTH;
}

/** Returns the name; throws a ConfigError naming where it came from otherwise. */
export function checkServiceName(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string' || !SERVICE_NAME.test(value)) {
    throw new ConfigError(
      file,
      field,
      value,
      'Use kebab-case: lowercase letters and digits, words joined by "-", starting with a letter, e.g. "sensor-relay".',
    );
  }
  if (value.length > MAX_SERVICE_NAME_LENGTH) {
    throw new ConfigError(
      file,
      field,
      value,
      `Keep it to ${MAX_SERVICE_NAME_LENGTH} characters: it names units, users and images.`,
    );
  }
  return value;
}

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
  const name = checkServiceName(manifest['name'], file, 'name');
  const version = checkSemver(manifest['version'], file, 'version');
  const port = marker['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new ConfigError(file, 'edgeship.port', port, 'Use a whole number from 1024 to 65535.');
  }
  const delivery = marker['delivery'] ?? 'binary';
  if (!DELIVERY_MODES.includes(delivery as DeliveryMode)) {
    throw new ConfigError(file, 'edgeship.delivery', delivery, 'Use "binary" or "container".');
  }
  return {
    kind: 'service',
    name,
    version,
    port,
    delivery: delivery as DeliveryMode,
    ...(marker['stateDirectory'] === true ? { stateDirectory: true as const } : {}),
  };
}

/**
 * The service a project is, from its package.json (relative to the workspace): the one place executors read
 * the marker. A project that is not a service is refused with `fix`, which says what the target needs.
 */
export function readServiceManifest(workspaceRoot: string, projectRoot: string, fix: string): ServiceMarker {
  const file = join(projectRoot, 'package.json');
  const manifest = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as Record<string, unknown>;
  const marker = readEdgeshipMarker(manifest, file);
  if (marker?.kind !== 'service') throw new ConfigError(file, 'edgeship.kind', marker?.kind, fix);
  return marker;
}
