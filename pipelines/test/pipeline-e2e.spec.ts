import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetDown, fleetUp, type FleetUpResult } from '@edgeship/edge-fleet';
import {
  testFleetName,
  commitAll,
  copyWorkspaceToThrowawayRepo,
  startRegistry,
  type TestRegistry,
} from '@edgeship/edge-common/testing';
import type { BuildRecord } from '@edgeship/edge-plugin/lib/build-record';
import { runCommand } from '@edgeship/edge-common';
import {
  fetchJson,
  listAffectedProjects,
  readPipelineReport,
  readPublishedPorts,
  runNx,
  runPipelineCli,
  tasksOfOtherProjects,
  type PipelineReport,
} from './pipeline-harness';

// Issue 7, point 4, on a throwaway history of this workspace, its own registry and a real fleet of
// two arm64 nodes: generate a service and commit; only it is affected; the local pipeline builds,
// releases and deploys only it; it answers /version on every node; nothing of the other services ran.
const SERVICE = 'e2e-probe';
const OTHER_SERVICES = ['hello-edge', 'telemetry-gateway'];
const KEY_PASSWORD = 'e2e-key-password';

describe(
  'pipeline end to end: a new service, affected alone, shipped alone',
  { timeout: 60 * 60_000 },
  () => {
    let root: string;
    let fleetName: string;
    let registry: TestRegistry | undefined;
    let fleet: FleetUpResult | undefined;
    let affected: string[] = [];
    let report: PipelineReport | undefined;

    before(async () => {
      root = copyWorkspaceToThrowawayRepo();
      fleetName = testFleetName('pipe-e2e', root);
      registry = await startRegistry({ dir: join(root, '.edgeship', 'registry'), deletes: true });
      // The project key, password-protected, in place before the pipeline runs: with CI set (.ci/run) release
      // neither makes one nor takes one without a password; deploy verifies against its cosign.pub.
      const keyDir = join(root, '.edgeship', 'keys');
      mkdirSync(keyDir, { recursive: true, mode: 0o700 });
      await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(keyDir, 'cosign')}`], {
        cwd: keyDir,
        env: { ...process.env, COSIGN_PASSWORD: KEY_PASSWORD },
      });
    });

    after(async () => {
      await registry?.stop();
      if (process.env.EDGESHIP_KEEP_E2E) {
        console.error(`kept ${root} and fleet ${fleetName} (EDGESHIP_KEEP_E2E)`);
        return;
      }
      if (fleet)
        await fleetDown(fleetName, { workspaceRoot: root }).catch((error: unknown) => console.error(error));
      const images = await runCommand(
        'docker',
        ['images', '--quiet', '--filter', `reference=edgeship/${SERVICE}`],
        {
          check: false,
        },
      );
      const ids = [...new Set(images.stdout.split('\n').filter(Boolean))];
      if (ids.length > 0) await runCommand('docker', ['rmi', '--force', ...ids], { check: false });
      rmSync(root, { recursive: true, force: true });
    });

    it('nx g creates the service and, once committed, nx affected lists only it', () => {
      const generate = runNx(root, [
        'g',
        '@edgeship/edge-plugin:service',
        SERVICE,
        '--install=lockfile-only',
      ]);
      assert.equal(generate.code, 0, generate.output);
      commitAll(root, `add ${SERVICE}`);
      affected = listAffectedProjects(root, 'HEAD~1', 'HEAD');
      assert.deepEqual(
        affected,
        [SERVICE],
        'only the new service may be affected: a lockfile change that names no moved package must not affect ' +
          'every project (nx.json pluginsConfig["@nx/js"].projectsAffectedByDependencyUpdates = "auto"), and the ' +
          "other services' lock targets must not take every package.json and the whole lockfile as input",
      );
    });

    it('the local pipeline builds, releases and deploys only the new service', async () => {
      // With other projects affected the pipeline would rebuild and redeploy them too: stop here.
      assert.deepEqual(
        affected,
        [SERVICE],
        'not run: nx affected selects more than the new service (first test)',
      );
      fleet = await fleetUp({ name: fleetName, nodes: 2, arch: 'arm64', workspaceRoot: root });
      const run = runPipelineCli(
        root,
        ['--base', 'HEAD~1', '--head', 'HEAD', '--inventory', fleet.inventoryPath, '--json'],
        { EDGESHIP_REGISTRY: registry!.host, COSIGN_PASSWORD: KEY_PASSWORD },
      );
      report = readPipelineReport(run);
      assert.equal(report.scope.kind, 'affected');
      const byStage = Object.fromEntries(report.stages.map((s) => [s.stage, s]));
      for (const stage of ['format', 'lock', 'test', 'bundle', 'image', 'release', 'deploy']) {
        assert.equal(byStage[stage]?.status, 'ok', stage);
        assert.ok(byStage[stage]!.executedTasks.includes(`${SERVICE}:${stage}`), `${SERVICE}:${stage} ran`);
      }
      assert.ok(existsSync(join(root, 'dist', SERVICE, 'release.json')), 'release.json written');
    });

    it('the other services were neither rebuilt nor redeployed', () => {
      assert.ok(report, 'no pipeline report (previous test)');
      const ran = report.stages.flatMap((s) => s.executedTasks);
      assert.deepEqual(tasksOfOtherProjects(ran, [SERVICE]), [], 'tasks of other projects executed');
      const seen = report.stages.flatMap((s) => s.tasks);
      assert.deepEqual(tasksOfOtherProjects(seen, [SERVICE]), [], 'tasks of other projects even considered');
      for (const other of OTHER_SERVICES)
        assert.equal(existsSync(join(root, 'dist', other)), false, `${other} built`);
    });

    it('answers /version on every node of the fleet', async () => {
      assert.ok(report && fleet, 'no pipeline report (previous test)');
      const manifest = JSON.parse(readFileSync(join(root, 'packages', SERVICE, 'package.json'), 'utf8'));
      const ports = readPublishedPorts(fleet.inventoryPath, manifest.edgeship.port as number);
      assert.equal(Object.keys(ports).length, 2);
      for (const [node, port] of Object.entries(ports)) {
        const version = await fetchJson(`http://127.0.0.1:${port}/version`);
        assert.equal(version.name, SERVICE, node);
        assert.equal(version.version, '0.1.0', node);
      }
    });

    it('in CI, refuses a changed executable, an unsigned build, a foreign signature, a missing record and an uncovered arch before any node changes', async () => {
      assert.ok(report && fleet, 'no pipeline report (previous test)');
      const dist = join(root, 'dist', SERVICE);
      const backup = join(root, '.edgeship', 'dist-released');
      cpSync(dist, backup, { recursive: true });
      const restore = () => {
        rmSync(dist, { recursive: true, force: true });
        cpSync(backup, dist, { recursive: true });
      };
      const nodeReleases = () =>
        Promise.all(
          fleet!.inventory.hosts.map(
            async (host) =>
              (
                await runCommand('docker', [
                  'exec',
                  host.container,
                  'ls',
                  `/opt/edgeship/${SERVICE}/releases`,
                ])
              ).stdout,
          ),
        );
      const before = await nodeReleases();
      const deploy = () =>
        runNx(
          root,
          ['run', `${SERVICE}:deploy`, '--excludeTaskDependencies', `--inventory=${fleet!.inventoryPath}`],
          { CI: 'true', COSIGN_PASSWORD: '' },
        );
      const refusedBeforeAnsible = (pattern: RegExp) => {
        const run = deploy();
        assert.notEqual(run.code, 0, run.output);
        assert.match(run.output, pattern);
        assert.doesNotMatch(run.output, /PLAY \[/, 'refused before ansible-playbook ran');
      };
      const record = join(dist, 'bin', 'executables.json');
      const editRecord = (file: string, change: (document: BuildRecord) => void) => {
        const document = JSON.parse(readFileSync(file, 'utf8')) as BuildRecord;
        change(document);
        writeFileSync(file, JSON.stringify(document, null, 2));
      };
      const scratch = mkdtempSync(join(tmpdir(), 'edgeship-e2e-trust-'));
      try {
        // Changed after the release, its checksum regenerated to match: only the signature can tell.
        const executable = join(dist, 'bin', `${SERVICE}-linux-arm64`);
        appendFileSync(executable, 'changed after the release');
        const sha256 = createHash('sha256').update(readFileSync(executable)).digest('hex');
        editRecord(record, (document) => {
          document.executables.find((entry) => entry.arch === 'arm64')!.sha256 = sha256;
        });
        refusedBeforeAnsible(/no longer holds the build that was released/);
        restore();

        rmSync(join(dist, 'build.json.sig'));
        refusedBeforeAnsible(/build\.json is not signed .*signatures are required \(in CI\)/);
        restore();

        await runCommand('cosign', ['generate-key-pair', `--output-key-prefix=${join(scratch, 'foreign')}`], {
          env: { ...process.env, COSIGN_PASSWORD: '' },
        });
        await runCommand(
          'cosign',
          [
            ...['sign-blob', `--key=${join(scratch, 'foreign.key')}`, '--tlog-upload=false', '--yes'],
            ...[`--output-signature=${join(dist, 'build.json.sig')}`, join(dist, 'build.json')],
          ],
          { env: { ...process.env, COSIGN_PASSWORD: '' } },
        );
        refusedBeforeAnsible(/build\.json\.sig does not verify against the trust anchor/);
        restore();

        rmSync(record);
        refusedBeforeAnsible(/e2e-probe has no build here\. Build it: nx run e2e-probe:bundle/);
        restore();

        // Signed by the project key, but for amd64 only: the nodes are arm64. Refused in the probe play.
        for (const file of [record, join(dist, 'build.json')])
          editRecord(file, (document) => {
            document.executables = document.executables.filter((entry) => entry.arch !== 'arm64');
          });
        await runCommand(
          'cosign',
          [
            ...['sign-blob', `--key=${join(root, '.edgeship', 'keys', 'cosign.key')}`, '--tlog-upload=false'],
            ...['--yes', `--output-signature=${join(dist, 'build.json.sig')}`, join(dist, 'build.json')],
          ],
          { env: { ...process.env, COSIGN_PASSWORD: KEY_PASSWORD } },
        );
        const uncovered = deploy();
        assert.notEqual(uncovered.code, 0, uncovered.output);
        assert.match(uncovered.output, /e2e-probe: the build record has no binary artifact for arm64/);
        restore();
        assert.deepEqual(await nodeReleases(), before, 'no node changed');
        // The control: the released build itself deploys (already in place: nothing to do).
        const control = deploy();
        assert.equal(control.code, 0, control.output);
        assert.match(control.output, /build record signature verified/);
      } finally {
        restore();
        rmSync(backup, { recursive: true, force: true });
        rmSync(scratch, { recursive: true, force: true });
      }
      const manifest = JSON.parse(readFileSync(join(root, 'packages', SERVICE, 'package.json'), 'utf8'));
      for (const [node, port] of Object.entries(
        readPublishedPorts(fleet.inventoryPath, manifest.edgeship.port),
      ))
        assert.equal((await fetchJson(`http://127.0.0.1:${port}/version`)).version, '0.1.0', node);
    });
  },
);
