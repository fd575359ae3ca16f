import { access, chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ToolError, runCommand } from '@edgeship/edge-common';
import { sleep } from './node-container';

export interface FleetKey {
  privateKeyFile: string;
  publicKey: string;
  /** Whether this call generated the pair (so a failed `up` knows to remove it). */
  isNew: boolean;
}

/** One ed25519 pair per fleet, kept across `up`s so the inventory's key stays valid. */
export async function ensureFleetKey(privateKeyFile: string, fleet: string): Promise<FleetKey> {
  let isNew = false;
  const hasKey = await access(privateKeyFile).then(
    () => true,
    () => false,
  );
  if (!hasKey) {
    await mkdir(dirname(privateKeyFile), { recursive: true, mode: 0o700 });
    await runCommand('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      `edgeship-fleet-${fleet}`,
      '-f',
      privateKeyFile,
    ]);
    isNew = true;
  }
  // ssh refuses a private key others can read.
  await chmod(privateKeyFile, 0o600);
  const publicKey = await readFile(`${privateKeyFile}.pub`, 'utf8');
  return { privateKeyFile, publicKey, isNew };
}

export function sshArgs(privateKeyFile: string, port: number, remote: readonly string[] = []): string[] {
  return [
    '-i',
    privateKeyFile,
    '-p',
    String(port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    'root@127.0.0.1',
    ...remote,
  ];
}

/** sshd is up once systemd says running, but the first key exchange proves the key and port too. */
export async function waitForSsh(
  privateKeyFile: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', ...sshArgs(privateKeyFile, port, ['true'])];
  let last = { exitCode: 0, stdout: '', stderr: '' };
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    last = await runCommand('ssh', args, { check: false, timeoutMs: 30_000 });
    if (last.exitCode === 0) return;
    await sleep(1000);
  }
  throw new ToolError(
    `sshd on 127.0.0.1:${port} did not accept the fleet key within ${timeoutMs / 1000} s`,
    `ssh ${args.join(' ')}`,
    last.exitCode,
    last.stderr,
  );
}
