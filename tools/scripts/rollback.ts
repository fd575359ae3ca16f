// `npm run rollback`: every service of the workspace (or --projects) back to the previous release on the nodes,
// planned from one read and switched in one Ansible run, without an Nx start-up: the rollback executor's own
// functions, given every service at once as its batch implementation is by `nx run-many -t rollback`.
import { resolve } from 'node:path';
import { normalizeRollbackOptions } from '@edgeship/edge-plugin/executors/rollback/lib/normalize-rollback-options';
import { printRollback } from '@edgeship/edge-plugin/executors/rollback/lib/print-rollback';
import { runRollback } from '@edgeship/edge-plugin/executors/rollback/lib/run-rollback';
import { reportError } from '@edgeship/edge-common';
import { listServices } from './list-services';
import { servicesContext } from './services-context';
import { parseRollbackArgs, ROLLBACK_HELP, type RollbackCommandOptions } from './rollback-args';
import { selectServices } from './start-args';

const workspaceRoot = resolve(__dirname, '..', '..');

async function main(options: RollbackCommandOptions): Promise<number> {
  const services = selectServices(options.projects, listServices(workspaceRoot), 'npm run rollback');
  const context = servicesContext(workspaceRoot, services);
  // Paths on the command line are the caller's, not the workspace's.
  const inventory = options.inventory ? resolve(options.inventory) : undefined;
  const { help: _help, projects: _projects, ...executorOptions } = options;
  const normalized = services.map((projectName) =>
    normalizeRollbackOptions({ ...executorOptions, inventory }, { ...context, projectName }),
  );
  const report = await runRollback(normalized);
  printRollback(report, normalized[0]!);
  return report.success ? 0 : 1;
}

try {
  const options = parseRollbackArgs(process.argv.slice(2));
  if (options.help) console.log(ROLLBACK_HELP);
  else
    main(options).then(
      (code) => process.exit(code),
      (error) => process.exit(reportError(error)),
    );
} catch (error) {
  process.exit(reportError(error));
}
