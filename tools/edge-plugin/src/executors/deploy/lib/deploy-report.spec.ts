import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeploySuccessful, summarizeReport, type AnsibleReport } from './deploy-report';

const recap = { ok: 20, changed: 0, failures: 0, unreachable: 0, rescued: 0 };
const healthyRow = {
  service: 'svc',
  version: '2.0.0',
  release: '2.0.0-abc',
  arch: 'arm64',
  delivery: 'binary',
  health: 'healthy',
  action: 'deployed',
  transfer: 'rsync delta against /opt/edgeship/svc/releases/1.0.0-abc/svc',
  transfer_bytes: 72000,
  seconds: '12.5',
};
const healthy = { edge_services: { svc: healthyRow } };

describe('summarizeReport', () => {
  it('marks healthy, rolled back, refused, unreachable and not reached nodes', () => {
    const report: AnsibleReport = {
      hosts: {
        'n-1': { recap: { ...recap, changed: 7 }, result: healthy },
        'n-2': {
          recap: { ...recap, failures: 1, rescued: 1 },
          result: {
            edge_services: {
              svc: {
                ...{ ...healthyRow, version: '3.0.0', health: 'failed', error: 'rolled back' },
                journal: ['Error: listen EADDRINUSE: address already in use 0.0.0.0:8101'],
              },
            },
          },
          error: { kind: 'failed', task: 'Fail', msg: 'svc failed on n-2' },
        },
        'n-3': {
          recap: { ...recap, failures: 1 },
          error: { kind: 'failed', task: 'Refuse', msg: 'built for amd64' },
        },
        // Answered the probe; the canary's failure stopped the rollout before its batch.
        'n-5': { recap: { ...recap, ok: 2 } },
        'n-10': {
          recap: { ...recap, unreachable: 1 },
          error: { kind: 'unreachable', task: 'Gather', msg: 'ssh: connection refused' },
        },
      },
    };
    const rows = summarizeReport(report, 'svc', ['n-1', 'n-2', 'n-3', 'n-4', 'n-5', 'n-10']);
    assert.deepEqual(
      rows.map((r) => `${r.node} ${r.health}`),
      ['n-1 healthy', 'n-2 failed', 'n-3 refused', 'n-4 not reached', 'n-5 not reached', 'n-10 unreachable'],
    );
    assert.equal(rows[0]!.seconds, 12.5);
    assert.equal(rows[0]!.changed, 7);
    assert.equal(rows[0]!.transferBytes, 72000);
    assert.equal(rows[0]!.action, 'deployed');
    assert.equal(rows[0]!.error, undefined);
    assert.match(rows[1]!.error!, /rolled back/);
    assert.deepEqual(rows[1]!.journal, ['Error: listen EADDRINUSE: address already in use 0.0.0.0:8101']);
    assert.equal(rows[0]!.journal, undefined);
    assert.equal(rows[4]!.error, undefined);
    assert.match(rows[5]!.error!, /connection refused/);
    assert.equal(isDeploySuccessful(rows, 2), false);
  });

  it('is a success only when every node is healthy and Ansible exited 0', () => {
    const rows = summarizeReport({ hosts: { a: { recap, result: healthy } } }, 'svc', ['a']);
    assert.equal(isDeploySuccessful(rows, 0), true);
    assert.equal(isDeploySuccessful(rows, 2), false);
    assert.equal(isDeploySuccessful([], 0), false);
  });

  it("reads one service's rows from a rollout of several: another's failure on the node is not this one's", () => {
    const report: AnsibleReport = {
      hosts: {
        'n-1': {
          recap: { ...recap, failures: 1 },
          result: {
            edge_services: {
              svc: healthyRow,
              other: { ...healthyRow, service: 'other', health: 'failed', error: 'health gate failed' },
            },
          },
          error: { kind: 'failed', task: 'Fail the node', msg: 'other failed on n-1' },
        },
        'n-2': { recap, result: { edge_services: { svc: { ...healthyRow, action: 'already deployed' } } } },
      },
    };
    const svc = summarizeReport(report, 'svc', ['n-1', 'n-2']);
    assert.deepEqual(
      svc.map((row) => `${row.node} ${row.health} ${row.action}`),
      ['n-1 healthy deployed', 'n-2 healthy already deployed'],
    );
    const other = summarizeReport(report, 'other', ['n-1', 'n-2']);
    assert.deepEqual(
      other.map((row) => `${row.node} ${row.health}`),
      ['n-1 failed', 'n-2 not reached'],
    );
    assert.equal(other[0]!.error, 'health gate failed');
  });
});
