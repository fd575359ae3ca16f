import { spawnSync } from 'node:child_process';

/**
 * An interactive ssh session needs our terminal as its stdin, which runCommand (captured pipes,
 * string input) cannot give; this is the one spawn outside it, and it only ever runs `ssh`.
 */
export function runInteractiveSsh(args: readonly string[]): number {
  const result = spawnSync('ssh', args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}
