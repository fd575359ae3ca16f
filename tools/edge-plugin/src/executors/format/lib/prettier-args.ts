/**
 * Arguments for the Prettier CLI: check (or write) everything below the project root. No colour:
 * the output is parsed, and CI terminals (or FORCE_COLOR) would wrap `[warn]` in escape codes.
 */
export function prettierArgs(projectRoot: string, fix: boolean): string[] {
  return [fix ? '--write' : '--check', '--no-color', '--log-level', fix ? 'log' : 'warn', projectRoot];
}

/**
 * Prettier's --check prints one `[warn] <file>` line per unformatted file, then a summary
 * line that also starts with [warn]; keep only the file names.
 */
export function parseUnformattedFiles(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.match(/^\[warn\] (.+)$/)?.[1]?.trim())
    .filter(
      (file): file is string => !!file && !/^Code style issues/.test(file) && !/Run Prettier/.test(file),
    );
}
