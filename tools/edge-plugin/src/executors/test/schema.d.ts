export interface TestExecutorOptions {
  pattern?: string;
  concurrency?: number;
}
