import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeImageBuildxArgs, nodeDockerfile } from './node-image';
import { describeNodeImage } from './node-image-spec';
import {
  CA_CERTIFICATES_HOOKS,
  PYTHON_HOOKS,
  SSH_HOST_KEY_HOOKS,
  mmdebstrapArgs,
  tailLines,
} from './mmdebstrap';
import { sshArgs } from './ssh';

describe('node image commands', () => {
  const spec = describeNodeImage('arm64');

  it('mmdebstraps a minbase system of the arch with the package list from the given archive', () => {
    assert.deepEqual(mmdebstrapArgs(spec, '/tmp/r', 'http://mirror.example/debian'), [
      '--mode=root',
      '--format=directory',
      '--variant=minbase',
      '--arch=arm64',
      `--include=${spec.packages.join(',')}`,
      '--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr',
      '--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata',
      // In the order of the packages whose maintainer scripts they spare.
      ...CA_CERTIFICATES_HOOKS,
      ...SSH_HOST_KEY_HOOKS,
      ...PYTHON_HOOKS,
      'bookworm',
      '/tmp/r',
      'http://mirror.example/debian',
    ]);
    const emulated = mmdebstrapArgs(spec, '/tmp/r', 'http://x', { hostShortcuts: false });
    assert.equal(emulated.filter((arg) => /^--(essential|customize)-hook=/.test(arg)).length, 0);
  });

  it('sets ca-certificates up natively: stubbed while packages install, then the real script, run by the host', () => {
    const [essential, customize] = CA_CERTIFICATES_HOOKS;
    assert.match(
      essential!,
      /^--essential-hook=chroot "\$1" dpkg-divert .*--rename --add \/usr\/sbin\/update-ca-certificates/,
    );
    // The stub goes before the diversion is removed: --rename then puts the package's script back.
    assert.match(
      customize!,
      /^--customize-hook=rm "\$1\/usr\/sbin\/update-ca-certificates" && chroot "\$1" dpkg-divert .*--remove/,
    );
    assert.match(customize!, /mount --bind "\$0\/\$path" "\/\$path"; done; update-ca-certificates --fresh/);
  });

  it("compiles the node's Python with the host's, recording the node's paths, after the stub is gone", () => {
    const [essential, customize] = PYTHON_HOOKS;
    assert.match(essential!, /dpkg-divert .*--rename --add \/usr\/bin\/python3\.11 && printf/);
    assert.match(
      customize!,
      /^--customize-hook=rm "\$1\/usr\/bin\/python3\.11" && chroot "\$1" dpkg-divert .*--remove \/usr\/bin\/python3\.11 && /,
    );
    assert.match(customize!, /\| \/usr\/bin\/python3\.11 -E -S -m compileall -q -j 0 -s "\$1" -p \/ -i -$/);
  });

  it('keeps the end of a failed build log, where mmdebstrap says what went wrong', () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    assert.equal(tailLines(`${log}\n`, 3), 'line 98\nline 99\nline 100');
  });

  it('builds with buildx for the platform (docker import ignores --platform on engine 20.10)', () => {
    assert.deepEqual(nodeImageBuildxArgs(spec, '/ctx'), [
      'buildx',
      'build',
      '--platform',
      'linux/arm64',
      '--load',
      '--progress=plain',
      '-t',
      spec.tag,
      '/ctx',
    ]);
  });

  it('makes a FROM scratch image of the rootfs that boots systemd and halts it cleanly', () => {
    const dockerfile = nodeDockerfile(spec);
    assert.match(dockerfile, /^FROM scratch\nADD rootfs.tar \/\n/);
    assert.match(dockerfile, /STOPSIGNAL SIGINT/);
    assert.match(dockerfile, /CMD \["\/lib\/systemd\/systemd"\]/);
  });

  it('connects as root to 127.0.0.1 with the fleet key only', () => {
    const args = sshArgs('/k/id_ed25519', 20000, ['uname', '-m']);
    assert.deepEqual(args.slice(0, 4), ['-i', '/k/id_ed25519', '-p', '20000']);
    assert.ok(args.includes('IdentitiesOnly=yes'));
    assert.deepEqual(args.slice(-3), ['root@127.0.0.1', 'uname', '-m']);
  });
});
