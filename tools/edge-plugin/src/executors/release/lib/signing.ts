import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, ToolError, logger, runCommand } from '@edgeship/edge-common';
import { markDevelopmentKey } from '../../../lib/trust-anchor';
import {
  cosignGenerateArgs,
  cosignPublicKeyArgs,
  cosignSignArgs,
  cosignSignBlobArgs,
  cosignVerifyArgs,
  cosignVerifyBlobArgs,
} from './release-args';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
  isNew: boolean;
}

export function keyPairPaths(keyDir: string): { privateKey: string; publicKey: string } {
  return { privateKey: join(keyDir, 'cosign.key'), publicKey: join(keyDir, 'cosign.pub') };
}

/**
 * The project key pair, made on first use where that is allowed (not in CI; password: COSIGN_PASSWORD, empty
 * by default), then checked: decrypting it with the given password before anything is pushed turns a wrong
 * password into an error that leaves the registry untouched.
 */
export async function ensureKeyPair(
  keyDir: string,
  password: string,
  { mayCreate }: { mayCreate: boolean },
): Promise<KeyPair> {
  const paths = keyPairPaths(keyDir);
  const env = { ...process.env, COSIGN_PASSWORD: password };
  let isNew = false;
  if (!existsSync(paths.privateKey)) {
    if (!mayCreate) {
      throw new ConfigError(
        paths.privateKey,
        'cosign.key',
        undefined,
        'Release does not make a key pair here (CI): set EDGESHIP_COSIGN_KEY_DIR to the folder of the project key.',
      );
    }
    if (existsSync(paths.publicKey)) {
      throw new ConfigError(
        paths.publicKey,
        'cosign.key',
        undefined,
        `The public key has no private key beside it. Restore ${paths.privateKey}, or move cosign.pub away to make a new pair.`,
      );
    }
    await mkdir(keyDir, { recursive: true, mode: 0o700 });
    logger.step(`creating the project's signing key pair in ${keyDir}`);
    await runCommand('cosign', cosignGenerateArgs(join(keyDir, 'cosign')), { env, cwd: keyDir });
    await chmod(paths.privateKey, 0o600);
    // Made on the fly, so a development key: the local fleet accepts it, every other inventory refuses it.
    markDevelopmentKey(keyDir);
    isNew = true;
  }
  const check = await runCommand('cosign', cosignPublicKeyArgs(paths.privateKey), { env, check: false });
  if (check.exitCode !== 0)
    throw explainCosignFailure('decrypt the signing key', check.stderr, paths.privateKey);
  if (!existsSync(paths.publicKey)) {
    throw new ConfigError(
      paths.publicKey,
      'public key',
      undefined,
      `Write it with: cosign public-key --key ${paths.privateKey} > ${paths.publicKey}`,
    );
  }
  return { ...paths, isNew };
}

export async function signImage(
  keys: KeyPair,
  reference: string,
  password: string,
  isInsecure: boolean,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const result = await runCommand('cosign', cosignSignArgs(keys.privateKey, reference, isInsecure), {
    env: { ...env, COSIGN_PASSWORD: password },
    check: false,
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0) throw explainCosignFailure(`sign ${reference}`, result.stderr, keys.privateKey);
}

/** Writes <file>.sig: the project key's signature over exactly these bytes. */
export async function signBlob(keys: KeyPair, file: string, password: string): Promise<string> {
  const signature = `${file}.sig`;
  const result = await runCommand('cosign', cosignSignBlobArgs(keys.privateKey, file, signature), {
    env: { ...process.env, COSIGN_PASSWORD: password },
    check: false,
  });
  if (result.exitCode !== 0) throw explainCosignFailure(`sign ${file}`, result.stderr, keys.privateKey);
  return signature;
}

/** True when <signature> is a signature by this public key over the file's bytes; cosign's reason otherwise. */
export async function verifyBlob(
  publicKey: string,
  file: string,
  signature: string,
): Promise<{ isVerified: boolean; reason: string }> {
  const result = await runCommand('cosign', cosignVerifyBlobArgs(publicKey, file, signature), {
    check: false,
  });
  return { isVerified: result.exitCode === 0, reason: result.stderr.trim().split('\n').pop() ?? '' };
}

/** True only when cosign verified a signature by this public key on exactly this digest. */
export async function verifyImage(
  keys: KeyPair,
  reference: string,
  isInsecure: boolean,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const result = await runCommand('cosign', cosignVerifyArgs(keys.publicKey, reference, isInsecure), {
    env,
    check: false,
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0)
    throw explainCosignFailure(`verify the signature of ${reference}`, result.stderr, keys.publicKey);
  return isVerifiedFor(result.stdout, reference.split('@')[1] ?? '');
}

/** cosign verify --output=json prints the verified payloads; each must name the digest we asked about. */
export function isVerifiedFor(stdout: string, digest: string): boolean {
  try {
    const payloads = JSON.parse(stdout) as { critical?: { image?: { 'docker-manifest-digest'?: string } } }[];
    return (
      payloads.length > 0 && payloads.every((p) => p.critical?.image?.['docker-manifest-digest'] === digest)
    );
  } catch {
    return false;
  }
}

/** cosign's own words stay attached; the first line says what to do. */
export function explainCosignFailure(action: string, stderr: string, keyFile: string): Error {
  if (/decrypt|incorrect passphrase|invalid password|encrypted/i.test(stderr)) {
    return new ToolError(
      `cannot ${action}: wrong password for ${keyFile}. Set COSIGN_PASSWORD to the password the key was created with (empty by default).`,
      `cosign (${action})`,
      1,
      stderr,
    );
  }
  if (/no matching signatures|no signatures found/i.test(stderr)) {
    return new ToolError(
      `cannot ${action}: no signature by ${keyFile} on that digest.`,
      `cosign (${action})`,
      1,
      stderr,
    );
  }
  return new ToolError(`cosign could not ${action}.`, `cosign (${action})`, 1, stderr);
}
