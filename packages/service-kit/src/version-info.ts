// Replaced at bundle time by esbuild `define: { __EDGESHIP_REVISION__: '"<git sha>"' }`; absent when run from source.
declare const __EDGESHIP_REVISION__: string | undefined;

export interface VersionInfo {
  name: string;
  version: string;
  revision: string;
  arch: string;
  node: string;
}

function readBuildRevision(): string | undefined {
  return typeof __EDGESHIP_REVISION__ === 'string' && __EDGESHIP_REVISION__
    ? __EDGESHIP_REVISION__
    : undefined;
}

/** The deployment may pin the revision through EDGESHIP_REVISION; otherwise the one baked into the bundle wins. */
export function resolveVersionInfo(name: string, version: string, env: NodeJS.ProcessEnv): VersionInfo {
  const revision = env.EDGESHIP_REVISION?.trim() || readBuildRevision() || 'unknown';
  return { name, version, revision, arch: process.arch, node: process.version };
}
