import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureOutput } from '@edgeship/edge-common/testing';
import { printRollback } from './print-rollback';
import type { RollbackReport } from './run-rollback';

const row = {
  ...{ service: 'svc', node: 'n1', from: '1.1.0-bbbbbbbbbbbb', to: '1.0.0-aaaaaaaaaaaa', version: '1.0.0' },
  ...{ delivery: 'binary', health: 'healthy' as const, action: 'rolled back', seconds: 4.2 },
};

describe('printRollback', () => {
  it('a row per service and node with from, to, health and action, then the verdict', async () => {
    const report: RollbackReport = { success: true, seconds: 9, rows: [row], refused: [] };
    const { output } = await captureOutput(async () => printRollback(report, { json: false }));
    assert.match(
      output,
      /n1\s+svc\s+1\.1\.0-bbbbbbbbbbbb\s+1\.0\.0-aaaaaaaaaaaa\s+binary\s+healthy\s+rolled back\s+4\.2/,
    );
    assert.match(output, /rolled back in 9\.0 s: all healthy/);
  });

  it('names each refusal and says nothing was changed', async () => {
    const refused = [
      { service: 'svc', node: 'n2', reason: 'nothing to roll back to on n2: it keeps only x' },
    ];
    const report: RollbackReport = { success: false, seconds: 1, rows: [], refused };
    const { output } = await captureOutput(async () => printRollback(report, { json: false }));
    assert.match(output, /svc on n2: nothing to roll back to on n2: it keeps only x/);
    assert.match(output, /rollback refused on 1 service×node\(s\): nothing was changed/);
  });

  it('--json: only the JSON document', async () => {
    const report: RollbackReport = {
      success: false,
      seconds: 1,
      rows: [{ ...row, health: 'failed', error: 'e' }],
      refused: [],
    };
    const { output } = await captureOutput(async () => printRollback(report, { json: true }));
    assert.deepEqual(JSON.parse(output), report);
  });
});
