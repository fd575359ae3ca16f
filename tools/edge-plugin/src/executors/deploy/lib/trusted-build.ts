import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  readSignedRecord,
  sameArtifacts,
  SIGNATURE,
  SIGNED_RECORD,
  type BuildRecord,
} from '../../../lib/build-record';
import { ConfigError, ToolError, logger } from '@edgeship/edge-common';
import { verifyBlob } from '../../release/lib/signing';
import type { TrustPolicy } from './trust-policy';

export interface TrustedBuild {
  record: BuildRecord;
  isSigned: boolean;
  /** The verified files' text, kept with the release on the node. */
  signed?: { record: string; signature: string };
}

/**
 * The build record the deploy holds artifacts to: the one release signed when its signature verifies against
 * the trust anchor and it still describes the build in dist/, else (where the policy allows) the unsigned
 * build, with a warning. A signature that does not verify stops the deploy whatever the policy: it is an alarm.
 */
export async function establishTrust(
  built: BuildRecord,
  distDir: string,
  shownDir: string,
  policy: TrustPolicy,
): Promise<TrustedBuild> {
  const service = built.service;
  const recordFile = join(distDir, SIGNED_RECORD);
  const signature = join(distDir, SIGNATURE);
  const release = `nx run ${service}:release`;
  if (!existsSync(recordFile) || !existsSync(signature)) {
    const unsigned = `${service}: ${shownDir}/${SIGNED_RECORD} is not signed (no ${SIGNATURE}; ${release} writes both)`;
    if (policy.isSignatureRequired)
      throw new ConfigError(
        `${shownDir}/${SIGNATURE}`,
        'signature',
        undefined,
        `${unsigned}, and signatures are required (${policy.why}). Release it, then deploy; nothing was changed on any node.`,
      );
    logger.warn(`${unsigned}: deploying the unsigned build (${policy.why})`);
    return { record: built, isSigned: false };
  }
  if (!policy.anchor)
    throw new ConfigError(
      'pipelines/trust/release.pub',
      'trust anchor',
      undefined,
      `${service}: there is no public key to verify ${shownDir}/${SIGNATURE} with. Commit the release key's public half there, or set EDGESHIP_TRUST_ANCHOR.`,
    );
  const verified = await verifyBlob(policy.anchor.file, recordFile, signature);
  if (!verified.isVerified)
    throw new ToolError(
      `${service}: the signature ${shownDir}/${SIGNATURE} does not verify against the trust anchor ${policy.anchor.source} ` +
        `(signed with another key, or ${SIGNED_RECORD} changed after signing). Release again with the project key; nothing was changed on any node.`,
      'cosign verify-blob',
      1,
      verified.reason,
    );
  const signed = readSignedRecord(recordFile, `${shownDir}/${SIGNED_RECORD}`);
  if (!sameArtifacts(signed, built)) {
    const stale =
      `${service}: ${shownDir} no longer holds the build that was released (signed: ${describe(signed)}; ` +
      `built: ${describe(built)})`;
    if (policy.isSignatureRequired)
      throw new ConfigError(
        `${shownDir}/${SIGNED_RECORD}`,
        'artifacts',
        undefined,
        `${stale}. Release this build (${release}) or rebuild the released one; nothing was changed on any node.`,
      );
    logger.warn(`${stale}: deploying the unsigned build (${policy.why})`);
    return { record: built, isSigned: false };
  }
  logger.done(`${service}: build record signature verified (${policy.anchor.source})`);
  const text = { record: readFileSync(recordFile, 'utf8'), signature: readFileSync(signature, 'utf8') };
  return { record: signed, isSigned: true, signed: text };
}

function describe(record: BuildRecord): string {
  const first = record.executables[0] ?? record.images[0];
  return `${record.version}, revision ${record.revision ?? 'unknown'}${first ? `, ${first.file} ${first.sha256.slice(0, 12)}` : ''}`;
}
