import { join, relative } from 'node:path';
import { listProductionPackages } from './native-addons';

/**
 * What a service's bundle and image are made of, relative to the workspace: the project, the workspace
 * libraries it uses, the root manifest. Their last commit is the build's revision (lib/source-revision.ts).
 */
export function sourcePaths(workspaceRoot: string, projectRoot: string): string[] {
  const libraries = listProductionPackages(join(workspaceRoot, projectRoot), workspaceRoot)
    .map((node) => relative(workspaceRoot, node.dir))
    .filter((dir) => !dir.startsWith('..') && !dir.split('/').includes('node_modules'));
  return [projectRoot, ...libraries, 'package.json'];
}
