import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '@edgeship/edge-common';
import { executorContext, createFixtureWorkspace } from '@edgeship/edge-common/testing';
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

  describe('in CI (CI=true)', () => {
    const CI = { CI: 'true' };

    it('refuses to go on without a key pair, naming EDGESHIP_COSIGN_KEY_DIR and the fix; makes no key', () => {
      const root = withImage();
      assert.throws(
        () => normalizeReleaseOptions({}, context(root), { ...CI, COSIGN_PASSWORD: 'pw' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(
            error.message,
            new RegExp(
              `^environment: EDGESHIP_COSIGN_KEY_DIR is missing\\. In CI \\(CI=true\\) release never creates a signing key, ` +
                `and ${root}/\\.edgeship/keys/cosign\\.key does not exist\\. Set EDGESHIP_COSIGN_KEY_DIR to a folder`,
            ),
          );
          return true;
        },
      );
      assert.throws(
        () =>
          normalizeReleaseOptions({}, context(root), {
            CI: '1',
            EDGESHIP_COSIGN_KEY_DIR: '/nowhere',
            COSIGN_PASSWORD: 'pw',
          }),
        /ConfigError: environment: EDGESHIP_COSIGN_KEY_DIR is "\/nowhere"\. In CI \(CI=1\) release never creates a signing key, and \/nowhere\/cosign\.key/,
      );
      assert.throws(
        () => normalizeReleaseOptions({ keyDir: 'keys' }, context(root), { ...CI, COSIGN_PASSWORD: 'pw' }),
        /ConfigError: svc release options: keyDir is "keys"\. In CI/,
      );
      assert.equal(existsSync(join(root, '.edgeship')), false);
    });

    it('refuses an empty key password, naming COSIGN_PASSWORD', () => {
      const root = createFixtureWorkspace({
        'dist/svc/image/image.json': { schema: 'edgeship.image/v1' },
        'keys/cosign.key': 'a key',
      });
      for (const env of [{ ...CI }, { ...CI, COSIGN_PASSWORD: '' }]) {
        assert.throws(
          () =>
            normalizeReleaseOptions({}, context(root), {
              ...env,
              EDGESHIP_COSIGN_KEY_DIR: join(root, 'keys'),
            }),
          /ConfigError: environment: COSIGN_PASSWORD is (missing|""). In CI \(CI=true\) release refuses a signing key without a password\. Set COSIGN_PASSWORD/,
        );
      }
    });

    it('takes the key the pipeline hands in, with its password, and never makes one', () => {
      const root = createFixtureWorkspace({
        'dist/svc/image/image.json': { schema: 'edgeship.image/v1' },
        'keys/cosign.key': 'a key',
      });
      const options = normalizeReleaseOptions({}, context(root), {
        ...CI,
        EDGESHIP_COSIGN_KEY_DIR: join(root, 'keys'),
        COSIGN_PASSWORD: 'pw',
      });
      assert.equal(options.keyDir, join(root, 'keys'));
      assert.equal(options.mayCreateKeyPair, false);
      assert.equal(
        normalizeReleaseOptions({}, context(root), {}).mayCreateKeyPair,
        true,
        'outside CI it may',
      );
    });
  });
});
