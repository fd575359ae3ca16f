import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createPipelineFixture } from '@edgeship/pipeline/testing/fixture-workspace';
import { EMPTY_TREE } from '../gitlab/nx-shas';
import {
  BUILD,
  definition,
  everyPipeline,
  mainOnly,
  nxCommands,
  readYaml,
  shipCommand,
  stepLines,
  type Step,
} from './ci-files';

// The CI files, read as CI reads them (YAML), checked against pipelines/stages.yml. No network.
// Who may run what, and with which secrets, is trust-levels.spec.ts.

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
  const jobs = workflow.jobs as Record<string, { steps: Step[]; [key: string]: any }>;

  it('runs on pushes to main and on pull requests, in a build job and a ship job', () => {
    assert.deepEqual(workflow.on.push.branches, [definition.mainBranch]);
    assert.ok('pull_request' in workflow.on);
    assert.deepEqual(Object.keys(jobs).sort(), ['build', 'ship']);
  });

  for (const [name, job] of Object.entries(jobs)) {
    it(`${name}: installs with npm ci on a full-history checkout`, () => {
      const checkout = job.steps.find((s) => String(s.uses).startsWith('actions/checkout@'));
      assert.equal(checkout?.with['fetch-depth'], 0);
      const install = job.steps.findIndex((s) => s.run === 'npm ci --no-audit --no-fund');
      assert.ok(install > 0);
      assert.ok(!job.steps.some((s) => /npm (install|i)\b/.test(String(s.run ?? ''))));
      assert.ok(install < job.steps.findIndex((s) => /\bnx\b/.test(String(s.run ?? ''))));
    });

    it(`${name}: derives base and head with nx-set-shas against main before any nx command`, () => {
      const shas = job.steps.findIndex((s) => String(s.uses).startsWith('nrwl/nx-set-shas@'));
      assert.ok(shas > 0);
      assert.equal(job.steps[shas]!.with['main-branch-name'], definition.mainBranch);
      assert.ok(shas < job.steps.findIndex((s) => /\bnx affected\b/.test(String(s.run ?? ''))));
    });
  }

  it('builds the every-pipeline stages in build; ship builds them too, then releases and deploys', () => {
    assert.deepEqual(nxCommands(stepLines(jobs.build!.steps)), [BUILD]);
    assert.deepEqual(nxCommands(stepLines(jobs.ship!.steps)), [BUILD, ...mainOnly.map(shipCommand)]);
  });

  it("releases with the project's signing key and registry from the settings, failing clearly without them", () => {
    const steps = jobs.ship!.steps;
    const keys = steps.find((s) => s.name === 'Registry and signing key')!;
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
    const steps = jobs.ship!.steps;
    const write = steps.find((s) => s.name === 'Write the inventory')!;
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
    const checks = [
      /test -n "\$EDGESHIP_INVENTORY" \|\|[\s\S]*is not set[\s\S]*exit 1/,
      /test -n "\$EDGESHIP_REGISTRY" && test -n "\$EDGESHIP_COSIGN_KEY"[\s\S]*exit 1/,
      /test -n "\$EDGESHIP_DEPLOY_KEY" \|\|[\s\S]*exit 1/,
    ].map((check) => ship.findIndex((l) => check.test(l)));
    assert.ok(
      checks.every((index) => index >= 0 && index < build),
      'settings checked before building',
    );
    assert.ok(ship.some((l) => l.includes('export EDGESHIP_COSIGN_KEY_DIR=')));
    assert.ok(ci.ship.resource_group, 'deploys are serialized');
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
