import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, parseInventory, type FleetInventory } from '@edgeship/edge-fleet';
import { testFleetName } from '@edgeship/edge-common/testing';
import { runCommand } from '@edgeship/edge-common';
import deployExecutor from '../deploy.impl';
import { contextFor, execOnNode, readReport, WORKSPACE_ROOT } from './fleet-helpers';
import { writeReleaseVariant } from './release-variants';

/*
 * edge_service_environment on a real amd64 systemd node (DynamicUser unit, real ansible-playbook): the values
 * reach the service's process environment byte for byte through the release's service.env, which only root
 * reads, and never appear in the unit file; an unchanged environment keeps the no-op path, a changed one
 * restarts the service with it, a bad name is refused before anything changes.
 * EDGESHIP_ENVIRONMENT_TEST_INVENTORY reuses an amd64 fleet that is up.
 */
const SERVICE = 'hello-edge';
const FLEET = testFleetName('envspec');
const MINUTES = 60_000;
const UNIT = `edgeship-${SERVICE}.service`;
const ENV_FILE = `/opt/edgeship/${SERVICE}/current/service.env`;

/** Everything systemd's EnvironmentFile syntax and the unit file's own parsing make special. */
const TRICKY = 'say "hi" \\ back\\slash\\n\nsecond line $HOME ${PATH} `id` %n \'single\' # not a comment ;x';

let inventory: FleetInventory;
let node: string;
let workDir: string;
let artifactDir: string;
let version: string;

async function deploy(environment: Record<string, unknown>) {
  const reportFile = join(workDir, 'report.json');
  const result = await deployExecutor(
    {
      inventory: inventory.path,
      artifactDir,
      version,
      // Unsigned builds of the test's own: the local fleet accepts them when told so, in CI too.
      allowUnsigned: true,
      report: reportFile,
      healthTimeout: 30,
      stabilityWindow: 2,
      extraVars: { edge_service_environment: environment },
    },
    contextFor(SERVICE),
  );
  const report = await readReport(reportFile);
  assert.equal(report.nodes.length, 1);
  return { success: result.success, node: report.nodes[0]! };
}

/** The service process's environment as the kernel holds it (what process.env is built from). */
async function readProcessEnvironment(): Promise<{ pid: string; env: Map<string, string> }> {
  const pid = (await execOnNode(node, ['systemctl', 'show', '--property=MainPID', '--value', UNIT])).trim();
  assert.notEqual(pid, '0', `${UNIT} has no main process`);
  // docker exec hands the bytes through unchanged; NUL separates the entries.
  const { stdout } = await runCommand('docker', ['exec', node, 'cat', `/proc/${pid}/environ`], {});
  const env = new Map<string, string>();
  for (const entry of stdout.split('\0').filter(Boolean)) {
    const at = entry.indexOf('=');
    env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return { pid, env };
}

describe('edge_service_environment on a real node', { timeout: 40 * MINUTES }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-environment-spec-'));
    const fromEnv = process.env['EDGESHIP_ENVIRONMENT_TEST_INVENTORY'];
    inventory = fromEnv
      ? parseInventory(fromEnv, await readFile(fromEnv, 'utf8'))
      : (await fleetUp({ name: FLEET, nodes: 1, arch: 'amd64' })).inventory;
    node = inventory.hosts[0]!.container;
    await runCommand('npx', ['nx', 'run', `${SERVICE}:bundle`], { cwd: WORKSPACE_ROOT, stream: true });
    // New to the node on every run: a reused fleet keeps releases.
    version = `1.0.0-env.${Date.now()}`;
    artifactDir = await writeReleaseVariant({
      workspaceRoot: WORKSPACE_ROOT,
      service: SERVICE,
      version,
      archs: ['x64'],
      outDir: workDir,
    });
  });

  after(async () => {
    if (!process.env['EDGESHIP_ENVIRONMENT_TEST_INVENTORY']) await fleetDown(FLEET).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it("hands quotes, backslashes, a newline and $ to the service's process exactly", async () => {
    const { success, node: outcome } = await deploy({
      EDGESHIP_SPEC_TRICKY: TRICKY,
      EDGESHIP_SPEC_FLAG: true,
    });
    assert.equal(success, true, JSON.stringify(outcome));
    const { env } = await readProcessEnvironment();
    assert.equal(env.get('EDGESHIP_SPEC_TRICKY'), TRICKY);
    assert.equal(env.get('EDGESHIP_SPEC_FLAG'), 'true');
    // The unit's own variables are still there.
    assert.equal(env.get('NODE_ENV'), 'production');
  });

  it('keeps the values in a file only root reads, and out of the world-readable unit file', async () => {
    assert.equal(
      (await execOnNode(node, ['stat', '--format=%a %U %G', '--dereference', ENV_FILE])).trim(),
      '600 root root',
    );
    const unit = await execOnNode(node, ['cat', `/etc/systemd/system/${UNIT}`]);
    assert.doesNotMatch(unit, /EDGESHIP_SPEC|say "hi"/);
    assert.match(unit, new RegExp(`^EnvironmentFile=/opt/edgeship/${SERVICE}/current/service\\.env$`, 'm'));
    // The service's own (dynamic) user cannot read it.
    const asService = await runCommand(
      'docker',
      ['exec', node, 'systemd-run', '--wait', '--pipe', '--quiet', '-p', 'DynamicUser=yes', 'cat', ENV_FILE],
      { check: false },
    );
    assert.notEqual(asService.exitCode, 0, asService.stdout);
    assert.match(asService.stderr + asService.stdout, /Permission denied/);
  });

  it('takes the same environment again as already deployed (changed=0)', async () => {
    const { pid } = await readProcessEnvironment();
    const { success, node: outcome } = await deploy({
      EDGESHIP_SPEC_TRICKY: TRICKY,
      EDGESHIP_SPEC_FLAG: true,
    });
    assert.equal(success, true, JSON.stringify(outcome));
    assert.equal(outcome.action, 'already deployed', JSON.stringify(outcome));
    assert.equal(outcome.changed, 0);
    assert.equal((await readProcessEnvironment()).pid, pid, 'not restarted');
  });

  it('restarts the same release with a changed value, and drops a removed one', async () => {
    const release = (await execOnNode(node, ['readlink', `/opt/edgeship/${SERVICE}/current`])).trim();
    const { success, node: outcome } = await deploy({ EDGESHIP_SPEC_TRICKY: `${TRICKY} v2` });
    assert.equal(success, true, JSON.stringify(outcome));
    assert.notEqual(outcome.action, 'already deployed');
    const { env } = await readProcessEnvironment();
    assert.equal(env.get('EDGESHIP_SPEC_TRICKY'), `${TRICKY} v2`);
    assert.equal(env.has('EDGESHIP_SPEC_FLAG'), false);
    assert.equal((await execOnNode(node, ['readlink', `/opt/edgeship/${SERVICE}/current`])).trim(), release);
  });

  it('refuses a variable name systemd cannot take before anything on the node changes', async () => {
    const before = await readProcessEnvironment();
    const fileBefore = await execOnNode(node, ['sha1sum', ENV_FILE]);
    const { success, node: outcome } = await deploy({ 'BAD-NAME': 'x', EDGESHIP_SPEC_TRICKY: 'changed' });
    assert.equal(success, false);
    assert.equal(outcome.health, 'refused', JSON.stringify(outcome));
    assert.match(
      outcome.error ?? '',
      /edge_service_environment has the key 'BAD-NAME', which is not an environment/,
    );
    assert.equal((await readProcessEnvironment()).pid, before.pid, 'not restarted');
    assert.equal(await execOnNode(node, ['sha1sum', ENV_FILE]), fileBefore);
  });
});
