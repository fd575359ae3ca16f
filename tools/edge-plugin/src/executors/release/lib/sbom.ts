import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ConfigError, runCommand } from '@edgeship/edge-common';

export const SBOM_FILE = 'sbom.cdx.json';

/**
 * CycloneDX's own generator over the service's pruned lockfile (dist/<svc>/lock, the lock target's output):
 * what the service ships, production dependencies only, reproducible (no timestamp or serial number), from
 * the lockfile alone (nothing installed).
 */
export function cyclonedxArgs(lockDir: string, outputFile: string): string[] {
  return [
    // The package exports only its index; the CLI sits beside it.
    join(dirname(require.resolve('@cyclonedx/cyclonedx-npm')), 'bin', 'cyclonedx-npm-cli.js'),
    '--package-lock-only',
    '--omit',
    'dev',
    '--output-format',
    'JSON',
    '--output-reproducible',
    '--output-file',
    outputFile,
    join(lockDir, 'package.json'),
  ];
}

/** Writes dist/<svc>/sbom.cdx.json from dist/<svc>/lock; returns its path. */
export async function writeSbom(workspaceRoot: string, distDir: string, service: string): Promise<string> {
  const lockDir = join(distDir, 'lock');
  if (!existsSync(join(lockDir, 'package-lock.json')))
    throw new ConfigError(
      relative(workspaceRoot, join(lockDir, 'package-lock.json')),
      'pruned lockfile',
      undefined,
      `The SBOM is made from it: run nx run ${service}:lock.`,
    );
  const file = join(distDir, SBOM_FILE);
  await runCommand(process.execPath, cyclonedxArgs(lockDir, file), { cwd: lockDir });
  return file;
}
