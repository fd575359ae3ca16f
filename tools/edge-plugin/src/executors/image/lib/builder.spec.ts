import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBuilderInspect, resolveBuilder, runsOnDockerEngines } from './builder';

// What buildx 0.13 prints, as seen on this machine.
const CONTEXT_BUILDER = `Name:   arm64-box
Driver: docker

Nodes:
Name:             arm64-box
Endpoint:         arm64-box
Status:           running
BuildKit version: v0.0.0+unknown
Platforms:        linux/amd64, linux/arm64
Labels:
 org.mobyproject.buildkit.worker.moby.host-gateway-ip: <nil>
`;

const UNREACHABLE = `Name:   arm64-box
Driver: 
Error:  error during connect: Head "http://docker.example.com/_ping": command [ssh -o ConnectTimeout=30 -l root -p 1 -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255: stderr=ssh: connect to host 127.0.0.1 port 1: Connection refused
`;

const CONTAINER_BUILDER = `Name:          edge
Driver:        docker-container
Last Activity: 2026-12-03 02:12:51 +0000 UTC

Nodes:
Name:      edge-amd64
Endpoint:  unix:///var/run/docker.sock
Status:    running
Platforms: linux/amd64

Name:      edge-arm64
Endpoint:  ssh://builder@arm64-host
Status:    inactive
`;

describe('parseBuilderInspect', () => {
  it('reads the driver and each node of a docker context builder', () => {
    assert.deepEqual(parseBuilderInspect(CONTEXT_BUILDER), {
      driver: 'docker',
      nodes: [{ name: 'arm64-box', endpoint: 'arm64-box', status: 'running' }],
    });
  });

  it("keeps buildx's error for a context whose engine does not answer (no nodes then)", () => {
    const inspection = parseBuilderInspect(UNREACHABLE);
    assert.equal(inspection.driver, '');
    assert.deepEqual(inspection.nodes, []);
    assert.match(inspection.error!, /port 1: Connection refused/);
  });

  it('lists every node of a multi-node builder with its endpoint', () => {
    assert.deepEqual(
      parseBuilderInspect(CONTAINER_BUILDER).nodes.map((n) => [n.endpoint, n.status]),
      [
        ['unix:///var/run/docker.sock', 'running'],
        ['ssh://builder@arm64-host', 'inactive'],
      ],
    );
  });
});

describe('runsOnDockerEngines', () => {
  it('checks docker engines for the docker and docker-container drivers, BuildKit nodes for the others', () => {
    assert.deepEqual(['docker', 'docker-container', '', 'remote', 'kubernetes'].map(runsOnDockerEngines), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('resolveBuilder (real docker CLI)', () => {
  it('refuses a builder that does not exist, naming the option and how to make one', async () => {
    await assert.rejects(
      resolveBuilder('edgeship-no-such-builder', 'packages/x image options'),
      /packages\/x image options: builder is "edgeship-no-such-builder"\. No buildx builder or docker context has that name.*docker context create edgeship-no-such-builder --docker host=ssh:\/\//s,
    );
  });

  it("finds the current engine's own builder and reads its images there", async () => {
    assert.deepEqual(await resolveBuilder('default', 'x'), {
      name: 'default',
      driver: 'docker',
      engine: 'default',
    });
  });
});
