import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';
import { WORKSPACE_ROOT } from './fleet-helpers';

const PLAYBOOKS = join(WORKSPACE_ROOT, 'playbooks');
const lint = (cwd: string) => ({
  yamllint: () => runCommand('yamllint', ['--strict', '.'], { cwd, check: false }),
  ansibleLint: () =>
    runCommand('ansible-lint', ['--nocolor'], {
      cwd,
      check: false,
      env: { ...process.env, ANSIBLE_CONFIG: join(cwd, 'ansible.cfg') },
    }),
  syntax: () =>
    runCommand(
      'ansible-playbook',
      ['--syntax-check', '-i', 'localhost,', 'deploy.yml', 'status.yml', 'logs.yml', 'rollback.yml'],
      {
        cwd,
        check: false,
        env: { ...process.env, ANSIBLE_CONFIG: join(cwd, 'ansible.cfg') },
      },
    ),
});

describe('playbooks/ lint', { timeout: 10 * 60_000 }, () => {
  const scratch: string[] = [];
  after(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('passes yamllint, ansible-lint (production profile) and a syntax check', async () => {
    const { yamllint, ansibleLint, syntax } = lint(PLAYBOOKS);
    const yaml = await yamllint();
    assert.equal(yaml.exitCode, 0, yaml.stdout);
    const ansible = await ansibleLint();
    assert.equal(ansible.exitCode, 0, `${ansible.stdout}\n${ansible.stderr}`);
    assert.match(ansible.stderr + ansible.stdout, /Passed with production profile/);
    const parsed = await syntax();
    assert.equal(parsed.exitCode, 0, parsed.stderr);
  });

  it('fails on a task that breaks the house style (proof the gate can fail)', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'edgeship-playbooks-lint-'));
    scratch.push(copy);
    await cp(PLAYBOOKS, copy, { recursive: true });
    await appendFile(
      join(copy, 'roles', 'edge_service', 'tasks', 'verify.yml'),
      '\n- shell: rm -rf /tmp/x\n  args:\n    warn: no\n',
    );
    const { ansibleLint } = lint(copy);
    const result = await ansibleLint();
    assert.notEqual(result.exitCode, 0);
    assert.match(
      result.stdout + result.stderr,
      /name\[missing\]|fqcn|command-instead-of-shell|no-changed-when/,
    );
  });
});
