import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@edgeship/edge-common/testing';

export interface TestRegistry {
  host: string;
  storageDir: string;
  stop: () => Promise<void>;
}

export interface RegistryOptions {
  /** Refuse pushes (to play a registry that does, or a read-only mirror of another's storage). */
  readonly: boolean;
  /** Address to listen on (default 127.0.0.1): a fleet network's gateway lets its nodes pull. */
  bindHost?: string;
  /** Serve the storage of another test registry instead of an empty one of its own. */
  storageOf?: TestRegistry;
}

/** A throwaway CNCF Distribution registry on a free port (loopback unless bindHost says otherwise). */
export async function startRegistry(options: RegistryOptions): Promise<TestRegistry> {
  const bindHost = options.bindHost ?? '127.0.0.1';
  const port = await findFreePort(bindHost);
  const dir = mkdtempSync(join(tmpdir(), 'edgeship-registry-'));
  const storage = options.storageOf?.storageDir ?? join(dir, 'data');
  const config = join(dir, 'config.yml');
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
      `      enabled: ${options.readonly}`,
      'http:',
      `  addr: ${bindHost}:${port}`,
      '',
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const host = `${bindHost}:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await fetch(`http://${host}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host,
    storageDir: storage,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
