import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findInheritedSocket } from './socket-activation';

describe('findInheritedSocket', () => {
  it('takes fd 3 when systemd passed one socket to this process', () => {
    assert.equal(findInheritedSocket({ LISTEN_FDS: '1', LISTEN_PID: '42' }, 42), 3);
  });

  it('ignores sockets meant for another process, and an environment without any', () => {
    assert.equal(findInheritedSocket({ LISTEN_FDS: '1', LISTEN_PID: '41' }, 42), undefined);
    assert.equal(findInheritedSocket({}, 42), undefined);
    assert.equal(findInheritedSocket({ LISTEN_FDS: '0', LISTEN_PID: '42' }, 42), undefined);
  });

  it('refuses more sockets than the one a service listens on, saying what to change', () => {
    assert.throws(() => findInheritedSocket({ LISTEN_FDS: '2', LISTEN_PID: '42' }, 42), /one ListenStream/);
  });
});
