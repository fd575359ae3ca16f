export interface StatusExecutorOptions {
  /** Inventory files (default: the local fleet's, .edgeship/fleet/<fleet>/inventory.yml). */
  inventory?: string | string[];
  /** Local fleet whose inventory is used when no inventory is given (default "default"). */
  fleet?: string;
  /** Host pattern to read (default the `edge` group). */
  hosts?: string;
  /** Ansible --limit. */
  limit?: string;
  /** Show the last N history records per node and service (default 0: only the last deploy column). */
  history?: number;
  /** Print JSON instead of the table. */
  json?: boolean;
  /** Also write the status as a self-contained HTML page to this file (relative to the workspace root). */
  html?: string;
  /** A pull channel's directory: unreachable nodes are shown as their last pull report says. */
  pullReports?: string;
  verbose?: boolean;
}
