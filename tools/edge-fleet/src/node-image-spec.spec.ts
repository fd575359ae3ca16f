import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNodeImage } from './node-image-spec';

describe('describeNodeImage', () => {
  it('tags the image and names the tarball by arch and recipe hash', () => {
    const spec = describeNodeImage('arm64');
    assert.match(spec.hash, /^[0-9a-f]{12}$/);
    assert.match(spec.imageHash, /^[0-9a-f]{12}$/);
    assert.notEqual(spec.imageHash, spec.hash);
    assert.equal(spec.tag, `edgeship-node:arm64-${spec.imageHash}`);
    assert.equal(spec.tarballName, `arm64-${spec.hash}.tar`);
    assert.equal(describeNodeImage('arm64').hash, spec.hash, 'stable across calls');
  });

  it('carries what the deploy needs on every node', () => {
    for (const arch of ['arm64', 'amd64'] as const) {
      const { packages } = describeNodeImage(arch);
      for (const needed of [
        'systemd',
        'systemd-sysv',
        'dbus',
        'openssh-server',
        'python3',
        'iproute2',
        'rsync',
        'zstd',
        'curl',
        'ca-certificates',
      ]) {
        assert.ok(packages.includes(needed), `${arch} lacks ${needed}`);
      }
    }
  });

  it('puts podman and its vfs config only on amd64, and the emulation credential fix only on arm64', () => {
    const amd64 = describeNodeImage('amd64');
    const arm64 = describeNodeImage('arm64');
    assert.ok(amd64.packages.includes('podman') && !arm64.packages.includes('podman'));
    assert.match(amd64.files['etc/containers/storage.conf']!, /driver = "vfs"/);
    assert.match(amd64.files['etc/containers/containers.conf']!, /default_sysctls = \[\]/);
    const dropIn = 'etc/systemd/system/systemd-tmpfiles-setup.service.d/edgeship-no-credentials.conf';
    assert.match(arm64.files[dropIn]!, /^LoadCredential=$/m);
    assert.equal(amd64.files[dropIn], undefined);
    assert.deepEqual(arm64.maskedUnits, ['apt-daily-upgrade.timer', 'apt-daily.timer']);
    assert.notEqual(amd64.hash, arm64.hash);
  });
});
