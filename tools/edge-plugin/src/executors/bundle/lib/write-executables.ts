import { chmod, copyFile, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { runCommand } from '@edgeship/edge-common';
import { executableName, type SeaArch } from './arch';
import { createSeaConfig, postjectArgs, seaBlobArgs } from './sea-config';

export interface ExecutablesInput {
  service: string;
  /** The bundle (main.js) to embed. */
  bundleFile: string;
  /** Private working folder; executables land in <workDir>/bin. */
  workDir: string;
  /** Stripped runtime per arch, from the cache. */
  runtimes: Partial<Record<SeaArch, string>>;
  /** The runtime that can run on this machine, to write the blob with the same Node.js version. */
  blobRuntime: string;
}

export interface BuiltExecutable {
  arch: SeaArch;
  file: string;
  bytes: number;
}

/** Writes the SEA blob once, then one executable per arch: copy the stripped runtime, inject, chmod. */
export async function writeExecutables(input: ExecutablesInput): Promise<BuiltExecutable[]> {
  const configFile = join(input.workDir, 'sea-config.json');
  const blob = join(input.workDir, 'sea-prep.blob');
  // Paths relative to the work folder: the blob records the main script's path, and a random
  // temp-folder name in it would make every build's executable differ (no reproducible images).
  const main = relative(input.workDir, input.bundleFile);
  await writeFile(
    configFile,
    `${JSON.stringify(createSeaConfig(main, relative(input.workDir, blob)), null, 2)}\n`,
  );
  await runCommand(input.blobRuntime, seaBlobArgs(configFile), { cwd: input.workDir });
  const binDir = join(input.workDir, 'bin');
  await mkdir(binDir, { recursive: true });
  const built: BuiltExecutable[] = [];
  for (const [arch, runtime] of Object.entries(input.runtimes) as [SeaArch, string][]) {
    const file = join(binDir, executableName(input.service, arch));
    // Inject into a .partial copy; only a complete, executable file gets the real name.
    const partial = `${file}.partial`;
    await copyFile(runtime, partial);
    await runCommand(process.execPath, [
      require.resolve('postject/dist/cli.js'),
      ...postjectArgs(partial, blob),
    ]);
    await chmod(partial, 0o755);
    await rename(partial, file);
    built.push({ arch, file, bytes: (await stat(file)).size });
  }
  return built;
}
