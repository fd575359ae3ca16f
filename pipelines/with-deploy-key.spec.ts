import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// Real ssh-agent, ssh-add and ssh-keygen; a throwaway key made here, never a real one.
const SCRIPT = join(__dirname, 'with-deploy-key.sh');
const root = mkdtempSync(join(tmpdir(), 'with-deploy-key-'));
after(() => rmSync(root, { recursive: true, force: true }));

const keyFile = join(root, 'made-by-the-test', 'id');
mkdirSync(join(root, 'made-by-the-test'));
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', keyFile]);
const privateKey = readFileSync(keyFile, 'utf8');
const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${keyFile}.pub`], { encoding: 'utf8' }).split(
  ' ',
)[1]!;

/** A fresh HOME and TMPDIR per run: where a careless script would leave the key. */
function jobEnv(key: string | undefined): { env: NodeJS.ProcessEnv; scratch: string } {
  const scratch = mkdtempSync(join(root, 'job-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: scratch, TMPDIR: scratch };
  if (key !== undefined) env.EDGESHIP_DEPLOY_KEY = key;
  return { env, scratch };
}

/** Every file under dir, for "nothing holding the key was left behind". */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
}

/** Running, that is: a zombie has ended (where PID 1 does not reap, the agent stays one). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** ssh-agent -k signals the agent and returns; give it a second to be gone. */
async function hasEnded(pid: number): Promise<boolean> {
  for (let i = 0; i < 20 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !isAlive(pid);
}

// What the command sees: the agent's keys, its socket and pid, and whether the key itself is in its env.
const PROBE = 'ssh-add -l; echo "sock=$SSH_AUTH_SOCK pid=$SSH_AGENT_PID key=${EDGESHIP_DEPLOY_KEY:-unset}"';

describe('with-deploy-key.sh', () => {
  it('gives the command an agent holding the key, not the key, and leaves neither behind', async () => {
    const { env, scratch } = jobEnv(privateKey);
    const result = spawnSync('bash', [SCRIPT, 'bash', '-c', `${PROBE}; exit 3`], { env, encoding: 'utf8' });
    assert.equal(result.status, 3, result.stderr);
    assert.ok(result.stdout.includes(fingerprint), result.stdout);
    const [, socket, pid, key] = /sock=(\S+) pid=(\d+) key=(\S+)/.exec(result.stdout)!;
    assert.equal(key, 'unset');
    assert.ok(socket!.startsWith(scratch), `agent socket ${socket} in the job's TMPDIR`);
    assert.ok(await hasEnded(Number(pid)), 'the agent ends with the command');
    assert.deepEqual(readdirSync(scratch), [], 'socket directory removed');
  });

  it('never writes the key to a file while the command runs', () => {
    const { env, scratch } = jobEnv(privateKey);
    const listing = `find "${scratch}" -type f -exec grep -l "PRIVATE KEY" {} +; true`;
    const result = spawnSync('bash', [SCRIPT, 'bash', '-c', listing], { env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), '', 'a file under HOME or TMPDIR holds a private key');
    assert.deepEqual(filesUnder(scratch), []);
  });

  it('kills the agent when the job is cancelled (SIGTERM) mid-command', async () => {
    const { env } = jobEnv(privateKey);
    const child = spawn('bash', [SCRIPT, 'bash', '-c', `${PROBE}; exec sleep 30`], { env, detached: true });
    let stdout = '';
    const pid = await new Promise<number>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        const match = /pid=(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      }),
    );
    assert.ok(isAlive(pid));
    // CI cancels a job by signalling its process group, so the command and this script both get it.
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    assert.ok(await hasEnded(pid), 'agent still running after the job was cancelled');
  });

  it('refuses to run the command without the key, naming the secret', () => {
    const { env, scratch } = jobEnv(undefined);
    const marker = join(scratch, 'ran');
    const result = spawnSync('bash', [SCRIPT, 'touch', marker], { env, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /EDGESHIP_DEPLOY_KEY is not set/);
    assert.deepEqual(readdirSync(scratch), []);
  });

  it('fails before the command when the secret is not a key', () => {
    const { env, scratch } = jobEnv('not a key');
    const result = spawnSync('bash', [SCRIPT, 'touch', join(scratch, 'ran')], { env, encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /invalid format|error loading key/i);
    assert.deepEqual(readdirSync(scratch), []);
  });
});
