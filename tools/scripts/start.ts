// `npm start`: fleet up (if needed) while Nx builds what the deploy needs, in parallel → one rollout of every
// service (the deploy executor's batch implementation) → one summary table, dist/deploy-report.json and the
// same report as a page, dist/deploy-report.html.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fleetUp, nodesRunContainers, type FleetUpResult } from '@edgeship/edge-fleet';
import type { DeployReport } from '@edgeship/edge-plugin/executors/deploy/lib/print-summary';
import { ConfigError, reportError, logger, timedStep, runCommand } from '@edgeship/edge-common';
import { renderDeployHtml } from '@edgeship/edge-plugin/lib/report-html/render-deploy-html';
import { planBuilds, type BuildPlan } from './build-plan';
import { listServiceDeliveries } from './list-services';
import { parseStartArgs, selectServices, START_HELP, type StartOptions } from './start-args';

const workspaceRoot = resolve(__dirname, '..', '..');

/** What the deploy executor wrote for a service (dist/<svc>/deploy-report.json). */
type ServiceReport = DeployReport;

async function main(options: StartOptions): Promise<number> {
  const started = Date.now();
  const listed = listServiceDeliveries(workspaceRoot);
  const services = selectServices(
    options.projects,
    listed.map((service) => service.name),
  );
  if (options.inventory && !existsSync(resolve(options.inventory)))
    throw new ConfigError(
      'npm start',
      '--inventory',
      options.inventory,
      'No such file: give the path of an Ansible inventory, or leave --inventory out for the local fleet.',
    );
  // A fleet keeps the arch it was created with (fleetUp refuses another), so the plan can come before it.
  const plan = planBuilds(
    listed.filter((service) => services.includes(service.name)),
    options.inventory ? undefined : nodesRunContainers(options.arch),
  );
  if (plan.note) logger.info(plan.note);
  const nx = (args: string[]) =>
    runCommand(join(workspaceRoot, 'node_modules/.bin/nx'), [...args, '--output-style=stream'], {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: 'false' },
      stream: true,
      check: false,
    });
  // The builds need no node, so they run while the local fleet comes up (on a fresh machine the fleet's
  // node image takes minutes). Then every deploy task at once, so Nx hands them to the deploy executor's
  // batch implementation together: one Ansible run for all services (nodes probed once, one summary).
  const [fleet, build] = await settleBoth(
    options.inventory ? Promise.resolve(undefined) : bringUpLocalFleet(options),
    buildAll(plan, nx),
  );
  const inventory = fleet ? fleet.inventoryPath : resolve(options.inventory!);
  const projects = `--projects=${services.join(',')}`;
  const deploy =
    build.exitCode === 0
      ? await timedStep(`deploy ${services.join(', ')} to ${inventory}`, () =>
          nx([
            ...[
              'run-many',
              '-t',
              'deploy',
              projects,
              '--excludeTaskDependencies',
              `--inventory=${inventory}`,
            ],
            ...(options.allowUnsigned ? ['--allowUnsigned'] : []),
            ...(plan.delivery ? [`--delivery=${plan.delivery}`] : []),
          ]),
        )
      : build;
  const reports = services.map(readServiceReport);
  const report = {
    inventory,
    success: deploy.exitCode === 0,
    seconds: (Date.now() - started) / 1000,
    services: reports,
  };
  mkdirSync(join(workspaceRoot, 'dist'), { recursive: true });
  writeFileSync(join(workspaceRoot, 'dist/deploy-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(workspaceRoot, 'dist/deploy-report.html'), renderDeployHtml(reports, { inventory }));
  printSummary(reports);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  logger.info(
    `${report.success ? '✔ deployed' : '✖ deploy failed'} in ${report.seconds.toFixed(0)} s; report: dist/deploy-report.json, dist/deploy-report.html`,
  );
  return report.success ? 0 : 1;
}

/** Each group in its own Nx run (services in parallel inside it); stops at the first that fails. */
async function buildAll(plan: BuildPlan, nx: (args: string[]) => Promise<{ exitCode?: number }>) {
  let build: { exitCode?: number } = { exitCode: 0 };
  for (const group of plan.groups) {
    build = await timedStep(`${group.targets.join(' + ')} ${group.services.join(', ')}`, () =>
      nx(['run-many', '-t', ...group.targets, `--projects=${group.services.join(',')}`, '--parallel=2']),
    );
    if (build.exitCode !== 0) break;
  }
  return build;
}

/** Both results once both have ended: a failed fleet does not leave a build running behind the error. */
async function settleBoth<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === 'rejected') throw first.reason;
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

function bringUpLocalFleet(options: StartOptions): Promise<FleetUpResult> {
  return timedStep(`local fleet "${options.fleet}" (${options.nodes} × ${options.arch})`, () =>
    fleetUp({ name: options.fleet, nodes: options.nodes, arch: options.arch, workspaceRoot }),
  );
}

function readServiceReport(service: string): ServiceReport {
  const file = join(workspaceRoot, 'dist', service, 'deploy-report.json');
  if (!existsSync(file))
    return { service, version: '', rollout: [service], success: false, exitCode: 1, seconds: 0, nodes: [] };
  return JSON.parse(readFileSync(file, 'utf8')) as ServiceReport;
}

function printSummary(reports: ServiceReport[]): void {
  logger.table(
    reports.flatMap((report) =>
      report.nodes.length === 0
        ? [
            {
              service: report.service,
              node: '-',
              arch: '-',
              version: '-',
              health: 'not deployed (build failed?)',
              duration: '-',
            },
          ]
        : report.nodes.map((node) => ({
            service: report.service,
            node: node.node,
            arch: node.arch,
            version: node.version,
            health: node.health,
            duration: `${node.seconds.toFixed(1)} s`,
          })),
    ),
  );
}

try {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.help) {
    console.log(START_HELP);
  } else {
    main(options).then(
      (code) => process.exit(code),
      (error) => process.exit(reportError(error)),
    );
  }
} catch (error) {
  process.exit(reportError(error));
}
