export interface RollbackExecutorOptions {
  /** A kept release by version or release id (default: the release each node ran before its current one). */
  to?: string;
  /** Inventory files (default: the local fleet's, .edgeship/fleet/<fleet>/inventory.yml). */
  inventory?: string | string[];
  /** Local fleet whose inventory is used when no inventory is given (default "default"). */
  fleet?: string;
  /** Host pattern to roll back (default the `edge` group). */
  hosts?: string;
  /** Ansible --limit. */
  limit?: string;
  /** Batches, canary first (default "1,100%"). */
  serial?: string | number;
  /** Seconds the kept release gets to answer /healthz and /version (default: the role's, 60 s). */
  healthTimeout?: number;
  /** Seconds it must then stay up, unrestarted (default: the role's, 10 s). */
  stabilityWindow?: number;
  extraVars?: Record<string, unknown>;
  /** Roll back to a release deployed unsigned: the local fleet only (as deploy's allowUnsigned). */
  allowUnsigned?: boolean;
  /** Print JSON instead of the table. */
  json?: boolean;
  verbose?: boolean;
}
