// `npm run status`: every service of the workspace on every node, in one Ansible run (one probe per node),
// without an Nx start-up: the status executor's own functions, given every service at once as its batch
// implementation is by `nx run-many -t status`.
import { resolve } from 'node:path';
import { normalizeStatusOptions } from '@edgeship/edge-plugin/executors/status/lib/normalize-status-options';
import { printStatus } from '@edgeship/edge-plugin/executors/status/lib/print-status';
import { runStatus } from '@edgeship/edge-plugin/executors/status/lib/run-status';
import { writeStatusHtml } from '@edgeship/edge-plugin/executors/status/lib/write-status-html';
import { reportError } from '@edgeship/edge-common';
import { listServices } from './list-services';
import { servicesContext } from './services-context';
import { selectServices } from './start-args';
import { parseStatusArgs, STATUS_HELP, type StatusCommandOptions } from './status-args';

const workspaceRoot = resolve(__dirname, '..', '..');

async function main(options: StatusCommandOptions): Promise<number> {
  const services = selectServices(options.projects, listServices(workspaceRoot), 'npm run status');
  const context = servicesContext(workspaceRoot, services);
  // Paths on the command line are the caller's, not the workspace's.
  const inventory = options.inventory ? resolve(options.inventory) : undefined;
  const html = options.html ? resolve(options.html) : undefined;
  const pullReports = options.pullReports ? resolve(options.pullReports) : undefined;
  const normalized = services.map((projectName) =>
    normalizeStatusOptions({ ...options, inventory, html, pullReports }, { ...context, projectName }),
  );
  const report = await runStatus(normalized);
  printStatus(report, normalized[0]!);
  await writeStatusHtml(report, normalized[0]!);
  return report.success ? 0 : 1;
}

try {
  const options = parseStatusArgs(process.argv.slice(2));
  if (options.help) console.log(STATUS_HELP);
  else
    main(options).then(
      (code) => process.exit(code),
      (error) => process.exit(reportError(error)),
    );
} catch (error) {
  process.exit(reportError(error));
}
