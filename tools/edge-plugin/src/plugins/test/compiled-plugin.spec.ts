import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { copyWorkspaceToThrowawayRepo } from '@edgeship/edge-common/testing';
import { findSpecFiles, WORKSPACE_SPEC_FOLDERS } from '../../executors/test/lib/find-spec-files';

const PLUGIN_SOURCE = 'tools/edge-plugin/src/plugins/plugin.ts';
const BUNDLE = 'tools/edge-plugin/dist/plugin.js';

// Real nx on a throwaway copy of this workspace (no dist/ in it): nx.json's plugin entry serves the
// esbuild bundle of the TypeScript plugin, built on first use and rebuilt when a source changes.
describe('compiled plugin', () => {
  let root: string;
  before(() => {
    root = copyWorkspaceToThrowawayRepo();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function nx(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = spawnSync(join(root, 'node_modules/.bin/nx'), args, {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        NX_CACHE_DIRECTORY: join(root, '.nx/cache'),
        ...env,
      },
    });
    assert.equal(result.status, 0, `nx ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  function describeTargets(env: NodeJS.ProcessEnv = {}): Record<string, string> {
    const project = JSON.parse(nx(['show', 'project', 'hello-edge', '--json'], env)) as {
      targets: Record<string, { metadata?: { description?: string } }>;
    };
    return Object.fromEntries(
      Object.entries(project.targets).map(([name, target]) => [name, target.metadata?.description ?? '']),
    );
  }

  it('nx.json names the JavaScript entry, and the workspace turns plugin isolation off', () => {
    const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as { plugins: string[] };
    assert.deepEqual(nxJson.plugins, ['./tools/edge-plugin/src/plugins/compiled-plugin.js']);
    assert.match(readFileSync(join(root, '.env'), 'utf8'), /^NX_ISOLATE_PLUGINS=false$/m);
  });

  it('builds the bundle on first use and infers every target from it', () => {
    assert.equal(existsSync(join(root, BUNDLE)), false);
    const targets = describeTargets();
    assert.deepEqual(Object.keys(targets).sort(), [
      'bundle',
      'deploy',
      'format',
      'image',
      'lock',
      'logs',
      'release',
      'rollback',
      'status',
      'test',
    ]);
    assert.match(targets.test!, /unit tests/);
    assert.equal(existsSync(join(root, BUNDLE)), true);
  });

  it('serves a change to the TypeScript plugin on the next nx call', () => {
    const source = readFileSync(join(root, PLUGIN_SOURCE), 'utf8');
    const edited = source.replace("Run the project's unit tests (node:test).", 'Edited description.');
    assert.notEqual(edited, source);
    writeFileSync(join(root, PLUGIN_SOURCE), edited);
    assert.equal(describeTargets().test, 'Edited description.');
    assert.match(readFileSync(join(root, BUNDLE), 'utf8'), /Edited description\./);
  });

  it('loads in an isolated plugin worker too (NX_ISOLATE_PLUGINS=true)', () => {
    assert.equal(describeTargets({ NX_ISOLATE_PLUGINS: 'true' }).test, 'Edited description.');
  });

  it('gives the test targets of all projects together exactly the spec files npm test runs', () => {
    const graphFile = join(root, '.nx', 'graph.json');
    nx(['graph', `--file=${graphFile}`]);
    const { graph } = JSON.parse(readFileSync(graphFile, 'utf8')) as {
      graph: {
        nodes: Record<
          string,
          { data: { root: string; targets?: Record<string, { options?: { pattern?: string } }> } }
        >;
      };
    };
    const byTestTargets = Object.values(graph.nodes).flatMap(({ data }) =>
      data.targets?.['test']
        ? findSpecFiles(join(root, data.root), data.targets['test'].options?.pattern)
        : [],
    );
    const byNpmTest = WORKSPACE_SPEC_FOLDERS.flatMap((folder) => findSpecFiles(join(root, folder)));
    // Sorted with repeats: a spec two projects' targets run would show up twice.
    assert.deepEqual(byTestTargets.sort(), byNpmTest.sort());
  });

  it('has no cycle in the project graph: packages import each other one way only', () => {
    const graphFile = join(root, '.nx', 'graph.json');
    nx(['graph', `--file=${graphFile}`]);
    const { graph } = JSON.parse(readFileSync(graphFile, 'utf8')) as {
      graph: { dependencies: Record<string, { target: string }[]> };
    };
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (project: string, path: string[]) => {
      state.set(project, 'open');
      for (const { target } of graph.dependencies[project] ?? []) {
        if (!(target in graph.dependencies)) continue; // an npm package, not a project
        if (state.get(target) === 'open')
          cycles.push([...path.slice(path.indexOf(target)), target].join(' -> '));
        else if (!state.has(target)) visit(target, [...path, target]);
      }
      state.set(project, 'done');
    };
    for (const project of Object.keys(graph.dependencies)) if (!state.has(project)) visit(project, [project]);
    assert.deepEqual(cycles, []);
    // Not vacuous: the toolkit's packages are in the graph with their edges.
    assert.ok(graph.dependencies['edge-plugin']?.some(({ target }) => target === 'edge-common'));
  });

  it("runs the plugin's executors", () => {
    const output = nx(['run', 'hello-edge:format', '--outputStyle=stream', '--skipNxCache']);
    assert.match(output, /hello-edge:format/);
  });
});
