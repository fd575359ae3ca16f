import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import { chooseTarget, planRollback, versionOf, type ProbedService } from './plan-rollback';

const V1 = '1.0.0-aaaaaaaaaaaa';
const V2 = '1.1.0-bbbbbbbbbbbb';
const V3 = '1.2.0-cccccccccccc';
const release = (name: string, delivery = 'binary') => ({
  name,
  env: { EDGESHIP_VERSION: versionOf({ name }), EDGESHIP_DELIVERY: delivery },
});
const deployed = (from: string, to: string, outcome = 'healthy') => ({
  ...{ at: '2026-12-03T01:00:00Z', action: 'deploy', from, to, outcome },
});

/** A node running `current` (healthy), keeping `kept` newest first. */
function probed(current: string, kept: string[], history: ProbedService['history'] = []): ProbedService {
  const version = versionOf({ name: current });
  return {
    ...{ current_name: current, releases: kept.map((name) => release(name)), history },
    ...{ unit_active: 'active', healthz: 200, version },
  };
}

describe('chooseTarget', () => {
  it('goes back to the release the current one was deployed over, its version and delivery', () => {
    const step = chooseTarget(
      'svc',
      'n1',
      probed(V2, [V2, V1], [deployed('', V1), deployed(V1, V2)]),
      undefined,
    );
    assert.deepEqual(step, {
      ...{ service: 'svc', node: 'n1', from: V2, to: V1, version: '1.0.0', delivery: 'binary' },
      isInPlace: false,
    });
  });

  it('steps further back after a rollback instead of undoing it', () => {
    const history = [deployed('', V1), deployed(V1, V2), deployed(V2, V3)];
    history.push({ ...deployed(V3, V2), action: 'rollback' });
    const step = chooseTarget('svc', 'n1', probed(V2, [V3, V2, V1], history), undefined);
    assert.equal((step as { to: string }).to, V1);
  });

  it('without a history record, takes the newest kept release older than the current one', () => {
    assert.equal((chooseTarget('svc', 'n1', probed(V2, [V3, V2, V1]), undefined) as { to: string }).to, V1);
  });

  it('ignores a failed deploy and a from that is no longer kept', () => {
    const history = [deployed(V3, V2, 'unhealthy'), deployed('1.0.0-dddddddddddd', V2)];
    assert.equal(
      (chooseTarget('svc', 'n1', probed(V2, [V3, V2, V1], history), undefined) as { to: string }).to,
      V1,
    );
  });

  it('refuses when nothing is older than the current release, naming the node and what it keeps', () => {
    assert.deepEqual(chooseTarget('svc', 'n1', probed(V1, [V2, V1], [deployed('', V1)]), undefined), {
      reason: `nothing to roll back to on n1: it keeps ${V2}, ${V1} (current) of svc, none older than the current one; name one with --to`,
    });
    assert.deepEqual(chooseTarget('svc', 'n1', probed(V1, [V1]), undefined), {
      reason: `nothing to roll back to on n1: it keeps only ${V1} (current) of svc`,
    });
  });

  it('refuses a service that is not installed', () => {
    const none = { ...probed('', []), current_name: '' };
    assert.deepEqual(chooseTarget('svc', 'n1', none, undefined), {
      reason: 'svc is not installed on n1 (it keeps no release): nothing to roll back to',
    });
  });

  it('--to: a kept release by id or by version, or a refusal naming the kept ones', () => {
    const node = probed(V2, [V3, V2, V1]);
    assert.equal((chooseTarget('svc', 'n1', node, V3) as { to: string }).to, V3);
    assert.equal((chooseTarget('svc', 'n1', node, '1.0.0') as { to: string }).to, V1);
    assert.deepEqual(chooseTarget('svc', 'n1', node, '0.9.0'), {
      reason: `n1 keeps no release 0.9.0 of svc; it keeps ${V3}, ${V2} (current), ${V1}`,
    });
  });

  it('--to: two builds of one version are ambiguous, unless one is current', () => {
    const twin = '1.0.0-eeeeeeeeeeee';
    assert.match(
      (chooseTarget('svc', 'n1', probed(V2, [twin, V2, V1]), '1.0.0') as { reason: string }).reason,
      /1\.0\.0 names 2 releases of svc on n1 .*: name one by its release id/,
    );
    assert.equal((chooseTarget('svc', 'n1', probed(V1, [twin, V1]), '1.0.0') as { to: string }).to, V1);
  });

  it('--to the current release: in place when healthy (a rerun converges), switched again when not', () => {
    assert.equal(
      (chooseTarget('svc', 'n1', probed(V1, [V2, V1]), V1) as { isInPlace: boolean }).isInPlace,
      true,
    );
    const failed = { ...probed(V1, [V2, V1]), unit_active: 'failed', healthz: 0 };
    assert.equal((chooseTarget('svc', 'n1', failed, V1) as { isInPlace: boolean }).isInPlace, false);
  });
});

describe('planRollback', () => {
  it('a step per service and node, a refusal where there is nothing to go back to, unreachable nodes apart', () => {
    const report: AnsibleReport = {
      hosts: {
        n1: {
          recap: { ok: 1, changed: 0, failures: 0, unreachable: 0, rescued: 0 },
          result: { edge_status: { services: { a: probed(V2, [V2, V1]), b: probed(V1, [V1]) } } } as never,
        },
        n2: {
          recap: { ok: 0, changed: 0, failures: 0, unreachable: 1, rescued: 0 },
          error: { kind: 'unreachable', task: 'probe', msg: 'ssh: connect to host refused' },
        },
      },
    };
    const plan = planRollback(report, [{ name: 'a' }, { name: 'b' }]);
    assert.deepEqual(
      plan.steps.map((step) => [step.service, step.node, step.to]),
      [['a', 'n1', V1]],
    );
    assert.deepEqual(plan.refusals, [
      {
        service: 'b',
        node: 'n1',
        reason: `nothing to roll back to on n1: it keeps only ${V1} (current) of b`,
      },
    ]);
    assert.deepEqual(
      plan.unreachable.map((entry) => entry.reason),
      ['n2 did not answer: ssh: connect to host refused', 'n2 did not answer: ssh: connect to host refused'],
    );
  });
});
