import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { saveImage } from './docker-engine';
import { createReproducibleTar, extractTar } from './reproducible-tar';
import { LAYER_ROLES, type LayerRole } from '../../../lib/build-record';
import { sha256File } from '../../../lib/sha256';

export interface NormalizedLayer {
  role: LayerRole;
  tar: string;
  diffId: string;
  size: number;
}

export interface NormalizedImage {
  /** The builder's image config, parsed; buildImageConfig keeps what matters from it. */
  builtConfig: Record<string, unknown>;
  layers: NormalizedLayer[];
}

/** Shared layers get a fixed mtime (byte-identical across commits), the service layer the commit's. */
export function layerEpoch(role: LayerRole, sharedEpoch: number, sourceDateEpoch: number): number {
  return role === 'service' ? sourceDateEpoch : sharedEpoch;
}

/**
 * Takes the image the builder loaded (into `engine`, a remote builder's own, or the current one) and rewrites each layer as a reproducible tar (sorted, one mtime,
 * numeric owners): what BuildKit ≥ 0.13 does with rewrite-timestamp=true, done here so that any builder
 * — the engine's BuildKit 0.8, or a remote one — gives the same diff ids for the same inputs.
 */
export async function normalizeBuiltImage(
  reference: string,
  workDir: string,
  epochs: { shared: number; sourceDateEpoch: number },
  engine?: string,
): Promise<NormalizedImage> {
  const saved = join(workDir, 'saved');
  await mkdir(saved, { recursive: true });
  await saveImage(reference, join(workDir, 'saved.tar'), engine);
  await extractTar(join(workDir, 'saved.tar'), saved);
  await rm(join(workDir, 'saved.tar'));
  const [entry] = JSON.parse(await readFile(join(saved, 'manifest.json'), 'utf8')) as {
    Config: string;
    Layers: string[];
  }[];
  if (!entry) throw new Error(`docker save of ${reference} held no image`);
  if (entry.Layers.length !== LAYER_ROLES.length) {
    throw new Error(
      `${reference} has ${entry.Layers.length} layers where the Dockerfile makes ${LAYER_ROLES.length} (base, runtime, service); the builder changed the layering`,
    );
  }
  const builtConfig = JSON.parse(await readFile(join(saved, entry.Config), 'utf8')) as Record<
    string,
    unknown
  >;
  const layers: NormalizedLayer[] = [];
  for (const [index, role] of LAYER_ROLES.entries()) {
    const unpacked = join(workDir, `layer-${role}`);
    await mkdir(unpacked);
    await extractTar(join(saved, entry.Layers[index]!), unpacked);
    const tar = join(workDir, `${role}.tar`);
    await createReproducibleTar(unpacked, tar, layerEpoch(role, epochs.shared, epochs.sourceDateEpoch));
    await rm(unpacked, { recursive: true, force: true });
    layers.push({ role, tar, diffId: await sha256File(tar), size: (await stat(tar)).size });
  }
  await rm(saved, { recursive: true, force: true });
  return { builtConfig, layers };
}
