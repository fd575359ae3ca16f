import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, ToolError } from '@edgeship/edge-common';
import {
  checkRegistryReachable,
  createAuthConfig,
  isLoopback,
  resolveRegistry,
  stagingTag,
} from './registry';

describe('resolveRegistry', () => {
  it('defaults to the local registry, which may speak plain HTTP', () => {
    assert.deepEqual(resolveRegistry(undefined, undefined, {}), {
      host: '127.0.0.1:5000',
      isInsecure: true,
      user: undefined,
      password: undefined,
    });
  });

  it('takes EDGESHIP_REGISTRY and its credentials from the environment; the option wins', () => {
    const env = {
      EDGESHIP_REGISTRY: 'registry.example.com',
      EDGESHIP_REGISTRY_USER: 'ci',
      EDGESHIP_REGISTRY_PASSWORD: 's3cret',
    };
    assert.deepEqual(resolveRegistry(undefined, undefined, env), {
      host: 'registry.example.com',
      isInsecure: false,
      user: 'ci',
      password: 's3cret',
    });
    assert.equal(resolveRegistry('other:443', undefined, env).host, 'other:443');
    assert.equal(resolveRegistry('https://r.example.com/', undefined, {}).host, 'r.example.com');
    assert.equal(resolveRegistry('http://r.lan:5000', undefined, {}).isInsecure, true);
  });

  it('refuses a malformed address and a user without a password', () => {
    assert.throws(() => resolveRegistry('r.example.com/path with space', undefined, {}), ConfigError);
    assert.throws(
      () => resolveRegistry(undefined, undefined, { EDGESHIP_REGISTRY_USER: 'ci' }),
      /EDGESHIP_REGISTRY_PASSWORD/,
    );
  });

  it('knows loopback addresses', () => {
    assert.ok(isLoopback('127.0.0.1:5000') && isLoopback('localhost:5000') && !isLoopback('10.0.0.1:5000'));
  });
});

describe('stagingTag', () => {
  it('is unique per attempt and never a release tag', () => {
    assert.equal(stagingTag('1.2.3', 'abcdef0123456789', 'ff00ff'), 'staging-1.2.3-abcdef012345-ff00ff');
    assert.equal(stagingTag('1.2.3', undefined, 'ff00ff'), 'staging-1.2.3-norev-ff00ff');
    assert.notEqual(stagingTag('1', 'a'), stagingTag('1', 'a'));
  });
});

describe('createAuthConfig', () => {
  it('writes a docker config.json only when credentials are set', async () => {
    assert.equal(await createAuthConfig({ host: 'r:1', isInsecure: true }), undefined);
    const auth = await createAuthConfig({ host: 'r:1', isInsecure: true, user: 'u', password: 'p' });
    assert.ok(auth);
    assert.deepEqual(JSON.parse(readFileSync(auth.file, 'utf8')), {
      auths: { 'r:1': { auth: Buffer.from('u:p').toString('base64') } },
    });
    await auth.dispose();
  });
});

describe('checkRegistryReachable (real network, loopback)', () => {
  it('says to run the bootstrap when nothing listens', async () => {
    await assert.rejects(
      checkRegistryReachable({ host: '127.0.0.1:1', isInsecure: true }),
      (error: unknown) => {
        assert.ok(error instanceof ToolError);
        assert.match(
          error.message,
          /no container registry answers at http:\/\/127\.0\.0\.1:1\/v2\/.*bootstrap\.sh/,
        );
        return true;
      },
    );
  });
});
