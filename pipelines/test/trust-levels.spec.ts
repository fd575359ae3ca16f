import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DEPLOY_KEY_SECRET,
  DEPLOY_KEY_WRAPPER,
  ROOT,
  definition,
  mainOnly,
  nxCommands,
  readYaml,
  stepLines,
  type Step,
} from './ci-files';
import { writesPrivateKey } from './writes-private-key';

// Trust levels (pipelines/README.md): pull/merge-request jobs run unreviewed code, so they get no
// secret and a runner that holds none; release and deploy run only in the main-branch job, on the
// trusted runner; the deploy key reaches Ansible through a per-job agent, never a file. No network.
const runners = definition.runners!;
const secretsOf = (target: string) => definition.stages.find((s) => s.target === target)!.secrets;
const ALL_SECRETS = definition.stages.flatMap((s) => s.secrets);
const shipsFrom = (lines: string[]) =>
  nxCommands(lines).some((l) => mainOnly.some((t) => l.includes(`-t ${t} `)));
const callsSshAgentItself = (line: string) => /\bssh-(add|agent)\b/.test(line);

describe('writesPrivateKey', () => {
  it('flags the usual ways a CI script leaves a key on disk', () => {
    for (const line of [
      'echo "$SSH_PRIVATE_KEY" > ~/.ssh/id_ed25519',
      `printf '%s\\n' "$EDGESHIP_DEPLOY_KEY" > deploy.key`,
      'echo "${DEPLOY_KEY}" | tee key',
      'cp "$EDGESHIP_DEPLOY_KEY" /root/deploy',
      'install -m 600 /dev/stdin ~/.ssh/edge',
      'echo "$KEY_B64" | base64 -d > k',
      'cat "$EDGESHIP_DEPLOY_KEY" >> /root/.ssh/id_rsa',
    ]) {
      assert.ok(writesPrivateKey(line), line);
    }
  });

  it('lets through a key piped to an agent, a link to a CI file variable and the paths CI writes', () => {
    for (const line of [
      `printf '%s\\n' "$EDGESHIP_DEPLOY_KEY" | ssh-add -q -`,
      'ln -s "$EDGESHIP_COSIGN_KEY" "$EDGESHIP_COSIGN_KEY_DIR/cosign.key"',
      'echo "EDGESHIP_COSIGN_KEY_DIR=$key_dir" >> "$GITHUB_ENV"',
      `printf '%s\\n' "$INVENTORY_YAML" > "$RUNNER_TEMP/edgeship-inventory.yml"`,
    ]) {
      assert.ok(!writesPrivateKey(line), line);
    }
  });
});

describe('Ansible in CI', () => {
  it('forces no key file, so ssh takes the deploy key from the agent at SSH_AUTH_SOCK', () => {
    const config = readFileSync(join(ROOT, 'playbooks/ansible.cfg'), 'utf8');
    assert.doesNotMatch(config, /private_key_file|IdentitiesOnly|IdentityFile|IdentityAgent/i);
    const executor = join(ROOT, 'tools/edge-plugin/src/executors/deploy');
    const sources = readdirSync(executor, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.startsWith('test/'),
    );
    assert.ok(sources.length > 0);
    for (const file of sources) {
      assert.doesNotMatch(readFileSync(join(executor, file), 'utf8'), /--private-key|private_key_file/, file);
    }
  });
});

describe('GitHub Actions trust levels', () => {
  const workflow = readYaml('pipelines/github/edgeship.yml');
  const jobs = Object.entries(workflow.jobs as Record<string, { steps: Step[]; [key: string]: any }>);
  const MAIN_GATE = `github.event_name == 'push' && github.ref == 'refs/heads/${definition.mainBranch}'`;
  const NOT_MAIN = `github.event_name != 'push' || github.ref != 'refs/heads/${definition.mainBranch}'`;
  const secretRefs = (value: unknown) =>
    [...JSON.stringify(value).matchAll(/\bsecrets\.(\w+)/g)].map((m) => m[1]!);

  it('grants nothing by default and every job a read-only token', () => {
    assert.deepEqual(workflow.permissions, {});
    for (const [name, job] of jobs) {
      assert.equal(job.permissions?.contents, 'read', name);
      for (const [scope, level] of Object.entries(job.permissions))
        assert.equal(level, 'read', `${name}: ${scope}`);
    }
  });

  it('runs everything but main pushes on the untrusted runner, with no secret and no environment', () => {
    const untrusted = jobs.filter(([, job]) => job.if !== MAIN_GATE);
    assert.ok(untrusted.length > 0);
    for (const [name, job] of untrusted) {
      assert.equal(job.if, NOT_MAIN, `${name} runs for pull requests and manual runs only`);
      assert.ok(job['runs-on'].includes(runners.untrusted), `${name} runs-on ${job['runs-on']}`);
      assert.ok(!job['runs-on'].includes(runners.trusted), `${name} reaches the trusted runner`);
      assert.deepEqual(secretRefs(job), [], `${name} references secrets`);
      assert.equal(job.environment, undefined, name);
      assert.ok(!shipsFrom(stepLines(job.steps)), `${name} releases or deploys`);
    }
  });

  it('releases and deploys only in the main-push job, on the trusted runner, in the edge environment', () => {
    for (const [name, job] of jobs) {
      const isTrusted = job['runs-on'].includes(runners.trusted);
      if (shipsFrom(stepLines(job.steps))) assert.ok(isTrusted, `${name} ships from ${job['runs-on']}`);
      if (!isTrusted) continue;
      assert.equal(job.if, MAIN_GATE, `${name} can run outside main`);
      assert.equal(job.environment, 'edge', `${name}: secrets come from the protected environment`);
    }
  });

  it("references stages.yml's secrets only, each in the steps that lead to its own stage", () => {
    const referenced = new Set<string>();
    for (const [name, job] of jobs) {
      job.steps.forEach((step, index) => {
        const refs = secretRefs(step);
        if (refs.length === 0) return;
        assert.equal(job.if, MAIN_GATE, `${name}: ${step.name} uses secrets outside main`);
        // The stage a secret serves is the next nx command at or after the step that reads it.
        const next = job.steps.slice(index).find((s) => nxCommands(stepLines([s])).length > 0);
        const target = /-t (\S+)/.exec(String(next?.run))?.[1] ?? '(none)';
        for (const ref of refs) {
          assert.ok(secretsOf(target)?.includes(ref), `${step.name} gives ${ref} to ${target}`);
          referenced.add(ref);
        }
      });
    }
    assert.deepEqual([...referenced].sort(), [...ALL_SECRETS].sort());
  });

  it('gives the deploy key to the per-job agent only', () => {
    const steps = jobs.flatMap(([, job]) => job.steps);
    const users = steps.filter((s) => secretRefs(s).includes(DEPLOY_KEY_SECRET));
    assert.equal(users.length, 1);
    assert.deepEqual(Object.keys(users[0]!.env), [DEPLOY_KEY_SECRET]);
    assert.ok(String(users[0]!.run).startsWith(DEPLOY_KEY_WRAPPER), users[0]!.run);
    assert.deepEqual(stepLines(steps).filter(callsSshAgentItself), []);
  });

  it('writes no key to a file but the signing key, in job-private temp, removed after release whatever happens', () => {
    const [, ship] = jobs.find(([, job]) => job.if === MAIN_GATE)!;
    for (const [name, job] of jobs) {
      for (const step of job.steps) {
        const writes = stepLines([step]).filter(writesPrivateKey);
        if (writes.length === 0) continue;
        assert.ok(
          job === ship && step.name === 'Registry and signing key',
          `${name}: ${step.name}: ${writes}`,
        );
        assert.deepEqual(writes, [
          `(umask 077 && mkdir -p "$key_dir" && printf '%s\\n' "$COSIGN_KEY" > "$key_dir/cosign.key")`,
        ]);
        assert.match(step.run, /^key_dir="\$RUNNER_TEMP\/cosign"$/m);
      }
    }
    const index = (predicate: (s: Step) => boolean) => ship.steps.findIndex(predicate);
    const removal = index((s) => s.if === 'always()' && s.run === 'rm -rf "$RUNNER_TEMP/cosign"');
    assert.ok(index((s) => /-t release /.test(String(s.run))) < removal, 'removed after release');
    assert.ok(removal < index((s) => /-t deploy /.test(String(s.run))), 'removed before deploy');
  });
});

describe('GitLab CI trust levels', () => {
  const ci = readYaml('pipelines/gitlab/.gitlab-ci.yml');
  const MAIN_RULE = [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];
  // A job as GitLab runs it: the keys of what it extends, then its own.
  const jobs = Object.entries(ci)
    .filter(([name, job]) => !name.startsWith('.') && Array.isArray(job?.script))
    .map(([name, job]) => [name, { ...(job.extends ? ci[job.extends] : {}), ...job }] as const);
  const lines = (job: Record<string, any>) => [...(job.before_script ?? []), ...job.script] as string[];
  const isMainOnly = (job: Record<string, any>) => JSON.stringify(job.rules) === JSON.stringify(MAIN_RULE);

  it('runs every job that is not main-only on the untrusted runner, naming no protected variable', () => {
    const untrusted = jobs.filter(([, job]) => !isMainOnly(job));
    assert.ok(untrusted.length > 0);
    for (const [name, job] of untrusted) {
      assert.deepEqual(job.tags, [runners.untrusted], name);
      const text = JSON.stringify(job);
      assert.deepEqual(
        ALL_SECRETS.filter((secret) => text.includes(secret)),
        [],
        `${name} names secrets`,
      );
      assert.ok(!shipsFrom(lines(job)), `${name} releases or deploys`);
    }
    const globals = JSON.stringify(ci.variables);
    assert.deepEqual(
      ALL_SECRETS.filter((secret) => globals.includes(secret)),
      [],
    );
  });

  it('releases and deploys only on the default branch, on the trusted runner', () => {
    for (const [name, job] of jobs) {
      assert.ok(Array.isArray(job.tags) && job.tags.length > 0, `${name} may land on any runner`);
      const isTrusted = job.tags.includes(runners.trusted);
      if (shipsFrom(lines(job))) assert.ok(isTrusted, `${name} ships from ${job.tags}`);
      if (isTrusted) assert.ok(isMainOnly(job), `${name} can run outside the default branch`);
    }
  });

  it('gives the deploy key to the per-job agent only', () => {
    const all = jobs.flatMap(([, job]) => lines(job));
    const deploy = all.filter((l) => /-t deploy /.test(l));
    assert.ok(deploy.length === 1 && deploy[0]!.startsWith(DEPLOY_KEY_WRAPPER), String(deploy));
    const mentions = all.filter((l) => l.includes(DEPLOY_KEY_SECRET));
    assert.ok(
      mentions.length === 1 && /^test -n "\$EDGESHIP_DEPLOY_KEY" \|\|/.test(mentions[0]!),
      String(mentions),
    );
    assert.deepEqual(all.filter(callsSshAgentItself), []);
  });

  it('writes no key to a file: the signing key is a link to the File variable, gone after release', () => {
    const all = jobs.flatMap(([, job]) => lines(job));
    assert.deepEqual(all.filter(writesPrivateKey), []);
    const ship = lines(jobs.find(([, job]) => shipsFrom(lines(job)))![1]);
    const link = ship.indexOf('ln -s "$EDGESHIP_COSIGN_KEY" "$EDGESHIP_COSIGN_KEY_DIR/cosign.key"');
    const release = ship.findIndex((l) => /-t release /.test(l));
    const removal = ship.indexOf('rm -rf "$EDGESHIP_COSIGN_KEY_DIR"');
    assert.ok(link >= 0 && link < release && release < removal, 'linked before release, removed after');
    assert.ok(removal < ship.findIndex((l) => /-t deploy /.test(l)), 'removed before deploy');
  });
});
