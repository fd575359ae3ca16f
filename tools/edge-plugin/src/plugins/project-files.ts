/**
 * The files that make a folder a project this plugin infers targets for:
 * - packages/<name>/package.json: a service or a library, told apart by its `edgeship` marker;
 * - tools/<name>/ with a package.json (a workspace package) or a project.json, and a top-level folder
 *   with a project.json (pipelines/, playbooks/): the toolkit, which gets format and test.
 * A new tools/<name> package is picked up by its package.json alone.
 */
export const PROJECT_FILES_GLOB =
  '{packages/*/package.json,tools/*/package.json,tools/*/project.json,*/project.json}';

export type ProjectKind = 'package' | 'toolkit';

/** What a file matched by PROJECT_FILES_GLOB (a workspace-relative path) makes of its folder. */
export function projectKindOf(file: string): ProjectKind | undefined {
  const parts = file.split('/');
  if (parts.length === 3 && parts[0] === 'packages' && parts[2] === 'package.json') return 'package';
  if (parts.length === 3 && parts[0] === 'tools' && isProjectFile(parts[2])) return 'toolkit';
  if (parts.length === 2 && parts[0] !== 'packages' && parts[1] === 'project.json') return 'toolkit';
  return undefined;
}

function isProjectFile(name: string | undefined): boolean {
  return name === 'package.json' || name === 'project.json';
}
