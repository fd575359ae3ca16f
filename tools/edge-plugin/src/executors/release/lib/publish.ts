import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolError, runCommand } from '@edgeship/edge-common';
import {
  imagetoolsCreateArgs,
  imagetoolsDigestArgs,
  skopeoDigestArgs,
  skopeoPushArgs,
  skopeoRetagArgs,
  type TransportOptions,
} from './release-args';

/** Pushes one archive; the digest the registry stored must be the one the image target recorded. */
export async function pushArchive(
  archive: string,
  destination: string,
  expectedDigest: string,
  workDir: string,
  transport: TransportOptions,
): Promise<void> {
  const digestFile = join(workDir, `digest-${Date.now()}`);
  const result = await runCommand('skopeo', skopeoPushArgs(archive, destination, digestFile, transport), {
    check: false,
    timeoutMs: 30 * 60_000,
  });
  if (result.exitCode !== 0) {
    throw new ToolError(
      `the registry refused the push of ${destination}${explainPushFailure(result.stderr)}`,
      `skopeo copy … docker://${destination}`,
      result.exitCode,
      result.stderr,
    );
  }
  const pushed = (await readFile(digestFile, 'utf8')).trim();
  if (pushed !== expectedDigest) {
    throw new Error(
      `the registry stored ${destination} as ${pushed}, not as the built ${expectedDigest}; the archive was changed or converted`,
    );
  }
}

export function explainPushFailure(stderr: string): string {
  if (/unauthorized|authentication required|\b401\b/i.test(stderr))
    return ': unauthorized (set EDGESHIP_REGISTRY_USER and EDGESHIP_REGISTRY_PASSWORD)';
  if (/denied|forbidden|\b403\b/i.test(stderr)) return ': access denied for these credentials';
  if (/read-only|readonly|\b405\b|method not allowed|unsupported/i.test(stderr))
    return ': the registry is read-only or does not accept pushes';
  if (/connection refused|no such host|timeout/i.test(stderr)) return ': the registry cannot be reached';
  return '';
}

/** The manifest list over the per-arch digests, under a staging tag; returns its digest. */
export async function createManifestList(
  stagingRef: string,
  sources: readonly string[],
  env: NodeJS.ProcessEnv,
  builder?: string,
): Promise<string> {
  await runCommand('docker', imagetoolsCreateArgs(stagingRef, sources, builder), {
    env,
    timeoutMs: 10 * 60_000,
  });
  const inspected = await runCommand('docker', imagetoolsDigestArgs(stagingRef, builder), { env });
  const digest = (JSON.parse(inspected.stdout) as { digest?: string }).digest;
  if (!digest?.startsWith('sha256:'))
    throw new Error(`imagetools inspect ${stagingRef} gave no digest: ${inspected.stdout}`);
  return digest;
}

/** Points `destination` (a tag) at the manifest `source` (by digest), then checks that it does. */
export async function moveTag(
  source: string,
  destination: string,
  expectedDigest: string,
  transport: TransportOptions,
): Promise<void> {
  await runCommand('skopeo', skopeoRetagArgs(source, destination, transport), { timeoutMs: 10 * 60_000 });
  const now = (await runCommand('skopeo', skopeoDigestArgs(destination, transport))).stdout.trim();
  if (now !== expectedDigest)
    throw new Error(`${destination} points at ${now} after the move, not at ${expectedDigest}`);
}

/** The digest a tag points at now, or undefined when it does not exist. */
export async function readTagDigest(
  reference: string,
  transport: TransportOptions,
): Promise<string | undefined> {
  const result = await runCommand('skopeo', skopeoDigestArgs(reference, transport), { check: false });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}
