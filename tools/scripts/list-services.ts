import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEdgeshipMarker } from '@edgeship/edge-plugin/lib/service-manifest';

/** Services are the packages whose edgeship marker says so, read as the plugin infers them. */
export function listServices(workspaceRoot: string): string[] {
  return readdirSync(join(workspaceRoot, 'packages'))
    .filter((name) => {
      const file = join('packages', name, 'package.json');
      if (!existsSync(join(workspaceRoot, file))) return false;
      const manifest = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as Record<string, unknown>;
      return readEdgeshipMarker(manifest, file)?.kind === 'service';
    })
    .sort();
}
