import { SERVICE_USER } from './base-rootfs';

/** Where the shared runtime layer puts Node.js, and where the service layer puts the bundle. */
export const NODE_PATH = '/opt/edgeship/node';
export const APP_DIR = '/app';

export interface DockerfileOptions {
  port: number;
  sourceMaps: boolean;
}

/**
 * Three layers, ordered from most to least shared, so a registry and an edge node store each once:
 * 1. the Debian base (glibc, libstdc++, CA bundle, tzdata, passwd) — identical for every service;
 * 2. the pinned, stripped Node.js runtime — identical for every service on the same runtime pin;
 * 3. the service's bundle — the only layer a code change touches, a few hundred kB.
 * A SEA executable would embed Node.js in every service's own layer (~30 MB each, never shared),
 * so images run the plain runtime on the bundle instead; the SEA stays the binary-delivery format.
 * Everything else is metadata (no layer): non-root user, no HEALTHCHECK (systemd does health). No
 * WORKDIR: BuildKit makes a layer for it even when the folder exists; the entrypoint uses absolute paths.
 */
export function renderDockerfile(options: DockerfileOptions): string {
  const entrypoint = [
    NODE_PATH,
    ...(options.sourceMaps ? ['--enable-source-maps'] : []),
    `${APP_DIR}/main.js`,
  ];
  return [
    'FROM scratch',
    'ADD base/rootfs.tar /',
    'COPY runtime/ /',
    'COPY app/ /',
    'ENV NODE_ENV=production SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
    `USER ${SERVICE_USER.uid}:${SERVICE_USER.gid}`,
    `EXPOSE ${options.port}`,
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
    '',
  ].join('\n');
}
