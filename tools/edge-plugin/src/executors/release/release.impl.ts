import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ConfigError, logger, timedStep } from '@edgeship/edge-common';
import { checkSemver } from '../../lib/semver';
import { IMAGE_RECORD, readImageRecord, type PlatformImageRecord } from '../image/lib/image-record';
import { PLATFORMS } from '../image/lib/platforms';
import { checkTools } from '../image/lib/preflight';
import { normalizeReleaseOptions, type NormalizedReleaseOptions } from './lib/normalize-options';
import { createManifestList, moveTag, pushArchive } from './lib/publish';
import { checkRegistryReachable, createAuthConfig, stagingTag } from './lib/registry';
import { buildReleaseRecord, writeReleaseRecord } from './lib/release-record';
import { signBuild } from './lib/sign-build';
import { ensureKeyPair, signImage, verifyImage } from './lib/signing';
import { hashFile } from '../bundle/lib/runtime-cache';
import type { ReleaseExecutorOptions } from './schema';
import { runExecutor } from '../../lib/run-executor';

const RELEASE_TOOLS = [
  { what: 'docker buildx', file: 'docker', args: ['buildx', 'version'] },
  { what: 'skopeo', file: 'skopeo', args: ['--version'] },
  { what: 'cosign', file: 'cosign', args: ['version'] },
];

/**
 * Push by digest (untagged) → manifest list under a unique staging tag → sign by digest → verify →
 * only then move the release tags.
 * Any failure before the move leaves the release tag where it was; everything checked that can be
 * (tools, registry, key password) is checked before the first push.
 */
export default async function releaseExecutor(
  options: ReleaseExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  let workDir: string | undefined;
  let disposeAuth: (() => Promise<void>) | undefined;
  return runExecutor(async () => {
    const normalized = normalizeReleaseOptions(options, context);
    const record = await readImageRecord(normalized.imageDir);
    // The record's version becomes the tag: checked like any version, before anything is pushed or signed.
    const recordFile = relative(normalized.workspaceRoot, join(normalized.imageDir, IMAGE_RECORD));
    const tag = normalized.tag ?? checkSemver(record.version, recordFile, 'version');
    const images = selectImages(normalized, record.images);
    await checkTools(RELEASE_TOOLS);
    await checkRegistryReachable(normalized.registry);
    const keys = await ensureKeyPair(normalized.keyDir, normalized.keyPassword, {
      mayCreate: normalized.mayCreateKeyPair,
    });
    if (keys.isNew)
      logger.info(
        `  new key pair: ${relative(normalized.workspaceRoot, keys.publicKey)} (keep cosign.key out of git)`,
      );
    const auth = await createAuthConfig(normalized.registry);
    disposeAuth = auth?.dispose;
    const env = auth ? { ...process.env, DOCKER_CONFIG: auth.dir } : process.env;
    const transport = { isInsecure: normalized.registry.isInsecure, authFile: auth?.file };
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-release-'));
    const name = `${normalized.registry.host}/${normalized.repository}`;
    const staging = stagingTag(tag, record.revision);
    const archOf = (image: PlatformImageRecord) =>
      PLATFORMS[image.platform as keyof typeof PLATFORMS].debArch;
    const archTag = (image: PlatformImageRecord) => `${tag}-${archOf(image)}`;

    let moved: string[] = [];
    try {
      for (const image of images) {
        // By digest, untagged: nothing names the new image until the release tags move at the end.
        const destination = `${name}@${image.manifestDigest}`;
        await timedStep(`push ${image.platform} → ${destination}`, () =>
          pushArchive(
            join(normalized.imageDir, image.archive),
            destination,
            image.manifestDigest,
            workDir!,
            transport,
          ),
        );
      }
      const listDigest = await timedStep('manifest list (docker buildx imagetools create)', () =>
        createManifestList(
          `${name}:${staging}`,
          images.map((image) => `${name}@${image.manifestDigest}`),
          env,
          normalized.builder,
        ),
      );
      await timedStep(`cosign sign ${name}@${listDigest.slice(0, 19)}… (recursive)`, () =>
        signImage(keys, `${name}@${listDigest}`, normalized.keyPassword, transport.isInsecure, env),
      );
      const verified = await timedStep('cosign verify', async () => {
        const all = [listDigest, ...images.map((image) => image.manifestDigest)];
        const results = [];
        for (const digest of all)
          results.push(await verifyImage(keys, `${name}@${digest}`, transport.isInsecure, env));
        return results.every(Boolean);
      });
      if (!verified)
        throw new Error(`cosign verified no signature by ${keys.publicKey} on ${name}@${listDigest}`);
      const digests = Object.fromEntries(images.map((image) => [image.platform, image.manifestDigest]));
      const signed = await timedStep('sign the build record (cosign sign-blob) with its SBOM', () =>
        signBuild({
          workspaceRoot: normalized.workspaceRoot,
          distDir: normalized.distDir,
          keys,
          password: normalized.keyPassword,
          released: digests,
        }),
      );
      // Everything the tags will point at is pushed, listed and signed: now (and only now) move them.
      for (const image of images) {
        await moveTag(
          `${name}@${image.manifestDigest}`,
          `${name}:${archTag(image)}`,
          image.manifestDigest,
          transport,
        );
        moved.push(archTag(image));
      }
      await moveTag(`${name}@${listDigest}`, `${name}:${tag}`, listDigest, transport);
      moved = [tag, ...moved];
      const release = buildReleaseRecord({
        service: record.service,
        version: record.version,
        revision: record.revision,
        registry: normalized.registry.host,
        repository: normalized.repository,
        tag,
        manifestDigest: listDigest,
        digests,
        build: { file: 'build.json', sha256: await hashFile(signed.recordFile) },
        sbom: signed.record.sbom!,
        tags: moved,
        signature: {
          verified,
          publicKey: relative(normalized.workspaceRoot, keys.publicKey),
          transparencyLog: false,
        },
        releasedAt: new Date().toISOString(),
      });
      const file = await writeReleaseRecord(normalized.distDir, release);
      logger.table([
        { tag: release.image, digest: listDigest, signed: 'verified' },
        ...images.map((image) => ({
          tag: `${name}:${archTag(image)}`,
          digest: image.manifestDigest,
          signed: 'verified',
        })),
      ]);
      logger.done(`released ${record.service} ${tag}: ${relative(normalized.workspaceRoot, file)}`);
      return { success: true };
    } catch (error) {
      const untouched =
        moved.length === 0 ? `${name}:${tag} was not moved` : `only ${moved.join(', ')} moved`;
      logger.warn(
        `release stopped: ${untouched}; what was pushed is untagged or under the staging tag ${staging} only`,
      );
      throw error;
    }
  }).finally(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
    await disposeAuth?.();
  });
}

function selectImages(
  options: NormalizedReleaseOptions,
  built: PlatformImageRecord[],
): PlatformImageRecord[] {
  const wanted = options.platforms ?? built.map((image) => image.platform);
  return wanted.map((platform) => {
    const image = built.find((candidate) => candidate.platform === platform);
    if (!image || !existsSync(join(options.imageDir, image.archive))) {
      throw new ConfigError(
        join(relative(options.workspaceRoot, options.imageDir), 'image.json'),
        'images',
        platform,
        `No ${platform} image was built; add it to the image target's platforms and rebuild.`,
      );
    }
    return image;
  });
}
