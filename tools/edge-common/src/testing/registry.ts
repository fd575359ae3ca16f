import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../free-port';

export interface TestRegistry {
  /** host:port to push to and pull from. */
  host: string;
  storageDir: string;
  stop: () => Promise<void>;
}

export interface RegistryOptions {
  /** Refuse pushes (to play a registry that does, or a read-only mirror of another's storage). */
  readonly?: boolean;
  /** Address to listen on (default 127.0.0.1): a fleet network's gateway lets its nodes pull. */
  bindHost?: string;
  /** Serve the storage of another test registry instead of an empty one of its own. */
  storageOf?: TestRegistry;
  /** Keep config and storage under this folder (a throwaway workspace's .edgeship/registry) instead of a temporary one. */
  dir?: string;
  /** Accept DELETE of manifests (a pipeline that cleans up what it pushed). */
  deletes?: boolean;
}

const STARTUP_TIMEOUT_MS = 15_000;

/**
 * A throwaway CNCF Distribution registry (as tools/bootstrap runs on 127.0.0.1:5000) on a free port, loopback
 * unless bindHost says otherwise: releases from a test never move the tags in the shared registry. Fails,
 * with the registry's own stderr, when it does not answer /v2/ in time, rather than handing back a dead one.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  const host = `${bindHost}:${await findFreePort(bindHost)}`;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'edgeship-registry-'));
  mkdirSync(dir, { recursive: true });
  const storage = options.storageOf?.storageDir ?? join(dir, 'data');
  const config = join(dir, 'registry.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storage}`,
      '  maintenance:',
      '    readonly:',
      `      enabled: ${options.readonly ?? false}`,
      ...(options.deletes ? ['  delete:', '    enabled: true'] : []),
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hasEnded = false;
  child.once('exit', () => (hasEnded = true));
  // Not installed (spawn ENOENT): said in the failure below instead of crashing the spec on an unhandled event.
  child.once('error', (error) => {
    hasEnded = true;
    stderr += `${error.message}\n`;
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      const cleanUp = () => {
        if (!options.dir) rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (hasEnded) return cleanUp();
      child.once('exit', cleanUp);
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const isUp = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (isUp) return { host, storageDir: storage, stop };
    if (hasEnded || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on http://${host}/v2/:\n${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
