import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FakeRegistry {
  url: string;
  close(): Promise<void>;
}

/**
 * A registry on 127.0.0.1 that lists every requested package at one version whose tarball does not
 * match the integrity hash it advertises: what a corrupted download or a tampering mirror looks like to npm.
 */
export async function startTamperedRegistry(version: string): Promise<FakeRegistry> {
  const tarball = gzipSync(Buffer.from('not the tarball the registry promised'));
  const advertised = createHash('sha512').update('the real tarball').digest('base64');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.endsWith('.tgz')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const packument = {
      name,
      'dist-tags': { latest: version },
      versions: {
        [version]: {
          name,
          version,
          dist: { tarball: `${base}/${name}/-/${name}-${version}.tgz`, integrity: `sha512-${advertised}` },
        },
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A 127.0.0.1 port with nothing listening: a registry that cannot be reached. */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
