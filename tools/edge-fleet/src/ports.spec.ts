import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import {
  allocateFleetPorts,
  candidatePortBases,
  derivePortBase,
  findBusyPorts,
  findFreePortBase,
  hostPortsOf,
  isPortFree,
  PORTS_PER_FLEET,
  SERVICE_PORTS,
  validatePortBase,
} from './ports';

describe('port allocation', () => {
  it('derives the same base for the same name, inside 10240..32767 and aligned to a fleet block', () => {
    for (const name of ['default', 'lab', 'fleettest', 'a']) {
      const base = derivePortBase(name);
      assert.equal(base, derivePortBase(name));
      assert.ok(base >= 10240 && base + PORTS_PER_FLEET <= 32768, `${name}: ${base}`);
      assert.equal((base - 10240) % PORTS_PER_FLEET, 0);
    }
    assert.notEqual(derivePortBase('lab'), derivePortBase('default'));
  });

  it('gives node n ssh at base+32(n-1) and 8100..8119 on the 20 ports after it', () => {
    const [first, second] = allocateFleetPorts(20000, 2);
    assert.equal(first!.ssh, 20000);
    assert.equal(first!.services.get(8100), 20001);
    assert.equal(first!.services.get(8119), 20020);
    assert.equal(second!.ssh, 20032);
    assert.deepEqual([...second!.services.keys()], SERVICE_PORTS);
    assert.equal(SERVICE_PORTS.length, 20);
  });

  it('never hands the same host port to two nodes of a full fleet', () => {
    const all = allocateFleetPorts(derivePortBase('x'), 8).flatMap(hostPortsOf);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, 8 * 21);
  });

  it('refuses a base whose block would leave 1024..65535', () => {
    assert.equal(validatePortBase(1024), 1024);
    assert.throws(() => validatePortBase(1023), /--port-base is 1023/);
    assert.throws(() => validatePortBase(65535 - PORTS_PER_FLEET + 2), /--port-base/);
  });
});

describe('free-port check', () => {
  it('reports a port something listens on and passes a free one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as { port: number }).port;
    try {
      assert.equal(await isPortFree(taken), false);
      assert.deepEqual(await findBusyPorts([taken]), [taken]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(await isPortFree(taken), true);
  });
});

describe('findFreePortBase', () => {
  it("tries the name's own block first, then every other block once", () => {
    const bases = candidatePortBases('lab');
    assert.equal(bases[0], derivePortBase('lab'));
    assert.equal(new Set(bases).size, bases.length);
    assert.equal(bases.length, (32768 - 10240) / PORTS_PER_FLEET);
  });

  it('moves on when a port of the own block is taken', async () => {
    const [own] = candidatePortBases('portprobe');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(own! + 5, '127.0.0.1', resolve));
    try {
      const base = await findFreePortBase('portprobe', 1);
      assert.notEqual(base, own);
      assert.ok(candidatePortBases('portprobe').includes(base!));
      assert.deepEqual(await findBusyPorts(allocateFleetPorts(base!, 1).flatMap(hostPortsOf)), []);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
