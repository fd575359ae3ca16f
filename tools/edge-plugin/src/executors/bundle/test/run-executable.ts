import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SeaArch } from '../lib/arch';
import { isHealthy } from '../../../lib/is-healthy';
import { findFreePort } from '@edgeship/edge-common/testing';

/** Where Debian's libc6-arm64-cross puts the aarch64 loader and libraries QEMU needs to run arm64 binaries. */
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

export interface RunningExecutable {
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** arm64 executables run through binfmt + QEMU; their dynamic loader comes from the cross sysroot. */
export function emulationEnv(arch: SeaArch): Record<string, string> {
  if (arch !== 'arm64' || process.arch === 'arm64' || existsSync('/lib/ld-linux-aarch64.so.1')) return {};
  if (!existsSync(`${ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1`)) {
    throw new Error(
      `no aarch64 loader to run arm64 executables under QEMU: install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross (tools/bootstrap)`,
    );
  }
  return { QEMU_LD_PREFIX: ARM64_SYSROOT };
}

/** Starts an executable on 127.0.0.1:<free port> and resolves once GET /healthz answers 200. */
export async function startExecutable(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  pollMs = 10,
): Promise<RunningExecutable & { startMs: number }> {
  const port = await findFreePort();
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null)
      throw new Error(`${command} exited with ${child.exitCode} before /healthz answered:\n${output}`);
    if (await isHealthy(port, 1000))
      return { port, output: () => output, stop, startMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  await stop();
  throw new Error(`${command} did not answer /healthz within ${timeoutMs} ms:\n${output}`);
}

export async function getJson(port: number, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
