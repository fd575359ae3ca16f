/** Command lines of the release, built without spawning anything (unit-tested). */

export interface TransportOptions {
  /** Plain HTTP or unverified TLS: only for a registry on loopback unless configured. */
  isInsecure: boolean;
  /** A docker config.json holding the credentials, when some were given. */
  authFile?: string;
}

/** Pushes the OCI archive byte for byte (no recompression), so the registry digest is the archive's. */
export function skopeoPushArgs(
  archive: string,
  destination: string,
  digestFile: string,
  transport: TransportOptions,
): string[] {
  return [
    'copy',
    '--retry-times=2',
    `--dest-tls-verify=${!transport.isInsecure}`,
    ...(transport.authFile ? [`--dest-authfile=${transport.authFile}`] : []),
    `--digestfile=${digestFile}`,
    `oci-archive:${archive}`,
    `docker://${destination}`,
  ];
}

/** Points a tag at a manifest already in the registry, refusing any change of its digest. */
export function skopeoRetagArgs(source: string, destination: string, transport: TransportOptions): string[] {
  const tls = `${!transport.isInsecure}`;
  return [
    'copy',
    '--all',
    '--preserve-digests',
    `--src-tls-verify=${tls}`,
    `--dest-tls-verify=${tls}`,
    ...(transport.authFile
      ? [`--src-authfile=${transport.authFile}`, `--dest-authfile=${transport.authFile}`]
      : []),
    `docker://${source}`,
    `docker://${destination}`,
  ];
}

export function skopeoDigestArgs(reference: string, transport: TransportOptions): string[] {
  return [
    'inspect',
    '--format',
    '{{.Digest}}',
    `--tls-verify=${!transport.isInsecure}`,
    ...(transport.authFile ? [`--authfile=${transport.authFile}`] : []),
    `docker://${reference}`,
  ];
}

/** The multi-arch manifest list over the per-arch digests (never over tags that could move meanwhile). */
export function imagetoolsCreateArgs(tag: string, sources: readonly string[], builder?: string): string[] {
  return [
    'buildx',
    'imagetools',
    'create',
    ...(builder ? ['--builder', builder] : []),
    '--tag',
    tag,
    ...sources,
  ];
}

export function imagetoolsDigestArgs(reference: string, builder?: string): string[] {
  return [
    'buildx',
    'imagetools',
    'inspect',
    ...(builder ? ['--builder', builder] : []),
    '--format',
    '{{json .Manifest}}',
    reference,
  ];
}

export function cosignGenerateArgs(keyPrefix: string): string[] {
  return ['generate-key-pair', `--output-key-prefix=${keyPrefix}`];
}

/** Decrypts the private key without touching any registry: a wrong password fails here, before a push. */
export function cosignPublicKeyArgs(privateKey: string): string[] {
  return ['public-key', `--key=${privateKey}`];
}

/**
 * Signs the manifest list and, --recursive, each platform manifest, so a node pulling one arch by digest
 * can verify it too. No transparency log: the signature is verified offline with the project key.
 */
export function cosignSignArgs(privateKey: string, reference: string, isInsecure: boolean): string[] {
  return [
    'sign',
    '--yes',
    `--key=${privateKey}`,
    '--tlog-upload=false',
    '--recursive',
    ...(isInsecure ? ['--allow-insecure-registry', '--allow-http-registry'] : []),
    reference,
  ];
}

export function cosignVerifyArgs(publicKey: string, reference: string, isInsecure: boolean): string[] {
  return [
    'verify',
    `--key=${publicKey}`,
    '--insecure-ignore-tlog=true',
    ...(isInsecure ? ['--allow-insecure-registry', '--allow-http-registry'] : []),
    '--output=json',
    reference,
  ];
}

/** Signs a file (the build record, the SBOM) with the project key; offline: no transparency log here. */
export function cosignSignBlobArgs(privateKey: string, file: string, signature: string): string[] {
  return [
    'sign-blob',
    `--key=${privateKey}`,
    '--tlog-upload=false',
    `--output-signature=${signature}`,
    '--yes',
    file,
  ];
}

export function cosignVerifyBlobArgs(publicKey: string, file: string, signature: string): string[] {
  return [
    'verify-blob',
    `--key=${publicKey}`,
    `--signature=${signature}`,
    '--insecure-ignore-tlog=true',
    file,
  ];
}
