import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDockerfile } from './dockerfile';

describe('renderDockerfile', () => {
  const dockerfile = renderDockerfile({ port: 8101, sourceMaps: false });

  it('starts from scratch (nothing pulled) and orders layers base → runtime → service', () => {
    const lines = dockerfile.split('\n');
    assert.equal(lines[0], 'FROM scratch');
    assert.deepEqual(
      lines.filter((l) => /^(ADD|COPY)/.test(l)),
      ['ADD base/rootfs.tar /', 'COPY runtime/ /', 'COPY app/ /'],
    );
  });

  it('runs the shared runtime on the bundle as the non-root user, without HEALTHCHECK or WORKDIR', () => {
    assert.match(dockerfile, /^USER 10001:10001$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["\/opt\/edgeship\/node","\/app\/main\.js"\]$/m);
    assert.match(dockerfile, /^EXPOSE 8101$/m);
    assert.doesNotMatch(dockerfile, /HEALTHCHECK|WORKDIR|RUN /);
  });

  it('turns source maps on only when they are shipped', () => {
    assert.match(renderDockerfile({ port: 1, sourceMaps: true }), /"--enable-source-maps","\/app\/main\.js"/);
  });
});
