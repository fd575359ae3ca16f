export interface BundleExecutorOptions {
  /** Entry point, relative to the project root (default src/main.ts). */
  entry?: string;
  /** Output folder, relative to the workspace root (default dist/<project>). */
  outputPath?: string;
  /** Architectures to build executables for (default arm64 and x64). */
  archs?: ('arm64' | 'x64')[];
  minify?: boolean;
  sourcemap?: boolean;
  /** Packages with native addons the service embeds itself (SEA assets + process.dlopen). */
  allowNativeAddons?: string[];
  /** Start the native executable under systemd-socket-activate and require the runtime contract (default true). */
  checkContract?: boolean;
  /** Bound for READY=1 + /healthz, and for the exit after SIGTERM (default 30000). */
  contractTimeoutMs?: number;
}
