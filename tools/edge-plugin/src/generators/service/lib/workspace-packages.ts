import { readJson, type Tree } from '@nx/devkit';
import { readEdgeshipMarker } from '../../../lib/service-manifest';

export interface WorkspacePackage {
  /** e.g. packages/hello-edge */
  root: string;
  packageName?: string;
  /** Nx project name: package.json nx.name, else the package name. */
  projectName?: string;
  /** edgeship.port of a service. */
  port?: number;
}

const PACKAGE_FOLDERS = ['packages', 'tools'];

/** Every npm workspace package of the tree (packages/*, tools/*), as the generator must not collide with one. */
export function readWorkspacePackages(tree: Tree): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const folder of PACKAGE_FOLDERS) {
    if (!tree.exists(folder)) continue;
    for (const child of tree.children(folder)) {
      const root = `${folder}/${child}`;
      const file = `${root}/package.json`;
      if (!tree.exists(file)) {
        if (!tree.isFile(root)) found.push({ root });
        continue;
      }
      const manifest = readJson<Record<string, any>>(tree, file);
      const packageName = typeof manifest.name === 'string' ? manifest.name : undefined;
      // A broken marker elsewhere already stops every nx command (the plugin reads it the same way).
      const marker = readEdgeshipMarker(manifest, file);
      found.push({
        root,
        packageName,
        projectName: typeof manifest.nx?.name === 'string' ? manifest.nx.name : packageName,
        port: marker?.kind === 'service' ? marker.port : undefined,
      });
    }
  }
  return found;
}
