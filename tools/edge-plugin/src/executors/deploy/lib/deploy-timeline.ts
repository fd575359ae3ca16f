/** One task on one node, as the edge_report callback timed it (playbooks/callback_plugins/edge_report.py). */
export interface TimelineEntry {
  /** The service of deploy.yml's include_role loop; null for the node's own tasks (the probe). */
  service: string | null;
  /** The role file (or playbook) the task comes from, without .yml: preflight, install, verify, ... */
  file: string;
  task: string;
  action: string;
  /** Seconds from the start of the Ansible run. */
  start: number;
  seconds: number;
  status: 'ok' | 'failed' | 'unreachable';
  changed: boolean;
  msg?: string;
  gate?: { passed: boolean; seconds_to_healthy?: number | null; version?: string | null; msg: string };
}

/** A step of one service's rollout on one node: consecutive tasks of one part of the role. */
export interface RolloutStep {
  step: string;
  /** Seconds from the start of the Ansible run, so the nodes of a rollout share one time axis. */
  start: number;
  seconds: number;
  outcome: 'ok' | 'changed' | 'failed' | 'unreachable';
  tasks: number;
  /** The first task that failed, and why. */
  failedTask?: string;
  error?: string;
}

/** What a health gate answered: the deploy's gate of the new release, or the rollback's of the old one. */
export interface HealthGateResult {
  gate: 'deploy' | 'rollback';
  passed: boolean;
  start: number;
  seconds: number;
  secondsToHealthy?: number;
  version?: string;
  message?: string;
}

/** The role's task files as the steps a person reads; a file not named here is shown by its own name. */
const STEP_OF_FILE: Record<string, string> = {
  'start-record': 'preflight',
  'check-artifact': 'preflight',
  preflight: 'preflight',
  install: 'install',
  'load-image': 'install',
  configure: 'switch',
  activate: 'switch',
  'health-gate': 'health gate',
  // deploy.yml's wait for the canary's gate, which ran in the background while the other nodes were staged.
  'canary-verdict': 'health gate',
  // main.yml's own task: it keeps the canary's state for that wait.
  main: 'health gate',
  verify: 'health gate',
  rollback: 'rollback',
  refused: 'report failure',
};

/** settled.yml and what it imports: the no-op decision of deploy.yml's first play. (start-record.yml is not one of
 * them: a rollback's record, with no argument check before it, is its preflight.) */
const CHECK_FILES = new Set(['settled', 'check-artifact']);

/** Tasks of one step further apart than this ran in two passes (the check play, then the rollout play). */
const GAP_SECONDS = 2;

/**
 * The steps and health gates of one service on one node, from the node's timeline: the probe (the node's
 * own task, shared by every service of the run), then the service's tasks grouped by role file.
 */
export function describeTimeline(
  timeline: readonly TimelineEntry[] | undefined,
  service: string,
): { steps: RolloutStep[]; gates: HealthGateResult[] } {
  const entries = (timeline ?? []).filter(
    (entry) => entry.service === service || (entry.service === null && entry.action === 'edge_node_probe'),
  );
  // deploy.yml's first play decides, per service, whether the node already runs the release (settled.yml, which
  // imports the artifact check); the staging and rollout plays enter the role, whose argument check comes first.
  // What ran before that is the check.
  const entered = entries.findIndex((entry) => entry.action === 'validate_argument_spec');
  const isCheck = (entry: TimelineEntry) =>
    CHECK_FILES.has(entry.file) && (entered < 0 || entries.indexOf(entry) < entered);
  const stepOf = (entry: TimelineEntry) => (isCheck(entry) ? 'check' : stepOfFile(entry));
  const isStepFailure = (entry: TimelineEntry) =>
    entry.status !== 'ok' && !(entry.action === 'fail' && stepOf(entry) === 'rollback');
  const steps: RolloutStep[] = [];
  let last: { step: RolloutStep; end: number } | undefined;
  for (const entry of entries) {
    const name = stepOf(entry);
    const end = entry.start + entry.seconds;
    if (!last || last.step.step !== name || entry.start - last.end > GAP_SECONDS) {
      last = { step: { step: name, start: entry.start, seconds: 0, outcome: 'ok', tasks: 0 }, end };
      steps.push(last.step);
    }
    const { step } = last;
    last.end = Math.max(last.end, end);
    step.seconds = round(last.end - step.start);
    step.tasks += 1;
    if (isStepFailure(entry) && step.outcome !== 'failed' && step.outcome !== 'unreachable') {
      step.outcome = entry.status;
      step.failedTask = entry.task;
      step.error = entry.msg ?? entry.gate?.msg;
    } else if (entry.changed && step.outcome === 'ok') step.outcome = 'changed';
  }
  // The rollback ends by failing the service's deploy on purpose (to report it): the rollback itself did what
  // it should when the previous release passed its gate.
  for (const step of steps.filter((each) => each.step === 'rollback' && each.outcome !== 'unreachable')) {
    const gate = entries.find(
      (entry) => entry.gate && stepOf(entry) === 'rollback' && entry.start >= step.start,
    );
    if (gate && !gate.gate!.passed) {
      step.outcome = 'failed';
      step.failedTask = gate.task;
      step.error = gate.gate!.msg;
    }
  }
  const gates = entries
    .filter((entry) => entry.gate)
    .map((entry): HealthGateResult => {
      const gate = entry.gate!;
      return {
        gate: entry.file === 'rollback' ? 'rollback' : 'deploy',
        passed: gate.passed,
        start: entry.start,
        seconds: entry.seconds,
        ...(typeof gate.seconds_to_healthy === 'number' ? { secondsToHealthy: gate.seconds_to_healthy } : {}),
        ...(gate.version ? { version: gate.version } : {}),
        ...(gate.msg ? { message: gate.msg } : {}),
      };
    });
  return { steps, gates };
}

function stepOfFile(entry: TimelineEntry): string {
  if (entry.service === null) return 'probe';
  // The role's argument check runs before its first task, from the playbook that includes the role.
  if (entry.action === 'validate_argument_spec') return 'preflight';
  return STEP_OF_FILE[entry.file] ?? entry.file;
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
