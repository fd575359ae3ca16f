import type { OciArch } from './build-record';
import type { SeaArch } from './runtime/arch';

/**
 * The one spelling of a service's artifact file names: bundle and image write them, the build record lists
 * them (bin/<name>, image/<name>) and deploy sends what the record lists. An executable is named for its
 * Node.js arch (x64), an image archive for its OCI arch (amd64), as each tool calls it.
 */
export function artifactName(service: string, kind: 'executable', arch: SeaArch): string;
export function artifactName(service: string, kind: 'image', arch: OciArch): string;
export function artifactName(service: string, kind: 'executable' | 'image', arch: SeaArch | OciArch): string {
  return `${service}-linux-${arch}${kind === 'image' ? '.tar' : ''}`;
}
