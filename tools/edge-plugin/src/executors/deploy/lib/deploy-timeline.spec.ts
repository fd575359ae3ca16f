import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeTimeline, type TimelineEntry } from './deploy-timeline';

const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  ...{ service: 'svc', file: 'install', task: 'edge_service : a task', action: 'command' },
  ...{ start: 0, seconds: 0.1, status: 'ok', changed: false },
  ...over,
});

describe('describeTimeline', () => {
  it('groups one service’s tasks into steps on the run’s time axis, with the probe and the gates', () => {
    const timeline: TimelineEntry[] = [
      entry({ service: null, file: 'deploy', action: 'edge_node_probe', start: 0.1, seconds: 0.3 }),
      entry({ file: 'settled', action: 'set_fact', start: 0.9, seconds: 0.1 }),
      entry({ service: 'other', file: 'settled', start: 1.0, seconds: 0.1 }),
      entry({ file: 'deploy', action: 'validate_argument_spec', start: 1.2, seconds: 0.05 }),
      entry({ file: 'preflight', start: 1.3, seconds: 0.5 }),
      entry({ file: 'install', start: 1.9, seconds: 1, changed: true }),
      entry({ file: 'load-image', start: 2.9, seconds: 1 }),
      entry({ file: 'configure', start: 4, seconds: 0.8, changed: true }),
      entry({
        ...{
          file: 'verify',
          action: 'edge_health_gate',
          start: 5,
          seconds: 6,
          status: 'failed',
          msg: 'no healthy',
        },
        gate: { passed: false, seconds_to_healthy: null, version: null, msg: 'no healthy 2.0.0 within 5s' },
      }),
      entry({ file: 'rollback', action: 'edge_release_activate', start: 11.1, seconds: 1, changed: true }),
      entry({
        ...{ file: 'rollback', action: 'edge_health_gate', start: 12.2, seconds: 0.5 },
        gate: { passed: true, seconds_to_healthy: 0.2, version: '1.0.0', msg: '' },
      }),
      entry({
        file: 'rollback',
        action: 'fail',
        start: 12.8,
        seconds: 0.01,
        status: 'failed',
        msg: 'svc failed',
      }),
      entry({ service: null, file: 'deploy', action: 'fail', start: 13, seconds: 0.01, status: 'failed' }),
    ];
    const { steps, gates } = describeTimeline(timeline, 'svc');
    assert.deepEqual(
      steps.map((step) => [step.step, step.start, step.seconds, step.outcome, step.tasks]),
      [
        ['probe', 0.1, 0.3, 'ok', 1],
        ['check', 0.9, 0.1, 'ok', 1],
        ['preflight', 1.2, 0.6, 'ok', 2],
        ['install', 1.9, 2, 'changed', 2],
        ['switch', 4, 0.8, 'changed', 1],
        ['health gate', 5, 6, 'failed', 1],
        // Failing the service's deploy at its end is the report, not a failed rollback: its gate passed.
        ['rollback', 11.1, 1.71, 'changed', 3],
      ],
    );
    assert.equal(steps[5]!.error, 'no healthy');
    assert.deepEqual(gates, [
      { gate: 'deploy', passed: false, start: 5, seconds: 6, message: 'no healthy 2.0.0 within 5s' },
      { gate: 'rollback', passed: true, start: 12.2, seconds: 0.5, secondsToHealthy: 0.2, version: '1.0.0' },
    ]);
  });

  it('a rollback whose gate did not pass is a failed step; tasks of a step far apart in time are two steps', () => {
    const { steps } = describeTimeline(
      [
        entry({ file: 'settled', action: 'edge_service_settle', start: 0, seconds: 0.1 }),
        entry({ file: 'deploy', action: 'validate_argument_spec', start: 0.2, seconds: 0.1 }),
        entry({ file: 'start-record', start: 0.3, seconds: 0.1 }),
        entry({ file: 'preflight', start: 9, seconds: 0.1 }),
        entry({
          ...{ file: 'rollback', action: 'edge_health_gate', start: 10, seconds: 5 },
          gate: { passed: false, msg: 'no healthy release within 5s' },
        }),
      ],
      'svc',
    );
    assert.deepEqual(
      steps.map((step) => [step.step, step.outcome, step.error]),
      [
        ['check', 'ok', undefined],
        ['preflight', 'ok', undefined],
        ['preflight', 'ok', undefined],
        ['rollback', 'failed', 'no healthy release within 5s'],
      ],
    );
  });

  it("a rollback's record is its preflight, not a check: no first play, no argument check before it", () => {
    const { steps } = describeTimeline(
      [
        entry({ file: 'start-record', start: 0, seconds: 0.1 }),
        entry({ file: 'rollback-on-demand', action: 'edge_release_stage', start: 0.2, seconds: 0.3 }),
      ],
      'svc',
    );
    assert.deepEqual(
      steps.map((step) => step.step),
      ['preflight', 'rollback-on-demand'],
    );
  });

  it('a node that already runs the release: the probe and the check (settled.yml and what it imports)', () => {
    const { steps, gates } = describeTimeline(
      [
        entry({ service: null, file: 'deploy', action: 'edge_node_probe', start: 0, seconds: 0.3 }),
        entry({ file: 'settled', action: 'set_fact', start: 0.5, seconds: 0.01 }),
        entry({ file: 'check-artifact', start: 0.52, seconds: 0.05 }),
        entry({ file: 'settled', action: 'edge_service_settle', start: 0.6, seconds: 0.01 }),
      ],
      'svc',
    );
    assert.deepEqual(
      steps.map((step) => [step.step, step.tasks]),
      [
        ['probe', 1],
        ['check', 3],
      ],
    );
    assert.deepEqual(gates, []);
  });

  it('no timeline (a report from before the callback timed tasks): no steps, no gates', () => {
    assert.deepEqual(describeTimeline(undefined, 'svc'), { steps: [], gates: [] });
  });
});
