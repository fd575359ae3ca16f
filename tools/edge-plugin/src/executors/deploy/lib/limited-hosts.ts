import { ConfigError, runCommand } from '@edgeship/edge-common';
import type { NormalizedDeployOptions } from './ansible-args';
import { displayPath } from './display-path';

/** The host lines of `ansible --list-hosts`: a "hosts (N):" header, then one indented name per line. */
export function parseListedHosts(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => !/^\s*hosts \(\d+\):/.test(line))
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The nodes a deploy with --limit targets. Only Ansible knows its pattern language (groups, globs, `!`, `&`),
 * so it is asked; without this, every node outside the limit would be reported "not reached".
 */
export async function listLimitedHosts(
  options: Pick<NormalizedDeployOptions, 'hosts' | 'inventories' | 'playbookDir' | 'workspaceRoot'>,
  limit: string,
): Promise<string[]> {
  const args = [
    options.hosts,
    ...options.inventories.flatMap((inventory) => ['--inventory', inventory]),
    '--limit',
    limit,
    '--list-hosts',
  ];
  const listed = await runCommand('ansible', args, { cwd: options.playbookDir, check: false });
  if (listed.exitCode !== 0) {
    throw new ConfigError(
      options.inventories.map((file) => displayPath(options.workspaceRoot, file)).join(', '),
      '--limit',
      limit,
      `No node of ${options.hosts} there matches it (${listed.stderr.trim().split('\n').pop()}). Give host names or groups of the inventory.`,
    );
  }
  return parseListedHosts(listed.stdout);
}
