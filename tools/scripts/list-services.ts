import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEdgeshipMarker, type DeliveryMode } from '@edgeship/edge-plugin/lib/service-manifest';

export interface ListedService {
  name: string;
  delivery: DeliveryMode;
}

/** Services are the packages whose edgeship marker says so, read as the plugin infers them. */
export function listServices(workspaceRoot: string): string[] {
  return listServiceDeliveries(workspaceRoot).map((service) => service.name);
}

/** Every service with the delivery its marker asks for, sorted by name. */
export function listServiceDeliveries(workspaceRoot: string): ListedService[] {
  return readdirSync(join(workspaceRoot, 'packages'))
    .sort()
    .flatMap((name) => {
      const file = join('packages', name, 'package.json');
      if (!existsSync(join(workspaceRoot, file))) return [];
      const manifest = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as Record<string, unknown>;
      const marker = readEdgeshipMarker(manifest, file);
      return marker?.kind === 'service' ? [{ name, delivery: marker.delivery }] : [];
    });
}
