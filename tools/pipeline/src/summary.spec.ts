import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { PipelineResult, StageResult } from './run-pipeline';
import { summarizeStages, toJsonReport } from './summary';

const stage = (name: string, over: Partial<StageResult>): StageResult => ({
  stage: name,
  command: `nx affected -t ${name}`,
  status: 'ok',
  tasks: [],
  cachedTasks: [],
  executedTasks: [],
  failedTasks: [],
  seconds: 0,
  ...over,
});

const result: PipelineResult = {
  scope: { kind: 'all', reason: '--all', isFallback: false },
  seconds: 12.34,
  failedStage: 'test',
  stages: [
    stage('format', { seconds: 0.3 }),
    stage('lock', {
      tasks: ['a:lock', 'b:lock'],
      cachedTasks: ['a:lock'],
      executedTasks: ['b:lock'],
      seconds: 4.26,
    }),
    stage('test', {
      status: 'failed',
      tasks: ['a:test'],
      executedTasks: ['a:test'],
      failedTasks: ['a:test'],
      seconds: 2,
    }),
    stage('bundle', { status: 'not run' }),
    stage('image', { status: 'skipped', command: 'nothing affected' }),
  ],
};

describe('summary', () => {
  it('has one row per stage with tasks, cache hits, executed, duration and status', () => {
    assert.deepEqual(summarizeStages(result), [
      {
        stage: 'format',
        tasks: 0,
        'cache hits': 0,
        executed: 0,
        duration: '0.3 s',
        status: 'ok (nothing affected)',
      },
      { stage: 'lock', tasks: 2, 'cache hits': 1, executed: 1, duration: '4.3 s', status: 'ok' },
      { stage: 'test', tasks: 1, 'cache hits': 0, executed: 1, duration: '2.0 s', status: 'failed' },
      { stage: 'bundle', tasks: 0, 'cache hits': 0, executed: 0, duration: '-', status: 'not run' },
      {
        stage: 'image',
        tasks: 0,
        'cache hits': 0,
        executed: 0,
        duration: '-',
        status: 'skipped (nothing affected)',
      },
    ]);
  });

  it('totals the figures in the JSON report', () => {
    const report = toJsonReport(result) as Record<string, unknown>;
    assert.equal(report.ok, false);
    assert.equal(report.failedStage, 'test');
    assert.equal(report.tasks, 3);
    assert.equal(report.cacheHits, 1);
    assert.equal(report.executed, 2);
    assert.equal(report.seconds, 12.3);
  });
});
