// Set-up shared by `npm start` and `npm test`: prerequisites, then dependencies.
// Uses Node built-ins only, because it runs before node_modules exists on a fresh machine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(command, args) {
  console.log(`▸ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: workspaceRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
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

if (process.env.EDGESHIP_SKIP_BOOTSTRAP !== '1') run('bash', ['tools/bootstrap/bootstrap.sh']);
// A throwaway copy of the workspace (tests, benchmarks) links node_modules to the real one: `npm ci`
// through that link would empty the real workspace's node_modules, so it is never run there.
if (!dependenciesAreCurrent()) {
  if (isLinkedNodeModules())
    console.log('▸ node_modules links to another workspace: npm ci left to that one');
  else run('npm', ['ci', '--no-audit', '--no-fund']);
}

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
