import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseStartArgs, selectServices } from './start-args';

describe('parseStartArgs', () => {
  it('defaults to a two-node arm64 local fleet and every service', () => {
    assert.deepEqual(parseStartArgs([]), {
      help: false,
      fleet: 'default',
      nodes: 2,
      arch: 'arm64',
      json: false,
      inventory: undefined,
      projects: undefined,
      allowUnsigned: false,
    });
    assert.equal(parseStartArgs(['--allow-unsigned']).allowUnsigned, true);
  });

  it('reads an inventory and a project list', () => {
    const options = parseStartArgs(['--inventory', 'fleet.yml', '--projects', 'hello-edge', '--json']);
    assert.equal(options.inventory, 'fleet.yml');
    assert.equal(options.projects, 'hello-edge');
    assert.equal(options.json, true);
  });

  it('names the flag and the fix for bad input', () => {
    assert.throws(() => parseStartArgs(['--nodes', 'zero']), /--nodes is "zero"\. Use a whole number/);
    assert.throws(() => parseStartArgs(['--arch', 'riscv64']), /--arch is "riscv64"\. Use arm64 or amd64/);
    assert.throws(() => parseStartArgs(['--bogus']), /Unknown option '--bogus'/);
  });

  it('deploys every service by default, and refuses a service the workspace does not have', () => {
    const available = ['hello-edge', 'telemetry-gateway'];
    assert.deepEqual(selectServices(undefined, available), available);
    assert.deepEqual(selectServices('telemetry-gateway', available), ['telemetry-gateway']);
    assert.throws(
      () => selectServices('hello-edge,helo-edge', available),
      /--projects is "helo-edge"\. Name services of this workspace: hello-edge, telemetry-gateway/,
    );
  });
});
