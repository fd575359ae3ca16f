import { ConfigError, isCi } from '@edgeship/edge-common';
import { findTrustAnchor, isLocalFleetInventory, type TrustAnchor } from '../../../lib/trust-anchor';
import { displayPath } from './display-path';

export interface TrustPolicy {
  /** An unsigned build, a stale signature or no anchor stops the deploy before Ansible starts. */
  isSignatureRequired: boolean;
  /** Why signatures are (not) required, for messages. */
  why: string;
  anchor: TrustAnchor | undefined;
}

/**
 * Signatures are required for every inventory that is not a local fleet, and in CI, unless allowUnsigned is
 * set, which only a local fleet accepts. A real inventory refuses the development key outright.
 */
export function decideTrustPolicy(
  input: { workspaceRoot: string; inventories: readonly string[]; allowUnsigned: boolean },
  env: NodeJS.ProcessEnv = process.env,
): TrustPolicy {
  const { workspaceRoot, inventories, allowUnsigned } = input;
  const real = inventories.filter((file) => !isLocalFleetInventory(workspaceRoot, file));
  const shownReal = real.map((file) => displayPath(workspaceRoot, file)).join(', ');
  if (allowUnsigned && real.length > 0)
    throw new ConfigError(
      'deploy options',
      'allowUnsigned',
      true,
      `Unsigned builds may go to the local fleet only, not to ${shownReal}: release the service (nx run <svc>:release) and deploy the signed build.`,
    );
  const anchor = findTrustAnchor(workspaceRoot, env, real.length === 0);
  if (anchor?.isDevelopment && real.length > 0)
    throw new ConfigError(
      anchor.source,
      'key',
      displayPath(workspaceRoot, anchor.file),
      `This is the local fleet's development key; ${shownReal} takes the project's release key: commit its public half as pipelines/trust/release.pub or set EDGESHIP_TRUST_ANCHOR.`,
    );
  if (real.length > 0) return { isSignatureRequired: true, why: `${shownReal} is not a local fleet`, anchor };
  if (allowUnsigned) return { isSignatureRequired: false, why: 'allowUnsigned (local fleet)', anchor };
  if (isCi(env)) return { isSignatureRequired: true, why: 'in CI', anchor };
  return { isSignatureRequired: false, why: 'local fleet outside CI', anchor };
}
