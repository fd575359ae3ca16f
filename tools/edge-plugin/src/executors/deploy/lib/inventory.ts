import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '@edgeship/edge-common';
import { displayPath } from './display-path';

type InventoryGroup = {
  hosts?: Record<string, unknown> | null;
  children?: Record<string, InventoryGroup | null> | null;
};

/**
 * Parses a YAML inventory before Ansible does, so a broken file is named with its line, and lists the hosts
 * of `group`: the report marks the ones the rollout did not reach. INI inventories are left to Ansible.
 */
export function readInventoryHosts(file: string, group: string, workspaceRoot: string): string[] | undefined {
  const shown = displayPath(workspaceRoot, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      shown,
      'inventory',
      undefined,
      'Give an existing inventory file, or bring the local fleet up (edge-fleet up).',
    );
  }
  if (!/\.ya?ml$/.test(file)) return undefined;
  const document = parseDocument(text);
  const [error] = document.errors;
  if (error) {
    const line = error.linePos?.[0].line;
    throw new ConfigError(
      shown,
      `line ${line ?? '?'}`,
      error.code,
      `The inventory is not valid YAML: ${error.message.split('\n')[0]}`,
    );
  }
  const root = document.toJS() as Record<string, InventoryGroup> | null;
  if (!root || typeof root !== 'object' || !root['all']) {
    throw new ConfigError(
      shown,
      'all',
      undefined,
      'An inventory starts with `all:` and lists hosts under all.hosts or all.children.<group>.hosts.',
    );
  }
  const found = findGroup(root['all'], 'all', group);
  return found ? [...collectHosts(found)] : [];
}

function findGroup(
  node: InventoryGroup | null,
  name: string,
  wanted: string,
): InventoryGroup | null | undefined {
  if (name === wanted) return node;
  for (const [childName, child] of Object.entries(node?.children ?? {})) {
    const found = findGroup(child, childName, wanted);
    if (found !== undefined) return found;
  }
  return undefined;
}

function collectHosts(node: InventoryGroup | null, into = new Set<string>()): Set<string> {
  for (const host of Object.keys(node?.hosts ?? {})) into.add(host);
  for (const child of Object.values(node?.children ?? {})) collectHosts(child, into);
  return into;
}
