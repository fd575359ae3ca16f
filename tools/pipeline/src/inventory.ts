import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inventoryPathOf, ConfigError, isCi } from '@edgeship/edge-common';
import type { PipelineStage } from './stages';

export interface InventoryRequest {
  /** --inventory, relative to the current directory. */
  flag?: string;
  /** The CI variable's name from pipelines/stages.yml (EDGESHIP_INVENTORY). */
  variable: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where the local fleet's inventory is looked for when none is given outside CI. */
  workspaceRoot: string;
}

/**
 * The inventory the deploy stage gets, as an absolute path. In CI it is required: falling back to
 * the local fleet there would deploy to nothing or to the wrong machines. Locally, without one, it
 * is the local fleet's (edge-fleet "default"), which must be up before anything is built.
 */
export function resolveInventory(
  stages: readonly PipelineStage[],
  request: InventoryRequest,
): string | undefined {
  const deploys = stages.filter((s) => s.needsInventory);
  if (deploys.length === 0) return undefined;
  const [given, source] =
    request.flag !== undefined
      ? [request.flag, '--inventory']
      : [request.env[request.variable] || undefined, request.variable];
  if (given === undefined) {
    if (isCi(request.env)) {
      throw new ConfigError(
        'environment',
        request.variable,
        undefined,
        `In CI (CI=${request.env.CI}) the ${deploys.map((s) => s.target).join(', ')} stage needs the edge inventory: ` +
          `set ${request.variable} to the inventory file (a GitLab "File" variable, or a GitHub secret written to a file), ` +
          `pass --inventory <file>, or leave the stage out with --stages.`,
      );
    }
    const local = inventoryPathOf(request.workspaceRoot, 'default');
    if (!existsSync(local)) {
      throw new ConfigError(
        local,
        'local fleet inventory',
        undefined,
        'The deploy stage goes to the local fleet, which is not up: start it with `npm run fleet -- up`, ' +
          `pass --inventory <file> (or set ${request.variable}), or leave the stage out with --stages.`,
      );
    }
    return local;
  }
  const path = resolve(request.cwd, given);
  if (!existsSync(path)) {
    throw new ConfigError(
      source,
      'inventory file',
      given,
      `No such file (${path}); point it at an Ansible inventory.`,
    );
  }
  return path;
}
