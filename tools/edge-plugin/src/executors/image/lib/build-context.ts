import { chmod, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderDockerfile } from './dockerfile';
import { linkOrCopy } from './oci-archive';

export interface ContextInputs {
  baseTarball: string;
  node: string;
  bundleDir: string;
  port: number;
  sourceMaps: boolean;
}

/**
 * The build context: base/rootfs.tar, runtime/opt/edgeship/node, app/app/main.js and the Dockerfile.
 * Large inputs are hard links into the caches (no 100 MB copy per build); modes are set explicitly
 * because they end up in the layers.
 */
export async function prepareBuildContext(dir: string, inputs: ContextInputs): Promise<void> {
  await mkdir(join(dir, 'base'), { recursive: true });
  await mkdir(join(dir, 'runtime', 'opt', 'edgeship'), { recursive: true });
  await mkdir(join(dir, 'app', 'app'), { recursive: true });
  await linkOrCopy(inputs.baseTarball, join(dir, 'base', 'rootfs.tar'));
  await linkOrCopy(inputs.node, join(dir, 'runtime', 'opt', 'edgeship', 'node'));
  const files = ['main.js', ...(inputs.sourceMaps ? ['main.js.map'] : [])];
  for (const file of files) {
    await copyFile(join(inputs.bundleDir, file), join(dir, 'app', 'app', file));
    await chmod(join(dir, 'app', 'app', file), 0o644);
  }
  for (const folder of ['runtime', 'runtime/opt', 'runtime/opt/edgeship', 'app', 'app/app']) {
    await chmod(join(dir, folder), 0o755);
  }
  await writeFile(
    join(dir, 'Dockerfile'),
    renderDockerfile({ port: inputs.port, sourceMaps: inputs.sourceMaps }),
  );
}

/**
 * A private folder in the workspace's gitignored .edgeship/tmp, on the same filesystem as dist/,
 * so the finished archives move into dist/ with a rename and a killed run leaves nothing there.
 */
export async function createImageWorkDir(workspaceRoot: string, project: string): Promise<string> {
  const parent = join(workspaceRoot, '.edgeship', 'tmp');
  await mkdir(parent, { recursive: true });
  return mkdtemp(join(parent, `image-${project}-`));
}

export function buildContextDir(platformWorkDir: string): string {
  return join(platformWorkDir, 'context');
}
