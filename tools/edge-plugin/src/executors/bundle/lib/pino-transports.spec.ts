import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTempWorkspace } from '../test/temp-folders';
import { describePinoTransports, findPinoTransports } from './pino-transports';

describe('findPinoTransports', () => {
  const root = createTempWorkspace({
    'packages/svc/src/main.ts': [
      "import pino from 'pino';",
      "const log = pino({ transport: { target: 'pino-pretty' } });",
      'const app = Fastify({ logger: { transport: { targets: [] } } });',
      "const stream = pino.transport({ target: 'pino/file' });",
      "mailer.createTransport({ host: 'smtp' });",
      'const plain = pino();',
    ].join('\n'),
    'packages/kit/src/log.ts': "export const make = () => transport({ target: 'x' });\n",
    'node_modules/pino/pino.js': 'function transport (opts) {}\nmodule.exports = { transport: transport }\n',
  });
  const inputs = ['packages/svc/src/main.ts', 'packages/kit/src/log.ts', 'node_modules/pino/pino.js'];

  it("finds the service's and its libraries' transports, never pino's own code or a mailer's", () => {
    assert.deepEqual(
      findPinoTransports(inputs, root).map((use) => `${use.file}:${use.line}`),
      [
        'packages/svc/src/main.ts:2',
        'packages/svc/src/main.ts:3',
        'packages/svc/src/main.ts:4',
        'packages/kit/src/log.ts:1',
      ],
    );
  });

  it('looks only when pino is in the bundle', () => {
    assert.deepEqual(findPinoTransports(inputs.slice(0, 2), root), []);
  });

  it('names each place and the fix', () => {
    const message = describePinoTransports('svc', findPinoTransports(inputs, root).slice(0, 1));
    assert.match(message, /svc configures pino transports, which run in worker threads/);
    assert.match(message, /packages\/svc\/src\/main\.ts:2: const log = pino\(\{ transport:/);
    assert.match(message, /Fix: log to stdout[\s\S]*journald[\s\S]*Remove the `transport` option/);
  });
});
