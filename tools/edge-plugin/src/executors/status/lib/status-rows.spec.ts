import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnsibleReport } from '../../deploy/lib/deploy-report';
import { isStatusHealthy, parseSince, parseTimespan, summarizeStatus, type PullReport } from './status-rows';

const recap = (over: Partial<AnsibleReport['hosts'][string]['recap']> = {}) => ({
  ...{ ok: 2, changed: 0, failures: 0, unreachable: 0, rescued: 0 },
  ...over,
});

/** What edge_node_probe answers for a service (playbooks/library/edge_node_probe.py). */
const probed = (over: Record<string, unknown> = {}) => ({
  current_name: '1.2.0-abcdef123456',
  releases: [{ name: '1.2.0-abcdef123456' }, { name: '1.1.0-0123456789ab' }],
  unit_active: 'active',
  since: '@1764716400',
  release_env: { EDGESHIP_VERSION: '1.2.0', EDGESHIP_DELIVERY: 'binary', EDGESHIP_ARCH: 'amd64' },
  history: [{ at: '2026-12-02T23:00:00Z', action: 'deploy', outcome: 'healthy', to: '1.2.0-abcdef123456' }],
  healthz: 200,
  version: '1.2.0',
  ...over,
});

const hostWith = (services: Record<string, unknown>, machine = 'x86_64') => ({
  recap: recap(),
  result: { edge_status: { machine, services } },
});

describe('summarizeStatus', () => {
  it('a pull report older than three of its intervals (and 5 min) is flagged stale', () => {
    const down = { recap: recap({ ok: 0, unreachable: 1 }) };
    const report = { hosts: { nat: down } } as unknown as AnsibleReport;
    const at = '2026-12-04T05:00:00Z';
    const reports = new Map<string, PullReport>([
      [
        'nat',
        {
          node: 'nat',
          at,
          interval: '5min',
          machine: 'aarch64',
          services: { svc: probed() } as never,
          pulls: {},
        },
      ],
    ]);
    const minutesLater = (minutes: number) => Date.parse(at) + minutes * 60_000;
    assert.equal(summarizeStatus(report, ['svc'], reports, minutesLater(20))[0]!.problem, undefined);
    assert.match(
      summarizeStatus(report, ['svc'], reports, minutesLater(21))[0]!.problem!,
      /last pull report is 21 min old \(it pulls every 5min\)/,
    );
  });

  it('parseTimespan reads the spans edge_pull_interval takes, and nothing else', () => {
    assert.equal(parseTimespan('5min'), 300);
    assert.equal(parseTimespan('1h 30min'), 5400);
    assert.equal(parseTimespan('90'), 90);
    assert.equal(parseTimespan('soon'), undefined);
    assert.equal(parseTimespan('5min; rm -rf /'), undefined);
    assert.equal(parseTimespan(''), undefined);
  });

  it("an unreachable node with a pull report: the report's rows, with when; a refused pull is flagged", () => {
    const down = {
      recap: recap({ ok: 0, unreachable: 1 }),
      error: { kind: 'unreachable', task: 'probe', msg: 'ssh: refused' },
    };
    const report = { hosts: { nat: down, gone: down } } as unknown as AnsibleReport;
    const pull = (outcome: string, error?: string) =>
      new Map<string, PullReport>([
        [
          'nat',
          {
            node: 'nat',
            at: '2026-12-04T05:00:00Z',
            machine: 'aarch64',
            services: { svc: probed() } as never,
            pulls: { svc: { outcome, ...(error ? { error } : {}) } },
          },
        ],
      ]);
    const [gone, nat] = summarizeStatus(report, ['svc'], pull('in place'));
    assert.equal(gone!.unit, 'unreachable', 'a node without a report stays unreachable');
    assert.equal(gone!.problem, 'unreachable: ssh: refused');
    assert.equal(nat!.version, '1.2.0');
    assert.equal(nat!.health, 'healthy');
    assert.equal(nat!.reportedAt, '2026-12-04T05:00:00Z');
    assert.equal(nat!.problem, undefined);
    const [, refused] = summarizeStatus(
      report,
      ['svc'],
      pull('refused', 'the signature of build.json does not verify'),
    );
    assert.equal(refused!.problem, 'pull refused: the signature of build.json does not verify');
    const [, missing] = summarizeStatus(report, ['other'], pull('in place'));
    assert.equal(missing!.problem, 'not in its pull report');
  });

  it('one row per service and node with release, kept releases, since and last deploy', () => {
    const report = { hosts: { n1: hostWith({ svc: probed() }) } } as unknown as AnsibleReport;
    const [row] = summarizeStatus(report, ['svc']);
    assert.deepEqual(
      { ...row, history: undefined },
      {
        ...{ service: 'svc', node: 'n1', arch: 'amd64', delivery: 'binary', version: '1.2.0' },
        ...{
          release: '1.2.0-abcdef123456',
          unit: 'active',
          health: 'healthy',
          since: '2025-12-02T23:00:00.000Z',
        },
        kept: ['1.2.0-abcdef123456', '1.1.0-0123456789ab'],
        lastDeploy: {
          at: '2026-12-02T23:00:00Z',
          action: 'deploy',
          outcome: 'healthy',
          to: '1.2.0-abcdef123456',
        },
        history: undefined,
      },
    );
    assert.equal(isStatusHealthy([row!]), true);
  });

  it('flags an unreachable node with ssh reason, a failed unit, a wrong /version; not an absent service', () => {
    const report = {
      hosts: {
        down: {
          recap: recap({ ok: 0, unreachable: 1 }),
          result: {},
          error: {
            kind: 'unreachable',
            task: 'probe',
            msg: 'ssh: connect to host 127.0.0.1 port 2201: Connection refused',
          },
        },
        broken: hostWith({
          svc: probed({ unit_active: 'failed', healthz: 0, version: '' }),
          other: probed(),
        }),
        stale: hostWith({
          svc: probed({ version: '1.1.0' }),
          other: probed({ current_name: '', release_env: {} }),
        }),
      },
    } as unknown as AnsibleReport;
    const rows = summarizeStatus(report, ['svc', 'other']);
    const by = (service: string, node: string) => rows.find((r) => r.service === service && r.node === node)!;
    assert.equal(by('svc', 'down').unit, 'unreachable');
    assert.match(by('svc', 'down').problem!, /unreachable: ssh: connect to host .* Connection refused/);
    assert.equal(by('svc', 'broken').problem, 'unit failed');
    assert.equal(by('svc', 'broken').health, 'not running');
    assert.equal(by('svc', 'stale').problem, '/version 1.1.0 ≠ 1.2.0');
    assert.equal(by('other', 'stale').health, 'not installed');
    assert.equal(by('other', 'stale').unit, 'active', 'a unit running without a release shows as it is');
    assert.equal(by('other', 'stale').problem, undefined);
    assert.equal(by('other', 'broken').problem, undefined);
    assert.equal(isStatusHealthy(rows), false);
    assert.deepEqual(
      rows.map((r) => `${r.service} ${r.node}`),
      ['other broken', 'other down', 'other stale', 'svc broken', 'svc down', 'svc stale'],
    );
  });

  it('a node whose probe failed (no python, no systemd) is a problem, with the reason', () => {
    const report = {
      hosts: {
        n1: {
          recap: recap({ failures: 1 }),
          result: {},
          error: { kind: 'failed', task: 't', msg: 'no python' },
        },
      },
    } as unknown as AnsibleReport;
    const [row] = summarizeStatus(report, ['svc']);
    assert.equal(row!.problem, 'probe failed: no python');
  });

  it('a service never installed shows no unit state (systemd says "inactive" of units it does not know)', () => {
    const absent = probed({ current_name: '', release_env: {}, unit_active: 'inactive', releases: [] });
    const report = { hosts: { n1: hostWith({ svc: absent }) } } as unknown as AnsibleReport;
    const [row] = summarizeStatus(report, ['svc']);
    assert.deepEqual([row!.unit, row!.health, row!.problem], ['', 'not installed', undefined]);
  });

  it('no node at all is not healthy', () => {
    assert.equal(isStatusHealthy(summarizeStatus({ hosts: {} }, ['svc'])), false);
  });

  it('parseSince: systemd unix timestamps become ISO, anything else stays as systemd wrote it', () => {
    assert.equal(parseSince('@0'), '1970-01-01T00:00:00.000Z');
    assert.equal(parseSince('Wed 2026-12-02 23:00:00 UTC'), 'Wed 2026-12-02 23:00:00 UTC');
    assert.equal(parseSince(''), '');
  });
});
