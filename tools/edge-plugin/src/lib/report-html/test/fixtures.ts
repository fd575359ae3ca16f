import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeReport, type AnsibleReport } from '../../../executors/deploy/lib/deploy-report';
import type { DeployReport } from '../../../executors/deploy/lib/print-summary';
import type { StatusReport } from '../../../executors/status/lib/run-status';

/**
 * What edge_report wrote for a real deploy (two amd64 nodes) whose release answered 503 on /healthz: the gate
 * failed on both nodes and each rolled back to the previous release, whose gate passed.
 */
export function readFailedGateReport(): DeployReport {
  const raw = JSON.parse(
    readFileSync(join(__dirname, 'fixtures/failed-gate.ansible.json'), 'utf8'),
  ) as AnsibleReport;
  const nodes = summarizeReport(raw, 'hello-edge', Object.keys(raw.hosts));
  const version = nodes[0]!.version;
  return {
    service: 'hello-edge',
    version,
    rollout: ['hello-edge'],
    success: false,
    exitCode: 2,
    seconds: 16,
    nodes,
  };
}

/** `npm run status -- --json --history 5` of that fleet afterwards: healthy, with deploys, failures, rollbacks. */
export function readStatusReport(): StatusReport {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures/status.json'), 'utf8')) as StatusReport;
}
