import { writeReleaseVariant } from '@edgeship/edge-plugin/executors/deploy/test/release-variants';

/**
 * What the deploy benchmarks ship to their amd64 nodes: the service's linux-x64 executable with /version
 * answering `version` (a one-line change of the bundle), written under workDir. Returns its artifact directory.
 */
export function writeX64Change(
  workspaceRoot: string,
  service: string,
  version: string,
  workDir: string,
): Promise<string> {
  return writeReleaseVariant({ workspaceRoot, service, version, archs: ['x64'], outDir: workDir });
}
