import type { ExecutorContext } from '@nx/devkit';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import { sleep } from '@edgeship/edge-fleet/node-container';
import type { NodeOutcome } from '../lib/deploy-report';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');

/** The context Nx gives the deploy executor for a service of this workspace (or of another root, a benchmark's). */
export function contextFor(service: string, root = WORKSPACE_ROOT): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: service,
    projectsConfigurations: { version: 2, projects: { [service]: { root: `packages/${service}` } } },
  } as unknown as ExecutorContext;
}

/** GET through the node's port published on 127.0.0.1 (the way a person checks a fleet node). */
export function getJson(port: number, path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export async function readReport(file: string): Promise<{ success: boolean; nodes: NodeOutcome[] }> {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** `systemd-analyze security` of a unit on a node container: the overall exposure level (0 = best, 10 = worst). */
export async function readExposure(container: string, unit: string): Promise<number> {
  const { stdout } = await runCommand('docker', [
    'exec',
    container,
    'systemd-analyze',
    'security',
    '--no-pager',
    unit,
  ]);
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(stdout);
  if (!match) throw new Error(`no exposure level in systemd-analyze output:\n${stdout}`);
  return Number(match[1]);
}

/** Runs a command on a node container, for facts the test checks behind the deploy's back. */
export async function execOnNode(container: string, args: string[]): Promise<string> {
  return (await runCommand('docker', ['exec', container, ...args])).stdout;
}

/** Bytes a node container has received on eth0: artifact, SSH and Ansible's modules, all of it. */
export async function readReceivedBytes(container: string): Promise<number> {
  return Number(await execOnNode(container, ['cat', '/sys/class/net/eth0/statistics/rx_bytes']));
}

/**
 * Waits until `container`'s releases directory of `service` holds a staging directory: a release is on its
 * way in (the moment the node-killing specs kill a node mid-upload).
 */
export async function waitForStaging(
  container: string,
  service: string,
  timeoutMs: number,
  pollMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await runCommand(
      'docker',
      ['exec', container, 'ls', '-a', `/opt/edgeship/${service}/releases`],
      { check: false },
    );
    if (stdout.includes('.staging-')) return;
    await sleep(pollMs);
  }
  throw new Error(`${container}: no staging directory within ${timeoutMs / 1000} s`);
}
