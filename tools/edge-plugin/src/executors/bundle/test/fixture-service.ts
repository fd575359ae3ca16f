import { join } from 'node:path';
import { readPinnedRuntime } from '../../../lib/runtime/runtime-version';
import { createTempWorkspace } from './temp-folders';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..', '..');
const SERVICE_KIT = join(REPO_ROOT, 'packages', 'service-kit', 'src', 'index.ts');

/** A minimal service on the real service-kit, so the fixture answers /healthz and /version like hello-edge. */
export const SERVICE_MAIN = `import { createService, runService } from '@edgeship/service-kit';
import manifest from '../package.json';

void runService(createService({ name: manifest.name, version: manifest.version, port: 8199 }));
`;

/** A plain node:http service written as teams write one: it listens on its port itself. */
export const SELF_BOUND_MAIN = `import { createServer } from 'node:http';

createServer((_req, res) => res.end('ok')).listen(Number(process.env.PORT ?? 8199));
`;

/** The same service, its server handed to the edge contract: the one-line fix the contract check names. */
export const CONTRACT_MAIN = `import { createServer } from 'node:http';
import { runEdgeServer } from '@edgeship/service-kit';
import manifest from '../package.json';

const server = createServer((_req, res) => res.end('ok'));
runEdgeServer(server, { name: manifest.name, version: manifest.version, port: 8199 });
`;

export interface FixtureOptions {
  name?: string;
  main?: string;
  dependencies?: Record<string, string>;
  runtime?: string;
  delivery?: 'binary' | 'container';
}

/**
 * A throwaway workspace with one service: same layout as the repo (packages/<svc>, root package.json
 * pinning the runtime, tsconfig paths to @edgeship/service-kit), so bad inputs never touch the real one.
 */
export function createServiceWorkspace(options: FixtureOptions = {}): { root: string; name: string } {
  const name = options.name ?? 'fixture-edge';
  const root = createTempWorkspace({
    'package.json': {
      name: 'fixture-workspace',
      private: true,
      workspaces: ['packages/*'],
      // The repository's runtime integrity too: bundle checks what it fetches and caches against it.
      edgeship: {
        runtime: {
          node: options.runtime ?? readPinnedRuntime(REPO_ROOT).version,
          integrity: readPinnedRuntime(REPO_ROOT).pins,
        },
      },
    },
    'tsconfig.base.json': {
      compilerOptions: {
        resolveJsonModule: true,
        esModuleInterop: true,
        paths: { '@edgeship/service-kit': [SERVICE_KIT] },
      },
    },
    [`packages/${name}/package.json`]: {
      name,
      version: '1.2.3',
      edgeship: { kind: 'service', port: 8199, delivery: options.delivery ?? 'binary' },
      dependencies: options.dependencies ?? {},
    },
    [`packages/${name}/src/main.ts`]: options.main ?? SERVICE_MAIN,
  });
  return { root, name };
}
