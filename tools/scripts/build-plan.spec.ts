import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBuilds } from './build-plan';

const SERVICES = [
  { name: 'hello-edge', delivery: 'binary' as const },
  { name: 'telemetry-gateway', delivery: 'container' as const },
];

describe('planBuilds', () => {
  it('builds no image when the nodes cannot run containers, and deploys every service as an executable', () => {
    const plan = planBuilds(SERVICES, false);
    assert.deepEqual(plan.groups, [{ targets: ['bundle'], services: ['hello-edge', 'telemetry-gateway'] }]);
    assert.equal(plan.delivery, 'binary');
    assert.match(plan.note!, /telemetry-gateway ships as executables \(--delivery=binary\)/);
    assert.equal(
      planBuilds([SERVICES[0]!], false).note,
      undefined,
      'nothing to say without a container service',
    );
  });

  it('builds images only for container services where the nodes can run them or nobody knows yet', () => {
    for (const nodesRunContainers of [true, undefined]) {
      const plan = planBuilds(SERVICES, nodesRunContainers);
      assert.deepEqual(plan.groups, [
        { targets: ['bundle'], services: ['hello-edge'] },
        { targets: ['bundle', 'image'], services: ['telemetry-gateway'] },
      ]);
      assert.equal(plan.delivery, undefined);
    }
  });

  it('keeps one Nx run for services that need the same targets', () => {
    const plan = planBuilds([...SERVICES, { name: 'b', delivery: 'binary' }], true);
    assert.deepEqual(
      plan.groups.map((group) => group.services),
      [['hello-edge', 'b'], ['telemetry-gateway']],
    );
  });
});
