import type { ExecutorContext } from '@nx/devkit';
import { ConfigError } from '@edgeship/edge-common';
import { normalizeOptions } from '../../deploy/lib/normalize-options';
import type { TrustPolicy } from '../../deploy/lib/trust-policy';
import type { RollbackExecutorOptions } from '../schema';

export interface NormalizedRollbackOptions {
  workspaceRoot: string;
  /** playbooks/ of the workspace: ansible.cfg, status.yml and rollback.yml live there. */
  playbookDir: string;
  /** What the role needs of a service besides the kept release: unit, install dir, port, state directory. */
  service: { name: string; port: number; stateDirectory: boolean };
  /** A kept release by version or release id; undefined: the release each node ran before its current one. */
  to?: string;
  inventories: string[];
  hosts: string;
  limit?: string;
  serial: (string | number)[];
  healthTimeout: number;
  stabilityWindow: number;
  extraVars: Record<string, unknown>;
  json: boolean;
  verbose: boolean;
  /** The deploy's trust policy: a kept release is verified again against the same anchor before the switch. */
  trust: TrustPolicy;
}

/** A version or a release id (<version>-<sha256[:12]>): the characters release directories are named with. */
const RELEASE_NAME = /^[0-9A-Za-z][0-9A-Za-z.+-]*$/;

/**
 * The deploy's own option handling (the service's marker, the inventory or the local fleet's, paths made
 * absolute, serial) and what only rollback has. A project that is not a service is refused there.
 */
export function normalizeRollbackOptions(
  options: RollbackExecutorOptions,
  context: ExecutorContext,
): NormalizedRollbackOptions {
  const { inventory, fleet, hosts, limit, serial, healthTimeout, stabilityWindow, extraVars, verbose } =
    options;
  // allowUnsigned: a kept release deployed unsigned may be switched back to on the local fleet only, as deploy.
  const { allowUnsigned } = options;
  const deploy = normalizeOptions(
    {
      inventory,
      fleet,
      hosts,
      limit,
      serial,
      healthTimeout,
      stabilityWindow,
      extraVars,
      verbose,
      allowUnsigned,
    },
    context,
  );
  const to = options.to?.trim() || undefined;
  if (to !== undefined && !RELEASE_NAME.test(to)) {
    throw new ConfigError(
      `rollback of ${deploy.service.name}`,
      '--to',
      options.to,
      'Name a kept release by its version (1.2.0) or release id (1.2.0-3f9a0c2b1d4e); `status` lists them.',
    );
  }
  return {
    workspaceRoot: deploy.workspaceRoot,
    playbookDir: deploy.playbookDir,
    service: {
      name: deploy.service.name,
      port: deploy.service.port,
      stateDirectory: deploy.service.stateDirectory,
    },
    ...(to === undefined ? {} : { to }),
    inventories: deploy.inventories,
    hosts: deploy.hosts,
    limit: deploy.limit,
    serial: deploy.serial,
    healthTimeout: deploy.healthTimeout,
    stabilityWindow: deploy.stabilityWindow,
    extraVars: deploy.extraVars,
    json: options.json ?? false,
    verbose: deploy.verbose,
    trust: deploy.trust,
  };
}

/** What services must share to roll back in one Ansible run: everything but the service and its --to. */
export function rollbackKey(options: NormalizedRollbackOptions): string {
  const { inventories, hosts, limit, serial, healthTimeout, stabilityWindow, extraVars, verbose } = options;
  const { playbookDir, trust } = options;
  return JSON.stringify({
    isSignatureRequired: trust.isSignatureRequired,
    ...{ inventories, hosts, limit, serial, healthTimeout, stabilityWindow, extraVars, verbose, playbookDir },
  });
}
