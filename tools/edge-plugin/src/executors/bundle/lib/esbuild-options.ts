import type { BuildOptions } from 'esbuild';

export interface EsbuildInput {
  workspaceRoot: string;
  /** Absolute path of the service's entry point. */
  entry: string;
  /** Absolute path of the bundle to write (…/bundle/main.js). */
  outfile: string;
  /** tsconfig whose `paths` resolve workspace libraries such as @edgeship/service-kit. */
  tsconfig: string | undefined;
  /** The pinned edge runtime: esbuild lowers syntax only as far as that runtime needs. */
  nodeVersion: string;
  minify: boolean;
  sourcemap: boolean;
  /** Read by service-kit's /version when the deployment sets no EDGESHIP_REVISION. */
  revision: string | undefined;
  /** Packages left to node_modules at run time (native addons of a container-delivered service). */
  external?: string[];
}

/** One CommonJS file with every dependency inside: a SEA's require() only reaches Node.js built-ins. */
export function createEsbuildOptions(input: EsbuildInput): BuildOptions & { write: true } {
  return {
    absWorkingDir: input.workspaceRoot,
    entryPoints: [input.entry],
    outfile: input.outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${input.nodeVersion}`,
    tsconfig: input.tsconfig,
    minify: input.minify,
    // Linked, not inline: the executable stays small and `node --enable-source-maps` still finds it.
    sourcemap: input.sourcemap ? 'linked' : false,
    legalComments: 'eof',
    external: input.external ?? [],
    define: { __EDGESHIP_REVISION__: JSON.stringify(input.revision ?? '') },
    logLevel: 'silent',
    metafile: true,
    write: true,
  };
}
