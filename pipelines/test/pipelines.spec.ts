import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { createPipelineFixture } from '../../tools/pipeline/test/fixture-workspace';
import { readPipelineDefinition } from '../../tools/pipeline/src/stages';
import { EMPTY_TREE } from '../gitlab/nx-shas';

// The CI files, read as CI reads them (YAML), checked against pipelines/stages.yml. No network.
const ROOT = join(__dirname, '..', '..');
const definition = readPipelineDefinition(ROOT);
const everyPipeline = definition.stages.filter((s) => s.when === 'every-pipeline').map((s) => s.target);
const mainOnly = definition.stages.filter((s) => s.when === 'main').map((s) => s.target);
const BUILD = `npx nx affected -t ${everyPipeline.join(' ')} --base="$NX_BASE" --head="$NX_HEAD"`;
const shipCommand = (target: string) => {
  const stage = definition.stages.find((s) => s.target === target)!;
  return [
    `npx nx affected -t ${target} --base="$NX_BASE" --head="$NX_HEAD"`,
    ...(stage.parallel ? [`--parallel=${stage.parallel}`] : []),
    ...(stage.needsInventory ? [`--inventory="$${definition.inventoryVariable}"`] : []),
  ].join(' ');
};

const readYaml = (path: string) => parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;
const nxCommands = (lines: string[]) => lines.filter((line) => /\bnx (affected|run-many)\b/.test(line));

describe('stages.yml', () => {
  it('lists the targets the plugin registers, every-pipeline first, then main-only', () => {
    const executors = Object.keys(readYaml('tools/edge-plugin/executors.json').executors);
    for (const stage of definition.stages) assert.ok(executors.includes(stage.target), stage.target);
    assert.deepEqual(everyPipeline, ['format', 'lock', 'test', 'bundle', 'image']);
    assert.deepEqual(mainOnly, ['release', 'deploy']);
  });
});

describe('GitHub Actions workflow', () => {
  const workflow = readYaml('pipelines/github/edgeship.yml');
  const steps = workflow.jobs.pipeline.steps as Array<Record<string, any>>;
  const runs = (predicate: (step: Record<string, any>) => boolean) =>
    steps.filter(predicate).flatMap((s) => String(s.run ?? '').split('\n'));
  const isMainGate = (condition: unknown) =>
    condition === `github.event_name == 'push' && github.ref == 'refs/heads/${definition.mainBranch}'`;

  it('runs on pushes to main and on pull requests', () => {
    assert.deepEqual(workflow.on.push.branches, [definition.mainBranch]);
    assert.ok('pull_request' in workflow.on);
    assert.equal(workflow.permissions.actions, 'read');
  });

  it('installs with npm ci on a full-history checkout', () => {
    const checkout = steps.find((s) => String(s.uses).startsWith('actions/checkout@'));
    assert.equal(checkout?.with['fetch-depth'], 0);
    const install = steps.findIndex((s) => s.run === 'npm ci --no-audit --no-fund');
    assert.ok(install > 0);
    assert.ok(!steps.some((s) => /npm (install|i)\b/.test(String(s.run ?? ''))));
    assert.ok(install < steps.findIndex((s) => /\bnx\b/.test(String(s.run ?? ''))));
  });

  it('derives base and head with nx-set-shas against main before any nx command', () => {
    const shas = steps.findIndex((s) => String(s.uses).startsWith('nrwl/nx-set-shas@'));
    assert.ok(shas > 0);
    assert.equal(steps[shas]!.with['main-branch-name'], definition.mainBranch);
    assert.ok(shas < steps.findIndex((s) => /\bnx affected\b/.test(String(s.run ?? ''))));
  });

  it('builds the every-pipeline stages ungated, then release and deploy on main only', () => {
    assert.deepEqual(nxCommands(runs((s) => !s.if)), [BUILD]);
    assert.deepEqual(nxCommands(runs((s) => isMainGate(s.if))), mainOnly.map(shipCommand));
    assert.deepEqual(nxCommands(runs(() => true)), [BUILD, ...mainOnly.map(shipCommand)]);
  });

  it("releases with the project's signing key and registry from the settings, failing clearly without them", () => {
    const keys = steps.find((s) => s.name === 'Registry and signing key')!;
    assert.ok(isMainGate(keys.if));
    assert.match(keys.env.COSIGN_KEY, /secrets\.EDGESHIP_COSIGN_KEY/);
    assert.match(keys.run, /::error::release needs the variable EDGESHIP_REGISTRY[\s\S]*exit 1/);
    assert.match(keys.run, /EDGESHIP_COSIGN_KEY_DIR=\$key_dir" >> "\$GITHUB_ENV"/);
    const release = steps.find((s) => /-t release/.test(String(s.run ?? '')))!;
    assert.ok(steps.indexOf(keys) < steps.indexOf(release));
    assert.deepEqual(Object.keys(release.env).sort(), [
      'COSIGN_PASSWORD',
      'EDGESHIP_REGISTRY_PASSWORD',
      'EDGESHIP_REGISTRY_USER',
    ]);
  });

  it('fails the deploy clearly when the inventory secret is missing', () => {
    const write = steps.find((s) => s.name === 'Write the inventory')!;
    assert.ok(isMainGate(write.if));
    assert.match(write.env.INVENTORY_YAML, /secrets\.EDGESHIP_INVENTORY/);
    assert.match(
      write.run,
      /if \[ -z "\$INVENTORY_YAML" \]; then[\s\S]*::error::EDGESHIP_INVENTORY is not set[\s\S]*exit 1/,
    );
    assert.ok(steps.indexOf(write) < steps.findIndex((s) => /-t deploy/.test(String(s.run ?? ''))));
  });
});

describe('GitLab CI', () => {
  const ci = readYaml('pipelines/gitlab/.gitlab-ci.yml');
  const template = ci['.edgeship'];
  const script = (job: string) => ci[job].script as string[];

  it('installs with npm ci on a full clone and derives base and head with nx-shas.ts', () => {
    assert.equal(ci.variables.GIT_DEPTH, '0');
    const before = template.before_script as string[];
    const install = before.indexOf('npm ci --no-audit --no-fund');
    const shas = before.findIndex((line) => line.includes('pipelines/gitlab/nx-shas.ts'));
    assert.ok(install >= 0 && shas > install);
    assert.match(before[shas + 1]!, /\. \.\/nx-shas\.env/);
    for (const job of ['build', 'ship']) assert.equal(ci[job].extends, '.edgeship');
  });

  it('builds merge requests and branches, but never ships from them', () => {
    assert.deepEqual(ci.build.rules[0], { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'never' });
    assert.deepEqual(nxCommands(script('build')), [BUILD]);
  });

  it('ships from the default branch only: build, release, deploy to the inventory variable', () => {
    assert.deepEqual(ci.ship.rules, [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    assert.deepEqual(nxCommands(script('ship')), [BUILD, ...mainOnly.map(shipCommand)]);
    const ship = script('ship');
    const build = ship.indexOf(BUILD);
    const inventoryCheck = ship.findIndex((l) =>
      /test -n "\$EDGESHIP_INVENTORY" \|\|[\s\S]*is not set[\s\S]*exit 1/.test(l),
    );
    const releaseCheck = ship.findIndex((l) =>
      /test -n "\$EDGESHIP_REGISTRY" && test -n "\$EDGESHIP_COSIGN_KEY"[\s\S]*exit 1/.test(l),
    );
    assert.ok(
      inventoryCheck >= 0 && releaseCheck >= 0 && inventoryCheck < build && releaseCheck < build,
      'settings checked before building',
    );
    assert.ok(ship.some((l) => l.includes('export EDGESHIP_COSIGN_KEY_DIR=')));
    assert.ok(ci.ship.resource_group, 'deploys are serialized');
  });

  it('has no job that runs release or deploy without the default-branch rule', () => {
    for (const [name, job] of Object.entries(ci)) {
      if (name.startsWith('.') || !Array.isArray(job?.script)) continue;
      const ships = nxCommands(job.script).some((line) => mainOnly.some((t) => line.includes(`-t ${t}`)));
      if (ships) assert.deepEqual(job.rules, [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }], name);
    }
  });
});

describe('the full-run base of nx-shas.ts', () => {
  const root = createPipelineFixture();
  after(() => rmSync(root, { recursive: true, force: true }));

  it('makes nx affected select every project (real nx)', () => {
    const output = execFileSync(
      join(root, 'node_modules/.bin/nx'),
      ['show', 'projects', '--affected', `--base=${EMPTY_TREE}`, '--head=HEAD', '--json'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
    );
    assert.deepEqual((JSON.parse(output) as string[]).sort(), ['a', 'b']);
  });
});
