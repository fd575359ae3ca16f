import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSignedRecord } from '../../../lib/build-record';
import { verifyBlob } from '../../release/lib/signing';
import type { TrustPolicy } from '../../deploy/lib/trust-policy';
import type { RollbackRefusal, RollbackStep } from './plan-rollback';

/** A kept release as the probe read it: its release.env and, when it was deployed signed, its build record. */
export interface KeptRelease {
  name: string;
  env?: Record<string, string>;
  record?: string;
  signature?: string;
}

/**
 * Before any node changes: each release a rollback switches to must still carry a signed build record that
 * verifies against the trust anchor and names the artifact the node keeps (its sha256, or for a pulled image its
 * manifest digest). A release deployed unsigned passes only where the policy allows unsigned builds.
 */
export async function verifyKeptReleases(
  steps: readonly RollbackStep[],
  keptOf: (step: RollbackStep) => KeptRelease | undefined,
  policy: TrustPolicy,
): Promise<RollbackRefusal[]> {
  const refusals: RollbackRefusal[] = [];
  const work = await mkdtemp(join(tmpdir(), 'edgeship-rollback-verify-'));
  const verdicts = new Map<string, Verdict>();
  try {
    for (const step of steps) {
      const kept = keptOf(step);
      const refuse = (why: string) =>
        refusals.push({
          service: step.service,
          node: step.node,
          reason: `${step.node}: release ${step.to} ${why}`,
        });
      if (!kept?.record || !kept.signature) {
        if (policy.isSignatureRequired)
          refuse(
            `was deployed unsigned, and signatures are required (${policy.why}); deploy a signed build instead.`,
          );
        continue;
      }
      if (!policy.anchor) {
        refuse('is signed, but there is no trust anchor to verify it with (pipelines/trust/release.pub).');
        continue;
      }
      const key = `${kept.record}\n${kept.signature}`;
      if (!verdicts.has(key)) verdicts.set(key, await verify(work, verdicts.size, kept, policy));
      const verdict = verdicts.get(key)!;
      const failure = verdict.failure ?? namesKeptArtifact(verdict.record, kept, step);
      if (failure) refuse(failure);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return refusals;
}

/** A kept record's signature check: the file it was verified as, which its contents are then read from. */
interface Verdict {
  record: string;
  failure?: string;
}

async function verify(work: string, index: number, kept: KeptRelease, policy: TrustPolicy): Promise<Verdict> {
  const record = join(work, `build-${index}.json`);
  await writeFile(record, kept.record!);
  await writeFile(`${record}.sig`, kept.signature!);
  const result = await verifyBlob(policy.anchor!.file, record, `${record}.sig`);
  return result.isVerified
    ? { record }
    : {
        record,
        failure: `has a build record whose signature no longer verifies against the trust anchor ${policy.anchor!.source} (${result.reason || 'cosign verify-blob failed'}); refused.`,
      };
}

/** The verified record must name what the release holds: its artifact's sha256, or a pulled image's digest. */
function namesKeptArtifact(verified: string, kept: KeptRelease, step: RollbackStep): string | undefined {
  const env = kept.env ?? {};
  let record;
  try {
    record = readSignedRecord(verified, `${step.node}:${step.to}/build.json`);
  } catch (error) {
    return `has a signed build record that does not parse: ${(error as Error).message}`;
  }
  const arch = env['EDGESHIP_ARCH'];
  const reference = env['EDGESHIP_IMAGE_REFERENCE'] ?? '';
  const entries = env['EDGESHIP_DELIVERY'] === 'container' ? record.images : record.executables;
  const entry = entries.find((candidate) => candidate.arch === arch);
  const isNamed =
    entry !== undefined &&
    (reference
      ? 'manifestDigest' in entry && reference.endsWith(`@${entry.manifestDigest}`)
      : entry.sha256 === env['EDGESHIP_SHA256']);
  return isNamed
    ? undefined
    : `holds an artifact its signed build record does not name (${env['EDGESHIP_DELIVERY']}/${arch}, sha256 ${env['EDGESHIP_SHA256'] ?? 'unknown'}); refused.`;
}
