import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkSemver } from '../../../lib/semver';
import { runCommand } from '@edgeship/edge-common';
import { WORKSPACE_ROOT } from './fleet-helpers';

/*
 * The edge_service role's own input checks, run by the real ansible-playbook on the controller (no node): its
 * semver pattern against the executor's checkSemver, and the filter that renders edge_service_environment as
 * the release's EnvironmentFile. What systemd makes of that file is environment.spec.ts's business.
 */
const ROLE = join(WORKSPACE_ROOT, 'playbooks', 'roles', 'edge_service');
let workDir: string;

/** Runs one localhost play over `items` with the role's vars and filters; returns each item's `msg`. */
async function evaluate(items: unknown[], expression: string): Promise<{ ok: boolean; msgs: unknown[] }> {
  const playbook = join(workDir, `play-${Date.now()}.yml`);
  const play = [
    {
      hosts: 'localhost',
      gather_facts: false,
      vars_files: [join(ROLE, 'vars', 'main.yml')],
      tasks: [
        {
          'ansible.builtin.debug': { msg: `{{ ${expression} }}` },
          loop: items,
          ignore_errors: true,
        },
      ],
    },
  ];
  await writeFile(playbook, JSON.stringify(play));
  const run = await runCommand('ansible-playbook', ['-i', 'localhost,', '-c', 'local', playbook], {
    check: false,
    env: {
      ...process.env,
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_FILTER_PLUGINS: join(ROLE, 'filter_plugins'),
      ANSIBLE_LOCALHOST_WARNING: 'false',
    },
  });
  const host = JSON.parse(run.stdout).plays[0].tasks[0].hosts.localhost;
  // An error while templating the loop fails the task as a whole, with no per-item results.
  const results = (host.results ?? [host]) as { msg: unknown; failed?: boolean }[];
  return { ok: results.every((r) => !r.failed), msgs: results.map((r) => r.msg) };
}

describe('edge_service role inputs (real ansible-playbook, localhost)', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'edgeship-role-inputs-'));
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it("accepts exactly the versions the executor's semver check accepts", async () => {
    const versions = [
      ...['1.0.0', '0.1.0', '1.0.0-rc.1', '1.0.0-v4.1733000000000', '1.0.0-x-y', '10.20.30-0.a'],
      ...['1.0.0\nX=1', '1.0.0\n', '1.0.0/../../x', '1.0.0+build', 'v1.0.0', '01.0.0', '1.0.0-01', '1.0'],
    ];
    const { msgs } = await evaluate(versions, 'item is match(_edge_service_semver_pattern)');
    const executor = versions.map((version) => {
      try {
        return checkSemver(version, 'f', 'version') === version;
      } catch {
        return false;
      }
    });
    assert.deepEqual(msgs, executor);
    assert.deepEqual(executor.slice(0, 6), [true, true, true, true, true, true]);
  });

  it('renders edge_service_environment sorted, double-quoted, with \\ " ` $ escaped and newlines kept', async () => {
    const { ok, msgs } = await evaluate(
      [{ Z_LAST: 'plain', A_TRICKY: 'say "hi"\\n\nnext line $HOME `id` %n', B_FLAG: true, C_COUNT: 3 }],
      'item | edge_systemd_environment_file',
    );
    assert.equal(ok, true, JSON.stringify(msgs));
    assert.equal(
      msgs[0],
      'A_TRICKY="say \\"hi\\"\\\\n\nnext line \\$HOME \\`id\\` %n"\n' +
        'B_FLAG="true"\nC_COUNT="3"\nZ_LAST="plain"\n',
    );
  });

  for (const key of ['BAD-NAME', '1ST', 'A B']) {
    it(`refuses the variable name ${JSON.stringify(key)}, naming the key and the fix`, async () => {
      const { ok, msgs } = await evaluate([{ [key]: 'x' }], 'item | edge_systemd_environment_file');
      assert.equal(ok, false);
      assert.equal(
        msgs[0],
        `edge_service_environment has the key '${key}', which is not an environment variable name; ` +
          'use letters, digits and _ (not first a digit), e.g. API_URL.',
      );
    });
  }
});
