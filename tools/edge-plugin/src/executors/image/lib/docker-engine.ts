import { runCommand } from '../../../lib/run-command';

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

export async function saveImage(reference: string, output: string): Promise<void> {
  await runCommand('docker', ['save', '--output', output, reference], { timeoutMs: 10 * 60_000 });
}

/** Removes one tag we made; the layers stay while another image uses them. */
export async function removeImageTag(reference: string): Promise<void> {
  await runCommand('docker', ['image', 'rm', '--no-prune', reference], { check: false });
}
