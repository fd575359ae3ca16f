import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findFreePort } from '@edgeship/edge-common';
import { isHealthy } from '../../../lib/is-healthy';
import type { ContractObservation } from './contract-failure';

/**
 * Stands in for systemd's notify socket: an AF_UNIX datagram socket (which Node's core cannot open) printing
 * each assignment on its own line. recv() drops the fd that BARRIER=1 carries, which completes the barrier.
 */
const NOTIFY_RECEIVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    for line in s.recv(65536).decode().split("\\n"):
        print(line, flush=True)
`;

/** How long python3 may take to start and bind the notify socket on a loaded machine. */
const RECEIVER_START_TIMEOUT_MS = 30_000;

export interface ContractCheckInput {
  /** The command that starts the service: the executable (plus arguments in tests). */
  command: string[];
  /** Bound for each phase: READY=1 and /healthz after the first connection, then exit after SIGTERM. */
  timeoutMs: number;
}

/** How systemd-socket-activate starts the service: what the .socket and Type=notify units give it on a node. */
export function socketActivateArgs(port: number, notifySocket: string, command: string[]): string[] {
  return [
    '--listen',
    `127.0.0.1:${port}`,
    '-E',
    'PATH',
    `--setenv=NOTIFY_SOCKET=${notifySocket}`,
    // The unit sets PORT to the socket's port too: a service that binds PORT itself collides, as on a node.
    `--setenv=PORT=${port}`,
    '--setenv=HOST=127.0.0.1',
    '--setenv=NODE_ENV=production',
    ...command,
  ];
}

/**
 * Starts the service the way systemd will and watches it keep the contract. Spawned here rather than through
 * runCommand, which waits for a command to finish: this check talks to the process while it runs.
 */
export async function checkContract(input: ContractCheckInput): Promise<ContractObservation> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeship-contract-'));
  const notifySocket = join(dir, 'notify.sock');
  const notifications: string[] = [];
  const started: ChildProcess[] = [];
  let output = '';
  const seen: ContractObservation = {
    isReady: false,
    isHealthy: false,
    outcome: 'timed-out',
    exitCode: null,
    signal: null,
    timeoutMs: input.timeoutMs,
    output: '',
  };
  try {
    const receiver = spawn('python3', ['-c', NOTIFY_RECEIVER, notifySocket], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(receiver);
    // Whole lines: a pipe chunk may end in the middle of one.
    createInterface({ input: receiver.stdout! }).on('line', (line) => notifications.push(line));
    // The check's own set-up, not the service under test: its wait must not shrink with a short contract
    // timeout, or a busy machine (python3 starting slowly) fails a service that did nothing wrong.
    await waitUntil(
      () => notifications.includes('bound'),
      Math.max(input.timeoutMs, RECEIVER_START_TIMEOUT_MS),
      'python3 to bind the notify socket',
      receiver,
    );

    const port = await findFreePort();
    // A private working folder: a service that writes relative to its cwd (a data/ folder) must not write into
    // the workspace; on a node its unit gives it a StateDirectory for that.
    const workDir = join(dir, 'cwd');
    await mkdir(workDir);
    const service = spawn('systemd-socket-activate', socketActivateArgs(port, notifySocket, input.command), {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(service);
    service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) =>
      service.once('exit', (code, signal) => {
        seen.exitCode = code;
        seen.signal = signal;
        resolve();
      }),
    );
    const hasExited = () => service.exitCode !== null || service.signalCode !== null;
    await waitUntil(
      () => output.includes('Listening on'),
      input.timeoutMs,
      'systemd-socket-activate to bind',
      service,
    );

    // The first connection makes systemd-socket-activate exec the service; it waits in the backlog meanwhile.
    const deadline = Date.now() + input.timeoutMs;
    while (!(seen.isReady && seen.isHealthy) && !hasExited() && Date.now() < deadline) {
      seen.isHealthy ||= await isHealthy(port);
      seen.isReady ||= notifications.includes('READY=1');
      if (!(seen.isReady && seen.isHealthy)) await sleep(50);
    }
    if (!(seen.isReady && seen.isHealthy)) {
      seen.outcome = hasExited() ? 'exited-early' : 'timed-out';
      return seen;
    }
    service.kill('SIGTERM');
    await Promise.race([exited, sleep(input.timeoutMs)]);
    seen.outcome = seen.exitCode === 0 ? 'passed' : 'bad-stop';
    return seen;
  } finally {
    seen.output = output;
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

/** Polls until predicate() holds; a helper that dies or never gets there fails with what it printed. */
async function waitUntil(
  predicate: () => boolean,
  timeoutMs: number,
  label: string,
  child: ChildProcess,
): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(
          `${label}: ${error.message}; the contract check needs python3 and systemd-socket-activate (systemd) on PATH (tools/bootstrap installs them)`,
        ),
      ),
    );
  });
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`timed out waiting for ${label}${stderr ? `:\n${stderr.trim()}` : ''}`);
    }
    await Promise.race([sleep(20), failed]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
