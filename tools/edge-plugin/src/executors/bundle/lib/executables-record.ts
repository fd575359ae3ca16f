import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeExecutablesRecord, type ExecutablesRecord } from '../../../lib/build-record';
import { ociArch } from '../../../lib/runtime/arch';
import { hashFile } from '../../../lib/sha256';
import type { BuiltExecutable } from './write-executables';

export interface BuildFacts {
  service: string;
  version: string;
  revision: string | undefined;
  node: string;
}

/**
 * The bundle's part of the build record (bin/executables.json): each executable with its sha256, taken from
 * the file just written. Deploy and release hold the executables to it; nothing else describes them. Written
 * with no executables too (a container service with native addons): the record still names the build.
 */
export async function recordExecutables(
  workDir: string,
  facts: BuildFacts,
  executables: readonly BuiltExecutable[],
): Promise<ExecutablesRecord> {
  const record: ExecutablesRecord = {
    schema: 'edgeship.executables/v1',
    service: facts.service,
    version: facts.version,
    ...(facts.revision ? { revision: facts.revision } : {}),
    runtime: { node: facts.node },
    executables: await Promise.all(
      executables.map(async (built) => ({
        arch: ociArch(built.arch),
        file: `bin/${basename(built.file)}`,
        sha256: await hashFile(built.file),
      })),
    ),
  };
  await mkdir(join(workDir, 'bin'), { recursive: true });
  await writeExecutablesRecord(workDir, record);
  return record;
}
