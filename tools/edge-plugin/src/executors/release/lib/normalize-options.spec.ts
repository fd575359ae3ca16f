import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../lib/errors';
import { executorContext } from '../../../testing/executor-context';
import { createFixtureWorkspace } from '../../../testing/fixture-workspace';
import { normalizeReleaseOptions } from './normalize-options';

const withImage = () =>
  createFixtureWorkspace({ 'dist/svc/image/image.json': { schema: 'edgeship.image/v1' } });
const context = (root: string) => executorContext(root, 'svc', 'packages/svc');

describe('normalizeReleaseOptions', () => {
  it('defaults to the local registry, edgeship/<svc>, the workspace key folder and an empty key password', () => {
    const root = withImage();
    const options = normalizeReleaseOptions({}, context(root), {});
    assert.equal(options.registry.host, '127.0.0.1:5000');
    assert.equal(options.repository, 'edgeship/svc');
    assert.equal(options.keyDir, `${root}/.edgeship/keys`);
    assert.equal(options.keyPassword, '');
    assert.equal(options.distDir, `${root}/dist/svc`);
  });

  it('takes the key folder and password from the environment', () => {
    const options = normalizeReleaseOptions({}, context(withImage()), {
      EDGESHIP_COSIGN_KEY_DIR: '/keys',
      COSIGN_PASSWORD: 'pw',
    });
    assert.equal(options.keyDir, '/keys');
    assert.equal(options.keyPassword, 'pw');
  });

  it('says to build the images first, and refuses a tag that is not a semver version', () => {
    assert.throws(
      () => normalizeReleaseOptions({}, context(createFixtureWorkspace({})), {}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /dist\/svc\/image\/image\.json: image record is missing\. Build the images first: npx nx run svc:image/,
        );
        return true;
      },
    );
    for (const tag of ['staging-1', 'a b', 'latest', 'v1.0.0', '1.0.0\nX=1', '1.0.0/../../x']) {
      assert.throws(
        () => normalizeReleaseOptions({ tag }, context(withImage()), {}),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.startsWith(
            `svc release options: tag is ${JSON.stringify(tag)}. Use a semver version`,
          ),
        tag,
      );
    }
    assert.equal(normalizeReleaseOptions({ tag: '1.2.3-rc.1' }, context(withImage()), {}).tag, '1.2.3-rc.1');
    assert.throws(
      () => normalizeReleaseOptions({ platforms: ['linux/ppc64le'] }, context(withImage()), {}),
      /Supported platforms/,
    );
  });
});
