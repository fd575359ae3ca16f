export interface LogsExecutorOptions {
  /** Inventory files (default: the local fleet's, .edgeship/fleet/<fleet>/inventory.yml). */
  inventory?: string | string[];
  /** Local fleet whose inventory is used when no inventory is given (default "default"). */
  fleet?: string;
  /** Host pattern to read (default the `edge` group). */
  hosts?: string;
  /** Ansible --limit. */
  limit?: string;
  /** The last N lines per node (default 50). */
  lines?: number;
  /** journalctl --since, checked: letters, digits, spaces and - : . + @ only. */
  since?: string;
  /** Keep printing new lines until interrupted. */
  follow?: boolean;
  verbose?: boolean;
}
