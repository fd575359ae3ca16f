import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';

/**
 * The base rootfs tar every image starts from is byte-reproducible from its Debian packages, so the repository
 * records its sha256 per arch and recipe (key `<debArch>-<base hash>`), with the package versions it was built
 * from for review. The cached tar is checked against it on every use, and a fresh build before it is cached.
 */
export interface BasePin {
  sha256: string;
  /** Debian package → version the pinned tar was built from (what to compare when a rebuild differs). */
  packages: Record<string, string>;
}

// Not base-pins.json: require('./base-pins') would resolve to the JSON file before this module.
export const BASE_PINS_FILE = join(__dirname, 'pinned-bases.json');
export const BASE_PIN_COMMAND = 'npm run pin-base -- --write';

/** The path errors name: relative to the workspace, where the pin is reviewed and committed. */
const SHOWN_FILE = relative(join(__dirname, '..', '..', '..', '..', '..', '..'), BASE_PINS_FILE);

export function readBasePins(file = BASE_PINS_FILE): Record<string, BasePin> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, BasePin>;
}

export function requireBasePin(key: string, pins = readBasePins()): BasePin {
  const pin = pins[key];
  if (pin && /^sha256:[0-9a-f]{64}$/.test(pin.sha256)) return pin;
  throw new ConfigError(
    SHOWN_FILE,
    `["${key}"].sha256`,
    pin?.sha256,
    `The repository records no checksum for the base rootfs ${key} (its package list or recipe changed, or it ` +
      `was never pinned). Run \`${BASE_PIN_COMMAND}\` (builds the base for each arch from Debian's packages and ` +
      'records its sha256 and package versions), review the diff and commit it.',
  );
}

/** A fresh build that differs from the pin: says which package versions moved, when any did. */
export function basePinMismatch(key: string, actual: BasePin, pin: BasePin): ConfigError {
  const moved = Object.keys({ ...pin.packages, ...actual.packages })
    .sort()
    .filter((name) => pin.packages[name] !== actual.packages[name])
    .map((name) => `${name} ${pin.packages[name] ?? '(none)'} → ${actual.packages[name] ?? '(none)'}`);
  const why =
    moved.length > 0
      ? `Debian now serves other package versions (${moved.join(', ')}).`
      : 'The package versions are the pinned ones, so the recipe or the tools that build the tar differ.';
  return new ConfigError(
    SHOWN_FILE,
    `["${key}"].sha256`,
    pin.sha256,
    `The base rootfs built here has ${actual.sha256}; nothing was cached. ${why} Review the change, then ` +
      `record it with \`${BASE_PIN_COMMAND}\` and commit it.`,
  );
}

/** The pin file's text with the given entries recorded (others kept, keys sorted); the pin script writes this. */
export function recordBasePins(text: string, entries: Record<string, BasePin>): string {
  const pins = { ...(JSON.parse(text) as Record<string, BasePin>), ...entries };
  const sorted = Object.fromEntries(
    Object.keys(pins)
      .sort()
      .map((key) => [key, pins[key]!]),
  );
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

/** Package → version from the `dpkg-deb --field` output of each package in the base. */
export function readPackageVersions(controls: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(controls)
      .map(([name, control]) => [name, /^Version: (.+)$/m.exec(control)?.[1] ?? 'unknown'] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
