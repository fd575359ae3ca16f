import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseNxOutput, stripAnsi } from './nx-output';

// Excerpts of real nx 24 output (--outputStyle=stream), trimmed of the tools' own lines.
const MIXED_FAILED = `
 NX   Running targets format, test for 2 projects:

- hello-edge
- service-kit

> nx run service-kit:test  [existing outputs match the cache, left as is]

▸ packages/service-kit: 8 spec file(s)

> nx run hello-edge:test  [local cache]

> nx run service-kit:format

> nx run hello-edge:format

hello-edge: ✖ prettier failed
hello-edge: [\u001b[33mwarn\u001b[39m] packages/hello-edge/src/app.spec.ts

 NX   Running targets format, test for 2 projects failed

Failed tasks:

- hello-edge:format
- service-kit:format

  Run duration:      6.8s
`;

const ALL_CACHED = `
 NX   Running target test for project hello-edge:

- hello-edge

> nx run hello-edge:test  [existing outputs match the cache, left as is]

 NX   Successfully ran target test for project hello-edge

Nx read the output from the cache instead of running the command for 1 out of 1 tasks.

  Cache:             1/1 hit (100%)
`;

describe('parseNxOutput', () => {
  it('counts tasks, cache hits and failed tasks', () => {
    const figures = parseNxOutput(MIXED_FAILED);
    assert.deepEqual(figures.tasks, [
      'service-kit:test',
      'hello-edge:test',
      'service-kit:format',
      'hello-edge:format',
    ]);
    assert.deepEqual(figures.cachedTasks, ['service-kit:test', 'hello-edge:test']);
    assert.deepEqual(figures.failedTasks, ['hello-edge:format', 'service-kit:format']);
  });

  it('reads a run where everything came from the cache', () => {
    assert.deepEqual(parseNxOutput(ALL_CACHED), {
      tasks: ['hello-edge:test'],
      cachedTasks: ['hello-edge:test'],
      failedTasks: [],
    });
  });

  it('reads "No tasks were run" as nothing affected, and the list of projects as no tasks', () => {
    assert.deepEqual(parseNxOutput('\n\n NX   No tasks were run\n\n'), {
      tasks: [],
      cachedTasks: [],
      failedTasks: [],
    });
  });

  it('reads headers that carry forwarded options', () => {
    const figures = parseNxOutput(
      '> nx run a:deploy --inventory=/x/y.yml\n> nx run b:format --foo=1  [existing outputs match the cache, left as is]\n',
    );
    assert.deepEqual(figures.tasks, ['a:deploy', 'b:format']);
    assert.deepEqual(figures.cachedTasks, ['b:format']);
  });

  it('counts a task once even when its header is printed again', () => {
    assert.deepEqual(parseNxOutput('> nx run a:test\n> nx run a:test\n').tasks, ['a:test']);
  });

  it('reads colored headers', () => {
    assert.deepEqual(
      parseNxOutput('\u001b[2m> \u001b[22mnx run a:bundle  \u001b[2m[local cache]\u001b[22m\n').cachedTasks,
      ['a:bundle'],
    );
    assert.equal(stripAnsi('\u001b[1mx\u001b[22m'), 'x');
  });

  it('reads the tasks of a batch executor run (no "> nx run" header per task)', () => {
    const batch = `
 NX   Running target deploy for 2 projects:

- hello-edge
- telemetry-gateway

With additional flags:
  --inventory=/work/main/.edgeship/fleet/default/inventory.yml

 NX   Running 2 tasks with @edgeship/edge-plugin:deploy

▸ deploy hello-edge 1.0.0 (binary), telemetry-gateway 1.0.0 (container) to edge, serial 1,100%

 NX   Running target deploy for 2 projects failed

Failed tasks:

- telemetry-gateway:deploy
`;
    assert.deepEqual(parseNxOutput(batch), {
      tasks: ['hello-edge:deploy', 'telemetry-gateway:deploy'],
      cachedTasks: [],
      failedTasks: ['telemetry-gateway:deploy'],
    });
  });

  it('reads a batch of one task, whose run names the project in its header', () => {
    const one = `
 NX   Running target deploy for project new-svc and 4 tasks it depends on:

 NX   Running 1 task with @edgeship/edge-plugin:deploy

 NX   Successfully ran target deploy for project new-svc and 4 tasks it depends on
`;
    assert.deepEqual(parseNxOutput(one).tasks, ['new-svc:deploy']);
  });
});
