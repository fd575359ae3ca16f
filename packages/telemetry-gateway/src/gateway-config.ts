import { resolve } from 'node:path';

export interface GatewayConfig {
  dataDir: string;
  maxBytes?: number;
  maxRecords?: number;
}

function parseOptionalInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`environment: ${name} is "${raw}"; set it to a positive integer`);
  return Number(raw);
}

/**
 * DATA_DIR wins; otherwise systemd's StateDirectory= (exported as STATE_DIRECTORY, colon-separated when several
 * are configured, the first is ours); otherwise ./data for a developer's checkout.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const fromSystemd = env.STATE_DIRECTORY?.split(':')[0];
  return resolve(cwd, env.DATA_DIR?.trim() || fromSystemd || 'data');
}

export function resolveGatewayConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): GatewayConfig {
  return {
    dataDir: resolveDataDir(env, cwd),
    maxBytes: parseOptionalInteger(env, 'SPOOL_MAX_BYTES'),
    maxRecords: parseOptionalInteger(env, 'SPOOL_MAX_RECORDS'),
  };
}
