import { resolve } from 'node:path';
import { z } from 'zod';

export interface ForwardingConfig {
  /** Where batches are POSTed; never holds credentials (those are in `token`). */
  upstreamUrl: string;
  /** Sent as `authorization: Bearer <token>` when set. */
  token?: string;
  batchSize: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface GatewayConfig {
  dataDir: string;
  maxBytes?: number;
  maxRecords?: number;
  /** undefined when UPSTREAM_URL is not set: readings are spooled and served, not forwarded. */
  forwarding?: ForwardingConfig;
}

const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'not a whole number').transform(Number).pipe(z.number().min(min).max(max));

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'not an http:// or https:// URL' })
  .refine((value) => !URL.parse(value)?.username && !URL.parse(value)?.password, 'holds credentials');

/** A password in a refused URL must not reach the logs through our own error message. */
function redactCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    if (!url.password) return raw;
    url.password = '***';
    return url.toString();
  } catch {
    return raw;
  }
}

/** An unset or blank variable gives undefined; a bad one throws naming the variable, its value and the fix. */
function readVariable<T>(
  env: NodeJS.ProcessEnv,
  name: string,
  schema: z.ZodType<T>,
  fix: string,
): T | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problem = result.error.issues[0]?.message ?? 'invalid';
  throw new Error(`environment: ${name} is "${redactCredentials(raw)}" (${problem}); ${fix}`);
}

/**
 * DATA_DIR wins; otherwise systemd's StateDirectory= (exported as STATE_DIRECTORY, colon-separated when several
 * are configured, the first is ours); otherwise ./data for a developer's checkout.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const fromSystemd = env.STATE_DIRECTORY?.split(':')[0];
  return resolve(cwd, env.DATA_DIR?.trim() || fromSystemd || 'data');
}

/**
 * Every variable is checked even when forwarding is off, so a typo in FORWARD_* fails at start, not on the
 * day UPSTREAM_URL is set.
 */
export function resolveForwardingConfig(env: NodeJS.ProcessEnv): ForwardingConfig | undefined {
  const milliseconds = (min: number, max: number) =>
    `set it to a whole number of milliseconds from ${min} to ${max}`;
  const upstreamUrl = readVariable(
    env,
    'UPSTREAM_URL',
    httpUrl,
    'set it to the http:// or https:// URL that takes batches of readings, without credentials ' +
      '(e.g. https://ingest.example.com/v1/readings; a token goes in UPSTREAM_TOKEN), or unset it to only spool',
  );
  const batchSize =
    readVariable(
      env,
      'FORWARD_BATCH_SIZE',
      wholeNumber(1, 10_000),
      'set it to a whole number from 1 to 10000',
    ) ?? 500;
  const timeoutMs =
    readVariable(env, 'FORWARD_TIMEOUT_MS', wholeNumber(100, 600_000), milliseconds(100, 600_000)) ?? 10_000;
  const retryBaseMs =
    readVariable(env, 'FORWARD_RETRY_BASE_MS', wholeNumber(1, 600_000), milliseconds(1, 600_000)) ?? 500;
  const retryMaxMs =
    readVariable(
      env,
      'FORWARD_RETRY_MAX_MS',
      wholeNumber(retryBaseMs, 3_600_000),
      `${milliseconds(retryBaseMs, 3_600_000)} (at least FORWARD_RETRY_BASE_MS)`,
    ) ?? Math.max(60_000, retryBaseMs);
  if (!upstreamUrl) return undefined;
  const token = env.UPSTREAM_TOKEN?.trim() || undefined;
  return { upstreamUrl, token, batchSize, timeoutMs, retryBaseMs, retryMaxMs };
}

export function resolveGatewayConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): GatewayConfig {
  const positive = wholeNumber(1, Number.MAX_SAFE_INTEGER);
  return {
    dataDir: resolveDataDir(env, cwd),
    maxBytes: readVariable(env, 'SPOOL_MAX_BYTES', positive, 'set it to a positive integer (bytes)'),
    maxRecords: readVariable(env, 'SPOOL_MAX_RECORDS', positive, 'set it to a positive integer (readings)'),
    forwarding: resolveForwardingConfig(env),
  };
}
