/**
 * Frameworks benchmark (issue 13): one service per generator template (fastify, express, hono, and http, the
 * kit's own router with no dependencies), made by the real `nx g` in a throwaway copy of the workspace,
 * bundled by the real bundle target and deployed by the real deploy target to one amd64 node of a local fleet.
 * Per template, all in the same run:
 *   size             the single executables (linux-x64, linux-arm64) and the esbuild bundle inside them;
 *   start to healthy `systemctl restart` of the unit on the node until GET /healthz answers 200 through the
 *                    node's published port (median of --restarts; includes one `docker exec`);
 *   requests/s       autocannon against GET / (the template's own route) through the published port,
 *                    --connections connections for --seconds seconds, after a 2 s warm-up.
 * The load generator, the node and the service share this machine's CPUs, alike for every template.
 * Run: node --import tsx bench/frameworks.bench.ts [--seconds 10] [--connections 10] [--restarts 5]
 * Writes bench/results/frameworks.json and bench/results/frameworks.md.
 */
import autocannon from 'autocannon';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetDown, fleetUp, type InventoryHost } from '@edgeship/edge-fleet';
import { testFleetName, copyWorkspaceToThrowawayRepo } from '@edgeship/edge-common/testing';
import { FRAMEWORKS, type Framework } from '@edgeship/edge-plugin/generators/service/lib/normalize-options';
import { formatBytes } from '@edgeship/edge-plugin/lib/format-bytes';
import { reportError, logger, runCommand } from '@edgeship/edge-common';
import { isHealthy } from '@edgeship/edge-plugin/lib/is-healthy';

const RESULTS = join(__dirname, 'results');

interface TemplateFigures {
  framework: Framework;
  service: string;
  port: number;
  executableBytes: { x64: number; arm64: number };
  bundleBytes: number;
  startToHealthyMs: { median: number; runs: number[] };
  requestsPerSecond: { mean: number; p99LatencyMs: number; errors: number; non2xx: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** From `systemctl restart` on the node until /healthz answers 200 through the published port. */
async function timeRestartToHealthy(node: InventoryHost, service: string, port: number): Promise<number> {
  const unit = `edgeship-${service}.service`;
  // Restarts back to back would run into the unit's start rate limit (StartLimitBurst): reset it first.
  await runCommand('docker', ['exec', node.container, 'systemctl', 'reset-failed', unit]);
  const started = performance.now();
  await runCommand('docker', ['exec', node.container, 'systemctl', 'restart', unit]);
  while (!(await isHealthy(port))) {
    if (performance.now() - started > 60_000)
      throw new Error(`${service} was not healthy 60 s after a restart`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Math.round(performance.now() - started);
}

async function measureRequests(port: number, seconds: number, connections: number) {
  const url = `http://127.0.0.1:${port}/`;
  await autocannon({ url, connections, duration: 2 });
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    mean: Math.round(result.requests.average),
    p99LatencyMs: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function renderMarkdown(figures: TemplateFigures[], setup: Record<string, string | number>): string {
  const rows = figures.map(
    (f) =>
      `| ${f.framework} | ${formatBytes(f.executableBytes.x64)} | ${formatBytes(f.executableBytes.arm64)} | ` +
      `${formatBytes(f.bundleBytes)} | ${f.startToHealthyMs.median} ms | ${f.requestsPerSecond.mean} | ` +
      `${f.requestsPerSecond.p99LatencyMs} ms | ${f.requestsPerSecond.errors + f.requestsPerSecond.non2xx} |`,
  );
  return [
    '# Frameworks benchmark',
    '',
    'One service per generator template (`nx g @edgeship/edge-plugin:service <name> --framework <f>`), bundled',
    'by the real bundle target and deployed by the real deploy target to one amd64 node of a local fleet; all',
    "templates measured in the same run. `http` is the kit's own router (no dependencies). Start to healthy:",
    '`systemctl restart` on the node until GET /healthz answers 200 through the published port (median; it',
    'includes one `docker exec`). Requests/s: autocannon against GET / through the published port after a 2 s',
    'warm-up; the load generator, the node and the service share the machine, alike for every template.',
    'Run: `node --import tsx bench/frameworks.bench.ts [--seconds 10] [--connections 10] [--restarts 5]`.',
    '',
    `Set-up: ${Object.entries(setup)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ')}.`,
    '',
    '| template | executable linux-x64 | executable linux-arm64 | bundle (main.js) | start to healthy | requests/s | p99 latency | failed requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      restarts: { type: 'string', default: '5' },
    },
  });
  const [seconds, connections, restarts] = [values.seconds, values.connections, values.restarts].map(Number);
  const root = copyWorkspaceToThrowawayRepo();
  const fleet = testFleetName('frameworks-bench', root);
  const nx = (...args: string[]) =>
    runCommand(join(root, 'node_modules/.bin/nx'), args, {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    });
  try {
    const ports = new Map<Framework, number>();
    for (const framework of FRAMEWORKS) {
      const service = `bench-${framework}`;
      const generated = await nx(
        ...['g', '@edgeship/edge-plugin:service', service, '--framework', framework],
        ...['--install', 'lockfile-only'],
      );
      const port = new RegExp(`${service}: ${framework}, port (\\d+)`).exec(generated.stdout);
      if (!port) throw new Error(`nx g did not name the port of ${service}:\n${generated.stdout}`);
      ports.set(framework, Number(port[1]));
    }
    const services = FRAMEWORKS.map((framework) => `bench-${framework}`);
    logger.info(`bundling ${services.join(', ')}`);
    await nx('run-many', '-t', 'bundle', '-p', services.join(','), '--outputStyle=static');
    const { inventory } = await fleetUp({ name: fleet, nodes: 1, arch: 'amd64', workspaceRoot: root });
    const node = inventory.hosts[0]!;
    logger.info(`deploying ${services.join(', ')} to ${node.name}`);
    await nx(
      ...['run-many', '-t', 'deploy', '-p', services.join(','), '--excludeTaskDependencies'],
      ...[`--inventory=${inventory.path}`, '--outputStyle=static'],
    );
    const figures: TemplateFigures[] = [];
    for (const framework of FRAMEWORKS) {
      const service = `bench-${framework}`;
      const published = node.publishedPorts.get(ports.get(framework)!)!;
      const bin = (arch: string) => join(root, 'dist', service, 'bin', `${service}-linux-${arch}`);
      const runs: number[] = [];
      for (let run = 0; run < restarts!; run++)
        runs.push(await timeRestartToHealthy(node, service, published));
      logger.info(`${service}: autocannon ${connections} connections for ${seconds} s`);
      figures.push({
        framework,
        service,
        port: ports.get(framework)!,
        executableBytes: { x64: (await stat(bin('x64'))).size, arm64: (await stat(bin('arm64'))).size },
        bundleBytes: (await stat(join(root, 'dist', service, 'bundle', 'main.js'))).size,
        startToHealthyMs: { median: median(runs), runs },
        requestsPerSecond: await measureRequests(published, seconds!, connections!),
      });
    }
    const engine = (await runCommand('docker', ['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    const setup = {
      cpus: cpus().length,
      'load before': loadavg()[0]!.toFixed(1),
      node: process.version,
      'docker engine': engine,
      connections: connections!,
      seconds: seconds!,
      restarts: restarts!,
    };
    await mkdir(RESULTS, { recursive: true });
    await writeFile(join(RESULTS, 'frameworks.json'), `${JSON.stringify({ setup, figures }, null, 2)}\n`);
    await writeFile(join(RESULTS, 'frameworks.md'), renderMarkdown(figures, setup));
    console.log(renderMarkdown(figures, setup));
  } finally {
    await fleetDown(fleet, { workspaceRoot: root }).catch((error: unknown) => reportError(error));
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
