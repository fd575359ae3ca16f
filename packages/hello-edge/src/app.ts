import { hostname } from 'node:os';
import { createService, HttpError, type Logger, type Service } from '@edgeship/service-kit';
import pkg from '../package.json';

export interface HelloAppOptions {
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

const NAME_PATTERN = /^[\p{L}\p{N} .'-]{1,64}$/u;

/** Builds the service without starting it, so tests can listen on port 0 and main.ts on the configured port. */
export function createHelloApp(options: HelloAppOptions = {}): Service {
  return createService({
    name: pkg.name,
    version: pkg.version,
    port: options.port ?? pkg.edgeship.port,
    host: options.host,
    env: options.env,
    logger: options.logger,
    routes: {
      'GET /': ({ url }) => {
        const name = url.searchParams.get('name') ?? 'edge';
        if (!NAME_PATTERN.test(name)) throw new HttpError(400, 'name must be 1-64 letters, digits or spaces');
        return { body: { message: `Hello, ${name}!`, node: hostname(), arch: process.arch } };
      },
    },
  });
}
