import { relative } from 'node:path';
import {
  EXECUTABLES_RECORD,
  readBuildRecord,
  writeSignedRecordFile,
  type BuildRecord,
} from '../../../lib/build-record';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import { hashFile } from '../../bundle/lib/runtime-cache';
import { SBOM_FILE, writeSbom } from './sbom';
import { signBlob, verifyBlob, type KeyPair } from './signing';

export interface SignedBuild {
  record: BuildRecord;
  recordFile: string;
  signature: string;
}

/**
 * The build as its parts describe it, plus the SBOM → dist/<svc>/build.json, signed with the project key
 * (build.json.sig) and verified with its public half. The executables are covered exactly like the images:
 * their sha256 sit in the signed record beside the images' manifest digests.
 */
export async function signBuild(input: {
  workspaceRoot: string;
  distDir: string;
  keys: KeyPair;
  password: string;
  /** Platform → manifest digest of what was just pushed and signed in the registry. */
  released: Record<string, string>;
}): Promise<SignedBuild> {
  const { workspaceRoot, distDir, keys } = input;
  const shown = relative(workspaceRoot, distDir);
  const built = readBuildRecord(distDir, shown);
  if (!built)
    throw new ConfigError(
      `${shown}/${EXECUTABLES_RECORD}`,
      'build record',
      undefined,
      'Release signs the whole build: run the bundle target first.',
    );
  for (const [platform, digest] of Object.entries(input.released)) {
    const arch = platform.split('/')[1];
    if (!built.images.some((image) => image.arch === arch && image.manifestDigest === digest))
      throw new ConfigError(
        `${shown}/image/image.json`,
        'images',
        platform,
        `The build record has no ${platform} image with digest ${digest}: the bundle and image outputs are of different builds. Run nx run ${built.service}:image again.`,
      );
  }
  const sbom = await writeSbom(workspaceRoot, distDir, built.service);
  const record: BuildRecord = { ...built, sbom: { file: SBOM_FILE, sha256: await hashFile(sbom) } };
  const recordFile = await writeSignedRecordFile(distDir, record);
  const signature = await signBlob(keys, recordFile, input.password);
  const check = await verifyBlob(keys.publicKey, recordFile, signature);
  if (!check.isVerified)
    throw new ToolError(
      `the signature just made on ${shown}/build.json does not verify with ${keys.publicKey}`,
      'cosign verify-blob',
      1,
      check.reason,
    );
  return { record, recordFile, signature };
}
