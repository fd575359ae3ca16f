// Set-up shared by `npm start` and `npm test`: prerequisites (the bootstrap) and dependencies (npm ci), side by side.
// Uses Node built-ins only, because it runs before node_modules exists on a fresh machine.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createWriteStream, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command to its end; its output goes to the terminal, or to `log` when given. Resolves to its exit. */
function run(command, args, log) {
  const stdio = log ? ['ignore', 'pipe', 'pipe'] : 'inherit';
  const child = spawn(command, args, { cwd: workspaceRoot, stdio });
  const file = log ? createWriteStream(log) : undefined;
  if (file) {
    child.stdout.pipe(file, { end: false });
    child.stderr.pipe(file, { end: false });
  }
  const started = Date.now();
  return new Promise((resolve) => {
    const settle = (outcome) => (file ? file.end(() => resolve(outcome)) : resolve(outcome));
    child.on('error', (error) => settle({ code: 1, detail: error.message, seconds: 0 }));
    child.on('close', (code, signal) =>
      settle({ code: code ?? 1, detail: `exit ${code ?? signal}`, seconds: (Date.now() - started) / 1000 }),
    );
  });
}

function fail(command, args, outcome, log) {
  if (log) {
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    console.error(lines.slice(-20).join('\n'));
  }
  console.error(
    `✖ ${command} ${args.join(' ')} failed (${outcome.detail})${log ? `; whole output: ${log}` : ''}`,
  );
  process.exit(outcome.code || 1);
}

function dependenciesAreCurrent() {
  const installed = join(workspaceRoot, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return false;
  return statSync(installed).mtimeMs >= statSync(join(workspaceRoot, 'package-lock.json')).mtimeMs;
}

function isLinkedNodeModules() {
  try {
    return lstatSync(join(workspaceRoot, 'node_modules')).isSymbolicLink();
  } catch {
    return false;
  }
}

// `--for start` (npm start) asks the bootstrap only for what builds and deploys need; the tests' extra packages
// (chromium, linters, pytest) come with the first npm test.
const forStart = process.argv.slice(2).join(' ') === '--for start';
const bootstrap = ['bash', ['tools/bootstrap/bootstrap.sh', ...(forStart ? ['--for', 'start'] : [])]];
const npmCi = ['npm', ['ci', '--no-audit', '--no-fund']];
const needsBootstrap = process.env.EDGESHIP_SKIP_BOOTSTRAP !== '1';
// A throwaway copy of the workspace (tests, benchmarks) links node_modules to the real one: `npm ci`
// through that link would empty the real workspace's node_modules, so it is never run there.
const needsInstall = !dependenciesAreCurrent() && !isLinkedNodeModules();
if (!dependenciesAreCurrent() && isLinkedNodeModules())
  console.log('▸ node_modules links to another workspace: npm ci left to that one');

// On a fresh machine the bootstrap's apt installs and npm ci take minutes each and need nothing from each other
// (npm ci runs on Node and git alone), so they run side by side; npm ci's output goes to a log, shown on failure.
const npmLog =
  needsBootstrap && needsInstall ? join(tmpdir(), `edgeship-npm-ci-${process.pid}.log`) : undefined;
if (needsInstall)
  console.log(
    `▸ ${npmCi[0]} ${npmCi[1].join(' ')}${npmLog ? ` (beside the bootstrap; log: ${npmLog})` : ''}`,
  );
const installing = needsInstall ? run(...npmCi, npmLog) : Promise.resolve(undefined);
if (needsBootstrap) {
  console.log(`▸ ${bootstrap[0]} ${bootstrap[1].join(' ')}`);
  const outcome = await run(...bootstrap);
  if (outcome.code !== 0) {
    await installing; // npm ci is left to finish, so node_modules is not left half written
    fail(...bootstrap, outcome);
  }
}
const installed = await installing;
if (installed && installed.code !== 0) fail(...npmCi, installed, npmLog);
if (installed) console.log(`✔ npm ci (${installed.seconds.toFixed(1)} s)`);

// Nx loads the plugin as an esbuild bundle (tools/edge-plugin/dist/plugin.js) and rebuilds it itself
// whenever a source changed; building it here keeps that cost out of the first nx call.
try {
  const { ensurePluginBundle } = createRequire(import.meta.url)(
    '../edge-plugin/src/plugins/plugin-bundle.js',
  );
  const { rebuilt } = ensurePluginBundle();
  if (rebuilt) console.log(`▸ built the Nx plugin bundle (${rebuilt})`);
} catch (error) {
  console.error(`✖ ${error.message}`);
  process.exit(1);
}
