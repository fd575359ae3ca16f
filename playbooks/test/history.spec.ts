/**
 * The node's history, end to end on this machine: edge_health_gate (the role's) appends a record where the
 * outcome of a release switch is known, edge_node_probe (status.yml's and deploy.yml's) reads the tail back
 * with the current release's release.env. Both run here as Ansible runs them on a node, minus the transport:
 * lean jsonargs modules, by Debian's python3, with their arguments written over their marker, as Ansible
 * writes them.
 * The service is a real HTTP server on a free port.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '@edgeship/edge-common';

const GATE = join(__dirname, '..', 'roles', 'edge_service', 'library', 'edge_health_gate.py');
const PROBE = join(__dirname, '..', 'library', 'edge_node_probe.py');
const ANSIBLE_PYTHON = '/usr/bin/python3';
const JSON_ARGS_MARKER = '<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>';

let root: string;
let server: Server;
let port: number;

async function runModule(module: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const source = (await readFile(module, 'utf8')).replace(JSON_ARGS_MARKER, () => JSON.stringify(args));
  const file = join(root, `module-${Date.now()}-${Math.random()}.py`);
  await writeFile(file, source);
  return JSON.parse((await runCommand(ANSIBLE_PYTHON, [file], { check: false })).stdout);
}

const gate = (history: Record<string, unknown>, url = `http://127.0.0.1:${port}`) =>
  runModule(GATE, {
    ...{ url, version: '1.2.0', unit: 'edgeship-svc.service', timeout: 1, interval: 1 },
    ...{ history_file: join(root, 'svc', 'history.jsonl'), history },
  });

describe('history.jsonl: appended by the health gate, read by the probe', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'edgeship-history-'));
    const release = join(root, 'svc', 'releases', '1.2.0-abcdef123456');
    await mkdir(release, { recursive: true });
    await writeFile(
      join(release, 'release.env'),
      'EDGESHIP_DELIVERY=binary\nEDGESHIP_RELEASE=1.2.0-abcdef123456\nEDGESHIP_VERSION=1.2.0\n',
    );
    await symlink(release, join(root, 'svc', 'current'));
    server = createServer((req, res) =>
      res.end(req.url === '/version' ? '{"version":"1.2.0"}' : '{"status":"ok"}'),
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('appends one record per gate: healthy when it passes, unhealthy with the reason when it fails', async () => {
    const record = {
      action: 'deploy',
      by: 'ops@laptop',
      from: '1.1.0-000000000000',
      to: '1.2.0-abcdef123456',
    };
    const passed = await gate(record);
    assert.equal(passed.failed, false, JSON.stringify(passed));
    assert.equal(passed.changed, false);
    // Nothing listens on port 1: the gate fails, and says so in the record too.
    const failed = await gate({ ...record, action: 'rollback' }, 'http://127.0.0.1:1');
    assert.equal(failed.failed, true);
    const lines = (await readFile(join(root, 'svc', 'history.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 2);
    const [first, second] = lines.map((line) => JSON.parse(line));
    assert.deepEqual({ ...first, at: undefined }, { ...record, outcome: 'healthy', at: undefined });
    assert.match(first.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(second.action, 'rollback');
    assert.equal(second.outcome, 'unhealthy');
    assert.match(second.error, /no healthy 1\.2\.0 within 1s/);
  });

  it('appends nothing without a history file (a plain health check)', async () => {
    const before = await readFile(join(root, 'svc', 'history.jsonl'), 'utf8');
    const result = await runModule(GATE, { url: `http://127.0.0.1:${port}`, unit: 'x.service', timeout: 1 });
    assert.equal(result.failed, false, JSON.stringify(result));
    assert.equal(await readFile(join(root, 'svc', 'history.jsonl'), 'utf8'), before);
  });

  it('probe: the last N records (a torn line skipped), the current release.env and the kept releases', async () => {
    await writeFile(join(root, 'svc', 'history.jsonl'), '{"torn', { flag: 'a' });
    const probe = await runModule(PROBE, {
      install_root: root,
      services: [{ name: 'svc', port }],
      history: 5,
    });
    const service = probe.services.svc;
    assert.deepEqual(
      service.history.map((entry: { action: string; outcome: string }) => `${entry.action} ${entry.outcome}`),
      ['deploy healthy', 'rollback unhealthy'],
    );
    assert.equal(service.release_env.EDGESHIP_VERSION, '1.2.0');
    assert.equal(service.release_env.EDGESHIP_DELIVERY, 'binary');
    assert.deepEqual(
      service.releases.map((release: { name: string }) => release.name),
      ['1.2.0-abcdef123456'],
    );
    assert.equal(service.current_name, '1.2.0-abcdef123456');
    // The next record after a torn line starts a line of its own.
    await gate({ action: 'deploy', to: 'after-torn' });
    const one = await runModule(PROBE, { install_root: root, services: [{ name: 'svc', port }] });
    assert.equal(one.services.svc.history.length, 1, 'the default is the newest record only');
    assert.equal(one.services.svc.history[0].to, 'after-torn');
  });

  it('history_before: a rollback records the deploy that failed before its gate, then itself', async () => {
    const file = join(root, 'svc', 'history.jsonl');
    const failedDeploy = { action: 'deploy', to: 'bad', outcome: 'failed', error: 'unit did not start' };
    const result = await runModule(GATE, {
      ...{ url: `http://127.0.0.1:${port}`, unit: 'x.service', timeout: 1, history_file: file },
      ...{ history_before: [failedDeploy], history: { action: 'rollback', from: 'bad', to: 'good' } },
    });
    assert.equal(result.failed, false, JSON.stringify(result));
    const lines = (await readFile(file, 'utf8')).trim().split('\n').slice(-2);
    const records = lines.map((line) => JSON.parse(line));
    assert.deepEqual(
      records.map((r) => [r.action, r.to, r.outcome]),
      [
        ['deploy', 'bad', 'failed'],
        ['rollback', 'good', 'healthy'],
      ],
    );
    assert.equal(records[0].at, records[1].at);
  });
});
