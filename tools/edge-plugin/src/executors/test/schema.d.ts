export interface TestExecutorOptions {
  pattern?: string;
}
