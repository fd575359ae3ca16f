import type { CreateNodesContextV2, TargetConfiguration, Tree } from '@nx/devkit';
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { globAsync } from 'nx/src/devkit-exports';
import { findSpecFiles, WORKSPACE_SPEC_FOLDERS } from '../executors/test/lib/find-spec-files';
import { WORKSPACE_ROOT } from '@edgeship/edge-common/testing';
import { createNodesV2 } from './plugin';

/** createNodes on the given project files: each project root with its inferred targets. */
async function inferProjects(
  workspaceRoot: string,
  files: string[],
): Promise<Map<string, Record<string, TargetConfiguration>>> {
  const [, createNodes] = createNodesV2;
  const context: CreateNodesContextV2 = { workspaceRoot, nxJsonConfiguration: {} };
  const projects = new Map<string, Record<string, TargetConfiguration>>();
  for (const [, result] of await createNodes(files, undefined, context)) {
    for (const [root, project] of Object.entries(result.projects ?? {})) {
      projects.set(root, { ...projects.get(root), ...project.targets });
    }
  }
  return projects;
}

describe('createNodes', () => {
  it('gives a new tools package format and test from its package.json alone, and services all their targets', async () => {
    const root = mkdtempSync(join(tmpdir(), 'edgeship-plugin-'));
    try {
      const write = (file: string, content: object) => {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), JSON.stringify(content));
      };
      write('tools/new-tool/package.json', { name: '@edgeship/new-tool', version: '0.1.0' });
      write('packages/svc/package.json', {
        name: 'svc',
        version: '1.0.0',
        edgeship: { kind: 'service', port: 8101 },
      });
      const projects = await inferProjects(root, [
        'tools/new-tool/package.json',
        'packages/svc/package.json',
      ]);
      const tool = projects.get('tools/new-tool')!;
      assert.deepEqual(Object.keys(tool).sort(), ['format', 'test']);
      assert.equal(tool.test!.executor, '@edgeship/edge-plugin:test');
      assert.deepEqual(tool.test!.options, { concurrency: 1 });
      assert.equal(tool.test!.cache, false);
      assert.equal(tool.test!.parallelism, false);
      assert.deepEqual(tool.format, projects.get('packages/svc')!.format);
      assert.ok(['lock', 'bundle', 'image', 'deploy'].every((name) => name in projects.get('packages/svc')!));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("runs, through the projects' test targets, every spec file npm test runs, each once", async () => {
    // The files Nx hands the plugin in this workspace (the same glob, through Nx's own file index).
    const workspace = { root: WORKSPACE_ROOT, listChanges: () => [] } as unknown as Tree;
    const files = await globAsync(workspace, [createNodesV2[0]]);
    const owners = new Map<string, string[]>();
    for (const [root, targets] of await inferProjects(WORKSPACE_ROOT, files)) {
      const test = targets['test'];
      if (!test) continue;
      const pattern = (test.options as { pattern?: string } | undefined)?.pattern;
      for (const file of findSpecFiles(join(WORKSPACE_ROOT, root), pattern)) {
        const spec = relative(WORKSPACE_ROOT, file);
        owners.set(spec, [...(owners.get(spec) ?? []), root]);
      }
    }
    const npmTest = WORKSPACE_SPEC_FOLDERS.flatMap((folder) => findSpecFiles(join(WORKSPACE_ROOT, folder)))
      .map((file) => relative(WORKSPACE_ROOT, file))
      .sort();
    assert.deepEqual(
      npmTest.filter((spec) => !owners.has(spec)),
      [],
      'spec files no test target runs: make their folder a project (package.json or project.json)',
    );
    assert.deepEqual(
      [...owners].filter(([, roots]) => roots.length > 1),
      [],
      'spec files two test targets run',
    );
    assert.deepEqual([...owners.keys()].sort(), npmTest);
  });
});
