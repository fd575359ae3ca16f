export interface DeployExecutorOptions {
  /** Inventory files (default: the local fleet's, .edgeship/fleet/<fleet>/inventory.yml). */
  inventory?: string | string[];
  /** Local fleet whose inventory is used when no inventory is given (default "default"). */
  fleet?: string;
  /** Host pattern to deploy to (default the `edge` group). */
  hosts?: string;
  /** Ansible --limit. */
  limit?: string;
  /** Rolling batches: a number, a percentage or a list of them (default "1,100%": one canary, then the rest). */
  serial?: string | number | (string | number)[];
  /** Share of failed nodes, in percent, above which the rollout stops (default: deploy.yml's, 0: any failure stops it). */
  maxFailPercentage?: number;
  /** The version the build being deployed reports on /version, a semver version (default: the build record's). */
  version?: string;
  /** Deploy a build that is not signed, or whose signature is stale: the local fleet only. */
  allowUnsigned?: boolean;
  /** Overrides the delivery of the service's package.json marker. */
  delivery?: 'binary' | 'container';
  /** What container delivery does where podman cannot run (default: the role's, binary). */
  containerFallback?: 'binary' | 'fail';
  /** Build output of the service (default dist/<project>). */
  artifactDir?: string;
  /** Seconds /healthz and /version get after a restart (default: the role's, 60 s). */
  healthTimeout?: number;
  /** Seconds the new release must stay up unrestarted (default: the role's, 10 s). */
  stabilityWindow?: number;
  /** Releases kept per node (default: the role's, 3). */
  keepReleases?: number;
  /** More variables for the role (edge_service_*). */
  extraVars?: Record<string, unknown>;
  /** Where the JSON report goes (default dist/<project>/deploy-report.json); its page goes beside it (.html). */
  report?: string;
  /** Print the JSON report on stdout after the summary. */
  json?: boolean;
  verbose?: boolean;
}
