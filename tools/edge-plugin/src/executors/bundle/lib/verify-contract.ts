import { relative } from 'node:path';
import { ToolError, logger, timedStep } from '@edgeship/edge-common';
import type { SeaArch } from './arch';
import { checkContract } from './check-contract';
import { describeContractFailure, tailLines } from './contract-failure';

export interface ContractTarget {
  service: string;
  /** Executables just written, one per arch. */
  executables: readonly { arch: SeaArch; file: string }[];
  /** The arch this machine runs natively: that executable is started, no emulation. */
  hostArch: SeaArch;
  timeoutMs: number;
  workspaceRoot: string;
}

/**
 * The build-time half of the runtime contract: start the native executable as systemd will on a node and
 * refuse the build if it does not take the inherited socket, report READY=1, answer /healthz and drain.
 */
export async function verifyContract(target: ContractTarget): Promise<void> {
  const executable = target.executables.find((built) => built.arch === target.hostArch);
  if (!executable) {
    logger.warn(`contract not checked: no linux-${target.hostArch} executable built to run on this machine`);
    return;
  }
  const shown = relative(target.workspaceRoot, executable.file);
  const seen = await timedStep(`contract check: ${target.service} under systemd-socket-activate`, () =>
    checkContract({ command: [executable.file], timeoutMs: target.timeoutMs }),
  );
  const failure = describeContractFailure(target.service, seen);
  if (failure) {
    throw new ToolError(
      failure,
      `systemd-socket-activate --listen 127.0.0.1:<port> ${shown} (NOTIFY_SOCKET set)`,
      seen.exitCode ?? undefined,
      tailLines(seen.output),
    );
  }
}
