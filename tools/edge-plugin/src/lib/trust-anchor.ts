import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';

/** Where release keeps the key pair it makes outside CI: a development key, for the local fleet only. */
export const DEVELOPMENT_KEY_DIR = join('.edgeship', 'keys');
const DEVELOPMENT_MARK = 'DEVELOPMENT-KEY';
/** The release public key the project commits: what deploys to real inventories verify against. */
export const COMMITTED_ANCHOR = join('pipelines', 'trust', 'release.pub');
/** Where `fleet up` writes local fleets' inventories. */
const LOCAL_FLEET_DIR = join('.edgeship', 'fleet');

export interface TrustAnchor {
  /** The public key file. */
  file: string;
  /** Where it came from, for messages. */
  source: string;
  /** The local fleet's development key: a real inventory refuses it. */
  isDevelopment: boolean;
}

/** Marks a key pair release made on its own, so that no real inventory ever trusts it. */
export function markDevelopmentKey(keyDir: string): void {
  writeFileSync(
    join(keyDir, DEVELOPMENT_MARK),
    'This key pair was made by `nx run <svc>:release` outside CI. It signs builds for the local fleet only:\n' +
      'deploys to any other inventory refuse it. Real releases use the project key (see pipelines/trust).\n',
  );
}

export function isLocalFleetInventory(workspaceRoot: string, inventory: string): boolean {
  const path = relative(join(workspaceRoot, LOCAL_FLEET_DIR), resolve(workspaceRoot, inventory));
  return !path.startsWith('..') && !isAbsolute(path);
}

/**
 * The public key deploys verify build records against: EDGESHIP_TRUST_ANCHOR (a CI variable), else the
 * committed pipelines/trust/release.pub, else, for the local fleet only, the development key. Never a key
 * made for the occasion: deploy only reads keys.
 */
export function findTrustAnchor(
  workspaceRoot: string,
  env: NodeJS.ProcessEnv,
  isLocalFleet: boolean,
): TrustAnchor | undefined {
  const fromEnv = env['EDGESHIP_TRUST_ANCHOR'];
  if (fromEnv) {
    const file = resolve(workspaceRoot, fromEnv);
    if (!existsSync(file))
      throw new ConfigError(
        'EDGESHIP_TRUST_ANCHOR',
        'file',
        fromEnv,
        'Point it at the release public key (cosign.pub), or unset it to use pipelines/trust/release.pub.',
      );
    return { file, source: 'EDGESHIP_TRUST_ANCHOR', isDevelopment: isDevelopmentKey(workspaceRoot, file) };
  }
  const committed = join(workspaceRoot, COMMITTED_ANCHOR);
  if (existsSync(committed))
    return {
      file: committed,
      source: COMMITTED_ANCHOR,
      isDevelopment: isDevelopmentKey(workspaceRoot, committed),
    };
  const development = join(workspaceRoot, DEVELOPMENT_KEY_DIR, 'cosign.pub');
  if (isLocalFleet && existsSync(development))
    return { file: development, source: 'the local development key', isDevelopment: true };
  return undefined;
}

/** The marked development public key, whatever file it was copied to. */
function isDevelopmentKey(workspaceRoot: string, file: string): boolean {
  const dir = join(workspaceRoot, DEVELOPMENT_KEY_DIR);
  const development = join(dir, 'cosign.pub');
  if (!existsSync(join(dir, DEVELOPMENT_MARK)) || !existsSync(development)) return false;
  return readFileSync(development, 'utf8').trim() === readFileSync(file, 'utf8').trim();
}
