import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Services are the packages whose edgeship marker says so, as the plugin infers them. */
export function listServices(workspaceRoot: string): string[] {
  return readdirSync(join(workspaceRoot, 'packages'))
    .filter((name) => {
      const file = join(workspaceRoot, 'packages', name, 'package.json');
      return existsSync(file) && JSON.parse(readFileSync(file, 'utf8'))?.edgeship?.kind === 'service';
    })
    .sort();
}
