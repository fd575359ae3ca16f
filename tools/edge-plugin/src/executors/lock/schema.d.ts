export interface LockExecutorOptions {
  outputPath?: string;
  skipInstallCheck?: boolean;
}
