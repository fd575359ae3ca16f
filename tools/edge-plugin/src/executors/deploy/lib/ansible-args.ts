import type { DeliveryMode } from '../../../lib/service-manifest';
import type { ArtifactMap } from './artifacts';
import type { TrustPolicy } from './trust-policy';

export interface NormalizedDeployOptions {
  workspaceRoot: string;
  /** playbooks/ of the workspace: ansible.cfg and deploy.yml live there. */
  playbookDir: string;
  /** version: the marker's until the build record is read; then the version that was built. */
  service: { name: string; version: string; port: number; delivery: DeliveryMode; stateDirectory: boolean };
  /** --version: what the deployed build reports, when the user says so; otherwise the build record's. */
  versionOverride?: string;
  /** Whether the build must be signed, and the key it must be signed with. */
  trust: TrustPolicy;
  /** true when --delivery was given: it then overrides inventory groups too. */
  isDeliveryForced: boolean;
  inventories: string[];
  hosts: string;
  limit?: string;
  serial: (string | number)[];
  /**
   * The rollout's knobs below are set only where the user set them: deploy.yml and the role's
   * defaults/main.yml own their defaults, and inventory group_vars may set them, which extra-vars would beat.
   */
  maxFailPercentage?: number;
  containerFallback?: 'binary' | 'fail';
  artifactDir: string;
  healthTimeout?: number;
  stabilityWindow?: number;
  keepReleases?: number;
  extraVars: Record<string, unknown>;
  reportFile: string;
  json: boolean;
  verbose: boolean;
}

/** One service of a rollout: its options and the artifacts the role may deploy. */
export interface ServiceDeploy {
  options: NormalizedDeployOptions;
  artifacts: ArtifactMap;
  /** The signed build record (build.json and build.json.sig as text) when the build is signed and verified. */
  signedRecord?: { record: string; signature: string };
}

/** One entry of deploy.yml's edge_deploy_services: what the role needs to know of one service. */
export function serviceEntry({ options, artifacts, signedRecord }: ServiceDeploy): Record<string, unknown> {
  const { service } = options;
  return {
    name: service.name,
    version: service.version,
    port: service.port,
    // The service's wish sits below inventory group_vars; a forced delivery overrides them.
    delivery: service.delivery,
    ...(options.isDeliveryForced ? { forced_delivery: service.delivery } : {}),
    artifacts,
    state_dir: service.stateDirectory,
    // Kept in the release on the node: a rollback to it verifies it again.
    ...(signedRecord ? { signed_record: signedRecord } : {}),
  };
}

/**
 * The play's and role's variables, passed as one JSON extra-vars document (types survive, no quoting). Every
 * service of one rollout shares the play-level options of the first (rolloutKey groups them that way).
 * A knob the user did not set is undefined and left out of the JSON, so the role's default applies.
 */
export function deployVars(services: readonly ServiceDeploy[]): Record<string, unknown> {
  const options = services[0]!.options;
  return {
    edge_deploy_hosts: options.hosts,
    edge_deploy_serial: options.serial,
    edge_deploy_max_fail_percentage: options.maxFailPercentage,
    edge_deploy_services: services.map(serviceEntry),
    edge_service_container_fallback: options.containerFallback,
    edge_service_health_timeout: options.healthTimeout,
    edge_service_stability_window: options.stabilityWindow,
    edge_service_keep_releases: options.keepReleases,
    ...options.extraVars,
  };
}

/** What services must share to go out in one Ansible run: everything but the service itself. */
export function rolloutKey(options: NormalizedDeployOptions): string {
  const { inventories, hosts, limit, serial, maxFailPercentage, containerFallback } = options;
  const { healthTimeout, stabilityWindow, keepReleases, extraVars, verbose, playbookDir } = options;
  return JSON.stringify({
    ...{ inventories, hosts, limit, serial, maxFailPercentage, containerFallback, playbookDir },
    ...{ healthTimeout, stabilityWindow, keepReleases, extraVars, verbose },
  });
}

/** ansible-playbook's arguments for deploy.yml, run from playbookDir. */
export function ansibleArgs(services: readonly ServiceDeploy[]): string[] {
  return playbookArgs('deploy.yml', services[0]!.options, deployVars(services));
}

/**
 * ansible-playbook's arguments for any playbook of playbookDir (deploy.yml, status.yml, logs.yml): the
 * inventories, the limit and the variables as one JSON extra-vars document (types survive, no quoting).
 */
export function playbookArgs(
  playbook: string,
  options: Pick<NormalizedDeployOptions, 'inventories' | 'limit' | 'verbose'>,
  extraVars: Record<string, unknown>,
): string[] {
  return [
    playbook,
    ...options.inventories.flatMap((inventory) => ['--inventory', inventory]),
    ...(options.limit ? ['--limit', options.limit] : []),
    '--extra-vars',
    JSON.stringify(extraVars),
    ...(options.verbose ? ['-v'] : []),
  ];
}

/** The environment that makes ansible-playbook read our ansible.cfg and write the JSON report. */
export function ansibleEnv(
  options: Pick<NormalizedDeployOptions, 'playbookDir' | 'reportFile'>,
  isTty: boolean,
): Record<string, string> {
  return {
    ANSIBLE_CONFIG: `${options.playbookDir}/ansible.cfg`,
    EDGESHIP_DEPLOY_REPORT: `${options.reportFile}.ansible.json`,
    // Colour only where a person watches; CI logs and captured output stay plain.
    ANSIBLE_FORCE_COLOR: isTty ? '1' : '0',
    ANSIBLE_NOCOLOR: isTty ? '0' : '1',
  };
}

/** "1,100%" → [1, "100%"]: numbers stay numbers so Ansible reads a node count, not a string. */
export function parseSerial(value: string | number | (string | number)[]): (string | number)[] {
  const items = Array.isArray(value) ? value : String(value).split(',');
  return items.map((item) => {
    const text = String(item).trim();
    return /^\d+$/.test(text) ? Number(text) : text;
  });
}
