export interface FormatExecutorOptions {
  fix?: boolean;
}
