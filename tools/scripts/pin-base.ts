// `npm run pin-base -- [--write]`: builds the base rootfs tar of every image platform from Debian's packages
// (as the image target does, in a temporary folder) and prints its sha256 and package versions; --write
// records them in tools/edge-plugin/src/executors/image/lib/pinned-bases.json. Review the diff: from then on,
// the image target uses only a base with those bytes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBaseTarball } from '@edgeship/edge-plugin/executors/image/lib/base-image';
import {
  BASE_PINS_FILE,
  recordBasePins,
  type BasePin,
} from '@edgeship/edge-plugin/executors/image/lib/base-pins';
import { computeBaseHash } from '@edgeship/edge-plugin/executors/image/lib/base-rootfs';
import { PLATFORMS } from '@edgeship/edge-plugin/executors/image/lib/platforms';
import { reportError, logger } from '@edgeship/edge-common';

async function main(args: string[]): Promise<number> {
  const pins: Record<string, BasePin> = {};
  const work = await mkdtemp(join(tmpdir(), 'edgeship-pin-base-'));
  try {
    for (const platform of Object.values(PLATFORMS)) {
      const key = `${platform.debArch}-${computeBaseHash(platform.debArch)}`;
      pins[key] = await buildBaseTarball(platform, join(work, `${key}.tar`));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify(pins, null, 2));
  if (args.includes('--write')) {
    await writeFile(BASE_PINS_FILE, recordBasePins(await readFile(BASE_PINS_FILE, 'utf8'), pins));
    logger.step(`recorded in ${BASE_PINS_FILE}; review and commit it`);
  } else {
    logger.step(`add --write to record this in ${BASE_PINS_FILE}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(reportError(error)),
);
