import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildAffectedGraphArgs, readAffectedProjects } from './affected-tasks';

const scope = { kind: 'affected', base: 'main', baseSha: 'b'.repeat(40), reason: '' } as const;
const task = (project: string, target: string) => ({
  id: `${project}:${target}`,
  target: { project, target },
});

describe('buildAffectedGraphArgs', () => {
  it('asks for every stage target in one call and writes the task graph instead of running it', () => {
    assert.deepEqual(buildAffectedGraphArgs(['format', 'test'], scope, '/tmp/g.json'), [
      'affected',
      '-t',
      'format',
      'test',
      `--base=${'b'.repeat(40)}`,
      '--graph=/tmp/g.json',
    ]);
    assert.ok(
      buildAffectedGraphArgs(['test'], { ...scope, head: 'HEAD' }, '/g.json').includes('--head=HEAD'),
    );
  });
});

describe('readAffectedProjects', () => {
  it('lists, per target, the projects with a task in the graph, dependencies included', () => {
    const graph = {
      graph: { nodes: {} },
      tasks: {
        tasks: {
          'a:format': task('a', 'format'),
          'a:bundle': task('a', 'bundle'),
          // a dependency of a:bundle, not affected itself: it runs in the lock stage
          'a:lock': task('a', 'lock'),
          'lib:format': task('lib', 'format'),
          'other:build': task('other', 'build'),
        },
      },
    };
    assert.deepEqual(readAffectedProjects(graph, ['format', 'lock', 'test', 'bundle']), {
      format: ['a', 'lib'],
      lock: ['a'],
      test: [],
      bundle: ['a'],
    });
  });

  it('gives every target an empty list when nothing is affected', () => {
    assert.deepEqual(readAffectedProjects({ tasks: { tasks: {} } }, ['format', 'test']), {
      format: [],
      test: [],
    });
  });

  it('refuses a file without a task graph rather than reading it as nothing affected', () => {
    assert.throws(() => readAffectedProjects({ graph: {} }, ['format']), /holds no task graph/);
  });
});
