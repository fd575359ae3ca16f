import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@edgeship/edge-common';

export interface PinoTransportUse {
  /** Relative to the workspace root. */
  file: string;
  line: number;
  text: string;
}

// pino({ transport: … }), fastify({ logger: { transport: … } }), pino.transport(…), transport({ targets }).
const TRANSPORT_USE = /\btransports?\s*:|\bpino\.transport\s*\(|(?<![.\w])transport\s*\(/;

const isPackageFile = (file: string): boolean => file.split('/').includes('node_modules');

/**
 * Where the service's own code (and workspace libraries) configures a pino transport, if pino is in the bundle.
 * Transports run in a worker thread that loads its target from node_modules by path, which a single
 * executable (and a bundle) does not have: the service would fail at start on the node, or lose its logs.
 */
export function findPinoTransports(inputFiles: readonly string[], workspaceRoot: string): PinoTransportUse[] {
  if (!inputFiles.some((file) => /(^|\/)node_modules\/pino\//.test(file))) return [];
  const found: PinoTransportUse[] = [];
  for (const file of inputFiles.filter((f) => !isPackageFile(f) && /\.[cm]?[jt]sx?$/.test(f))) {
    const lines = readFileSync(join(workspaceRoot, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      if (TRANSPORT_USE.test(text)) found.push({ file, line: index + 1, text: text.trim() });
    });
  }
  return found;
}

/** Names each place and the way out, like the native addon refusal. */
export function describePinoTransports(service: string, uses: readonly PinoTransportUse[]): string {
  return [
    `${service} configures pino transports, which run in worker threads that load their target from node_modules; a single-file executable has no node_modules, so the service would fail at start on the node:`,
    ...uses.map((use) => `  - ${use.file}:${use.line}: ${use.text}`),
    "Fix: log to stdout and let the node ship the logs: `pino()` (or fastify's `logger: true`) writes one JSON line per event to stdout, which journald stores and log shippers (vector, fluent-bit, promtail) read from there. Remove the `transport` option; for readable logs while developing, pipe the output through `npx pino-pretty` instead.",
  ].join('\n');
}

/** Fails the bundle at the first place a transport is configured, listing every place and the fix. */
export function refusePinoTransports(
  service: string,
  inputFiles: readonly string[],
  workspaceRoot: string,
): void {
  const uses = findPinoTransports(inputFiles, workspaceRoot);
  if (uses.length === 0) return;
  throw new ConfigError(
    uses[0]!.file,
    'pino transport',
    uses[0]!.text,
    describePinoTransports(service, uses),
  );
}
