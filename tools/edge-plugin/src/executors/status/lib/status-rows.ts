import type { AnsibleReport } from '../../deploy/lib/deploy-report';

/** One line of a node's history.jsonl (written by the role's edge_health_gate). */
export interface HistoryRecord {
  at: string;
  action: string;
  by?: string;
  from?: string;
  to?: string;
  version?: string;
  outcome: string;
  error?: string;
  reason?: string;
}

/** What edge_node_probe reads per service (playbooks/library/edge_node_probe.py). */
interface ProbedService {
  current_name: string;
  releases: { name: string }[];
  unit_active: string;
  since: string;
  release_env: Record<string, string>;
  history: HistoryRecord[];
  healthz: number;
  version: string;
}

interface Probe {
  machine: string;
  services: Record<string, ProbedService>;
}

/** What a pull-mode node PUTs to its channel (roles/edge_pull/files/edgeship_pull.py): its probe, and each pull. */
export interface PullReport extends Probe {
  node: string;
  /** When the node wrote it (ISO, UTC). */
  at: string;
  /** How often the node pulls, a systemd time span (edge_pull_interval); missing in reports of older agents. */
  interval?: string;
  pulls: Record<string, { outcome: string; error?: string; release?: string }>;
}

/** One service on one node: what `status` shows in a row and writes with --json. */
export interface StatusRow {
  service: string;
  node: string;
  arch: string;
  delivery: string;
  version: string;
  release: string;
  /** systemd's ActiveState of edgeship-<svc>.service, or unreachable / probe failed. */
  unit: string;
  /** healthy, not installed, or what is wrong: /healthz's answer, a /version that differs from the release. */
  health: string;
  /** ISO time the unit became active (or entered its current state); empty when unknown. */
  since: string;
  kept: string[];
  lastDeploy?: HistoryRecord;
  history: HistoryRecord[];
  /** Set when the row is something to act on: unreachable node, failed or unhealthy unit. */
  problem?: string;
  /** Set when the row comes from the node's pull report, not from reading the node: when the node wrote it. */
  reportedAt?: string;
}

const ARCH = { aarch64: 'arm64', arm64: 'arm64', x86_64: 'amd64', amd64: 'amd64' } as Record<string, string>;

/** The rows of every service on every node the run touched, sorted by service, then node. */
export function summarizeStatus(
  report: AnsibleReport,
  services: readonly string[],
  pullReports: ReadonlyMap<string, PullReport> = new Map(),
  now = Date.now(),
): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const [node, entry] of Object.entries(report.hosts)) {
    const probe = (entry.result as { edge_status?: Probe } | null | undefined)?.edge_status;
    // A node SSH cannot reach may be a pull-mode node: what it last reported stands in for the read.
    const pulled = entry.recap.unreachable > 0 ? pullReports.get(node) : undefined;
    if (pulled) {
      rows.push(...services.map((service) => describePulled(service, node, pulled, now)));
      continue;
    }
    for (const service of services) {
      if (entry.recap.unreachable > 0 || !probe?.services?.[service]) {
        const unit = entry.recap.unreachable > 0 ? 'unreachable' : 'probe failed';
        const why = entry.error?.msg || unit;
        rows.push({ ...emptyRow(service, node, unit), problem: `${unit}: ${why}` });
        continue;
      }
      rows.push(describeService(service, node, probe.machine, probe.services[service]!));
    }
  }
  return rows.sort(
    (a, b) =>
      a.service.localeCompare(b.service) || a.node.localeCompare(b.node, undefined, { numeric: true }),
  );
}

function describePulled(service: string, node: string, report: PullReport, now: number): StatusRow {
  const probed = report.services?.[service];
  if (!probed)
    return {
      ...emptyRow(service, node, 'not pulled'),
      reportedAt: report.at,
      problem: 'not in its pull report',
    };
  const row = { ...describeService(service, node, report.machine, probed), reportedAt: report.at };
  const pull = report.pulls?.[service];
  // A refused or rolled-back pull leaves the node healthy on its old release: still something to act on.
  if (
    !row.problem &&
    pull &&
    ['refused', 'rolled back', 'failed', 'unreachable channel'].includes(pull.outcome)
  )
    row.problem = `pull ${pull.outcome}: ${pull.error ?? ''}`.trim();
  // An old report says nothing of the node now: it may be down, or cut off from its channel.
  else if (!row.problem) {
    const stale = describeStaleReport(report, now);
    if (stale) row.problem = stale;
  }
  return row;
}

/** Missed ticks allowed (and a margin for the timer's random delay) before a node's report counts as stale. */
const STALE_AFTER_INTERVALS = 3;
const STALE_MARGIN_SECONDS = 5 * 60;

function describeStaleReport(report: PullReport, now: number): string | undefined {
  const interval = parseTimespan(report.interval ?? '');
  const age = (now - Date.parse(report.at)) / 1000;
  if (interval === undefined || !Number.isFinite(age)) return undefined;
  if (age <= STALE_AFTER_INTERVALS * interval + STALE_MARGIN_SECONDS) return undefined;
  return `its last pull report is ${Math.round(age / 60)} min old (it pulls every ${report.interval}): the node or its way to the channel may be down`;
}

const TIMESPAN_UNITS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86400 };

/** A systemd time span as edge_pull_interval takes it ("5min", "1h 30min", "90" = seconds) → seconds. */
export function parseTimespan(span: string): number | undefined {
  const text = span.trim();
  const parts = [...text.matchAll(/(\d+)\s*(us|ms|s|min|h|d)?\s*/gy)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return parts.reduce((sum, part) => sum + Number(part[1]) * TIMESPAN_UNITS[part[2] ?? 's']!, 0);
}

function emptyRow(service: string, node: string, unit: string): StatusRow {
  return {
    ...{ service, node, arch: '', delivery: '', version: '', release: '', unit, health: '', since: '' },
    ...{ kept: [], history: [] },
  };
}

function describeService(service: string, node: string, machine: string, probed: ProbedService): StatusRow {
  const env = probed.release_env ?? {};
  const isInstalled = Boolean(probed.current_name);
  const version = env['EDGESHIP_VERSION'] ?? '';
  const health = describeHealth(probed, isInstalled, version);
  const history = probed.history ?? [];
  const row: StatusRow = {
    service,
    node,
    arch: env['EDGESHIP_ARCH'] || ARCH[machine] || machine,
    delivery: env['EDGESHIP_DELIVERY'] ?? '',
    version,
    release: probed.current_name,
    // systemd calls a unit it does not know "inactive": for a service never installed, that says nothing.
    unit: isInstalled || probed.unit_active !== 'inactive' ? probed.unit_active : '',
    health,
    since: parseSince(probed.since),
    kept: (probed.releases ?? []).map((release) => release.name),
    ...(history.length > 0 ? { lastDeploy: history[history.length - 1] } : {}),
    history,
  };
  // A service never deployed to the node is not a fault; an installed one that does not run healthy is.
  if (isInstalled && probed.unit_active !== 'active') row.problem = `unit ${probed.unit_active}`;
  else if (isInstalled && health !== 'healthy') row.problem = health;
  return row;
}

function describeHealth(probed: ProbedService, isInstalled: boolean, version: string): string {
  if (!isInstalled) return 'not installed';
  if (probed.unit_active !== 'active') return 'not running';
  if (probed.healthz !== 200) return `/healthz ${probed.healthz || 'did not answer'}`;
  if (version && probed.version !== version) return `/version ${probed.version || '?'} ≠ ${version}`;
  return 'healthy';
}

/** systemd's "@1733180400" (--timestamp=unix) → ISO; anything else (older systemd) as it came. */
export function parseSince(value: string): string {
  const match = /^@(\d+)$/.exec(value ?? '');
  return match ? new Date(Number(match[1]) * 1000).toISOString() : (value ?? '');
}

export function isStatusHealthy(rows: readonly StatusRow[]): boolean {
  return rows.length > 0 && rows.every((row) => !row.problem);
}
