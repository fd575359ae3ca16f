import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  captureOutput,
  executorContext,
  createFixtureWorkspace,
  writeFixtureFile,
} from '@edgeship/edge-common/testing';
import { resolveDeployArtifacts } from './deploy-artifacts';
import { normalizeOptions } from './normalize-options';

const SERVICE = 'svc-a';
const root = createFixtureWorkspace({
  'package.json': { name: 'ws', private: true },
  [`packages/${SERVICE}/package.json`]: {
    name: SERVICE,
    version: '1.3.0',
    edgeship: { kind: 'service', port: 8110, delivery: 'binary' },
  },
});
const context = executorContext(root, SERVICE, `packages/${SERVICE}`);
// The local fleet outside CI: unsigned builds deploy with a warning, which is what these cases are about.
const inventory = join(root, '.edgeship/fleet/default/inventory.yml');
const record = (fields: Record<string, unknown> = {}) =>
  writeFixtureFile(root, `dist/${SERVICE}/bin/executables.json`, {
    schema: 'edgeship.executables/v1',
    service: SERVICE,
    version: '1.2.0',
    runtime: { node: '24.21.0' },
    executables: [{ arch: 'arm64', file: `bin/${SERVICE}-linux-arm64`, sha256: 'a'.repeat(64) }],
    ...fields,
  });
const resolve = (options: Record<string, unknown> = {}) =>
  captureOutput(() =>
    resolveDeployArtifacts(normalizeOptions({ inventory, ...options }, context, { CI: '' })),
  );

describe('resolveDeployArtifacts: the build record and nothing else', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  it('names the missing record and the target that writes it', async () => {
    await assert.rejects(
      resolveDeployArtifacts(normalizeOptions({ inventory }, context, { CI: '' })),
      /dist\/svc-a\/bin\/executables\.json: build record is missing\. svc-a has no build here\. Build it: nx run svc-a:bundle/,
    );
  });

  it('deploys the version that was built and says package.json moved on since', async () => {
    record();
    const { result, output } = await resolve();
    assert.equal(result.options.service.version, '1.2.0');
    assert.deepEqual(result.artifacts.binary, {
      arm64: { path: join(root, 'dist', SERVICE, 'bin', `${SERVICE}-linux-arm64`), sha256: 'a'.repeat(64) },
    });
    assert.match(
      output,
      /svc-a: package\.json says 1\.3\.0, but dist\/svc-a holds the build of 1\.2\.0: deploying 1\.2\.0/,
    );
    assert.match(output, /is not signed .*deploying the unsigned build \(local fleet outside CI\)/);
  });

  it('takes --version over the record, without the warning', async () => {
    const { result, output } = await resolve({ version: '1.2.0-rc.1' });
    assert.equal(result.options.service.version, '1.2.0-rc.1');
    assert.doesNotMatch(output, /package\.json says/);
  });

  it("refuses another service's record and a container delivery the record has no images for", async () => {
    record({ service: 'svc-b' });
    await assert.rejects(
      resolveDeployArtifacts(normalizeOptions({ inventory }, context, { CI: '' })),
      /service is "svc-b"\. It describes another service than svc-a/,
    );
    record();
    await assert.rejects(
      resolveDeployArtifacts(normalizeOptions({ inventory, delivery: 'container' }, context, { CI: '' })),
      /dist\/svc-a\/image\/image\.json: container artifacts is missing\. The build record lists none\. Build them: nx run svc-a:image/,
    );
  });
});
