/**
 * The way the node rootfs was made before mmdebstrap, kept only so bench/rootfs.bench.ts can time
 * both in the same run: debootstrap minbase, whose second stage configures package by package (under
 * QEMU for arm64).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError, runCommand } from '@edgeship/edge-common';
import { tailLines } from '@edgeship/edge-fleet/mmdebstrap';
import type { NodeImageSpec } from '@edgeship/edge-fleet/node-image-spec';
import type { RootfsBootstrapper } from '@edgeship/edge-fleet/rootfs';

export function debootstrapArgs(spec: NodeImageSpec, rootfs: string, archiveUri: string): string[] {
  return [
    `--arch=${spec.arch}`,
    '--variant=minbase',
    `--include=${spec.packages.join(',')}`,
    spec.suite,
    rootfs,
    archiveUri,
  ];
}

async function runDebootstrap(spec: NodeImageSpec, rootfs: string, archiveUri: string): Promise<void> {
  try {
    await runCommand('debootstrap', debootstrapArgs(spec, rootfs, archiveUri), { timeoutMs: 60 * 60_000 });
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    // debootstrap's stderr only points at its log, which is deleted with the work folder.
    const log = await readFile(join(rootfs, 'debootstrap/debootstrap.log'), 'utf8').catch(() => '');
    throw new ToolError(error.message.split('\n')[0]!, error.command, error.exitCode, tailLines(log, 30));
  }
}

export const DEBOOTSTRAP: RootfsBootstrapper = { tool: 'debootstrap', run: runDebootstrap };
