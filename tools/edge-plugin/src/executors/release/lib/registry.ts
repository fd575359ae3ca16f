import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ToolError } from '@edgeship/edge-common';

export const DEFAULT_REGISTRY = '127.0.0.1:5000';

export interface RegistryTarget {
  /** host[:port], as in image references. */
  host: string;
  /** Plain HTTP allowed: loopback registries (the local one) unless configured otherwise. */
  isInsecure: boolean;
  user?: string;
  password?: string;
}

/** Option > EDGESHIP_REGISTRY > the local registry; credentials only ever from the environment. */
export function resolveRegistry(
  option: string | undefined,
  insecure: boolean | undefined,
  env: NodeJS.ProcessEnv,
): RegistryTarget {
  const raw = (option ?? env['EDGESHIP_REGISTRY'] ?? DEFAULT_REGISTRY).trim();
  const host = raw.replace(/^(https?:\/\/)/, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new ConfigError(
      option ? 'release options' : 'environment',
      option ? 'registry' : 'EDGESHIP_REGISTRY',
      raw,
      'Use host[:port], e.g. "127.0.0.1:5000" or "registry.example.com".',
    );
  }
  const user = env['EDGESHIP_REGISTRY_USER']?.trim() || undefined;
  const password = env['EDGESHIP_REGISTRY_PASSWORD'] ?? undefined;
  if (user && password === undefined) {
    throw new ConfigError(
      'environment',
      'EDGESHIP_REGISTRY_PASSWORD',
      undefined,
      'Set it together with EDGESHIP_REGISTRY_USER.',
    );
  }
  return { host, isInsecure: insecure ?? (isLoopback(host) || raw.startsWith('http://')), user, password };
}

export function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '[::1]';
}

/** A unique tag per attempt: pushes land here first; the release tag moves only once all succeeded. */
export function stagingTag(
  version: string,
  revision: string | undefined,
  random = randomBytes(3).toString('hex'),
): string {
  const rev = revision ? revision.slice(0, 12).replace(/[^A-Za-z0-9_.-]/g, '') : 'norev';
  return `staging-${version}-${rev}-${random}`.slice(0, 128);
}

/** A docker config.json with the credentials, for skopeo (--authfile), buildx and cosign (DOCKER_CONFIG). */
export async function createAuthConfig(
  target: RegistryTarget,
): Promise<{ dir: string; file: string; dispose: () => Promise<void> } | undefined> {
  if (!target.user) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'edgeship-auth-'));
  const file = join(dir, 'config.json');
  const auth = Buffer.from(`${target.user}:${target.password ?? ''}`).toString('base64');
  await writeFile(file, JSON.stringify({ auths: { [target.host]: { auth } } }), { mode: 0o600 });
  return { dir, file, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Fails fast, before any push, when nothing answers at the registry's address. */
export async function checkRegistryReachable(target: RegistryTarget): Promise<void> {
  const url = `${target.isInsecure ? 'http' : 'https'}://${target.host}/v2/`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (response.status === 200 || response.status === 401) return;
    throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const why =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new ToolError(
      `no container registry answers at ${url} (${why}). Start the local one with tools/bootstrap/bootstrap.sh, or set EDGESHIP_REGISTRY to yours.`,
      `GET ${url}`,
      undefined,
      why,
    );
  }
}
