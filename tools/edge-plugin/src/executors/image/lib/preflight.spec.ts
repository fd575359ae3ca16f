import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '@edgeship/edge-common';
import { checkTools, explainMissingTool, IMAGE_TOOLS } from './preflight';

describe('explainMissingTool', () => {
  const [engine, buildx] = IMAGE_TOOLS;
  it('tells a missing tool, a missing buildx plugin and a stopped engine apart', () => {
    assert.match(explainMissingTool(engine!, 'docker was not found on PATH'), /not installed/);
    assert.match(
      explainMissingTool(buildx!, "docker: 'buildx' is not a docker command."),
      /docker buildx is not installed \(the docker CLI has no such plugin\)/,
    );
    assert.match(
      explainMissingTool(buildx!, 'docker: unknown command: docker buildx'),
      /docker buildx is not installed/,
    );
    assert.match(
      explainMissingTool(
        engine!,
        'Cannot connect to the Docker daemon at unix:///nope.sock. Is the docker daemon running?',
      ),
      /not running or not reachable/,
    );
  });
});

describe('checkTools (real docker)', () => {
  it('passes on this machine', async () => {
    await checkTools(IMAGE_TOOLS);
  });

  it('names the bootstrap script when the engine does not answer', async () => {
    await assert.rejects(
      checkTools(IMAGE_TOOLS, { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' }),
      (error: unknown) => {
        assert.ok(error instanceof ToolError);
        assert.match(
          error.message,
          /docker engine is not running or not reachable.*tools\/bootstrap\/bootstrap\.sh/s,
        );
        return true;
      },
    );
  });

  it('names the bootstrap script when a tool is missing', async () => {
    await assert.rejects(
      checkTools([{ what: 'docker buildx', file: 'docker', args: ['buildx-missing-plugin', 'version'] }]),
      /docker buildx is not installed.*bootstrap\.sh/s,
    );
    await assert.rejects(
      checkTools([{ what: 'zstd', file: 'zstd-not-installed', args: [] }]),
      /zstd is not installed.*bootstrap\.sh/s,
    );
  });
});
