import { runCommand } from '@edgeship/edge-common';

/** The engine's id of an image (its config digest), or undefined when the engine does not have it. */
export async function readImageId(reference: string): Promise<string | undefined> {
  const result = await runCommand('docker', ['image', 'inspect', '--format', '{{.Id}}', reference], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function loadDockerArchive(archive: string): Promise<void> {
  await runCommand('docker', ['load', '--input', archive], { timeoutMs: 10 * 60_000 });
}

/**
 * `docker` arguments that address one engine: a docker context by name, or an engine URL (ssh://, unix://).
 * None for the current engine.
 */
export function engineArgs(engine?: string): string[] {
  if (engine === undefined) return [];
  return engine.includes('://') ? ['--host', engine] : ['--context', engine];
}

/** `engine`: the one the image is in (a remote builder's own engine); default the current one. */
export async function saveImage(reference: string, output: string, engine?: string): Promise<void> {
  await runCommand('docker', [...engineArgs(engine), 'save', '--output', output, reference], {
    timeoutMs: 10 * 60_000,
  });
}

/** Removes one tag we made; the layers stay while another image uses them. */
export async function removeImageTag(reference: string, engine?: string): Promise<void> {
  await runCommand('docker', [...engineArgs(engine), 'image', 'rm', '--no-prune', reference], {
    check: false,
  });
}
