/** What the build-time contract check saw of the executable, started the way systemd starts it. */
export interface ContractObservation {
  /** READY=1 arrived on NOTIFY_SOCKET. */
  isReady: boolean;
  /** GET /healthz on the inherited socket answered 200. */
  isHealthy: boolean;
  /** Where it stopped: it ran the whole check, exited on its own, ran out of time, or did not stop cleanly. */
  outcome: 'passed' | 'exited-early' | 'timed-out' | 'bad-stop';
  exitCode: number | null;
  signal: string | null;
  timeoutMs: number;
  /** The service's stdout and stderr (JSON log lines, stack traces). */
  output: string;
}

export const CONTRACT =
  'The edge runtime contract (a Type=notify unit behind a .socket unit): the socket unit holds the port and ' +
  'passes it as LISTEN_FDS=1; the service listens on that socket, sends READY=1 to NOTIFY_SOCKET, answers ' +
  '/healthz, and on SIGTERM drains and exits 0.';

export const CONTRACT_FIX =
  'Fix: start the server with @edgeship/service-kit instead of listening yourself, e.g. ' +
  '`runEdgeServer(app, { name: pkg.name, version: pkg.version, port: pkg.edgeship.port })` ' +
  "(fastify's app, an express app, hono's createAdaptorServer({ fetch: app.fetch }), or a node:http server), " +
  "or runService(createService(...)) for the kit's own router.";

const isSelfBound = (output: string): boolean => /EADDRINUSE/.test(output);

/** undefined when the contract held; otherwise what went wrong, the contract, and the one-line fix. */
export function describeContractFailure(service: string, seen: ContractObservation): string | undefined {
  if (seen.outcome === 'passed') return undefined;
  const seconds = `${seen.timeoutMs / 1000} s`;
  const ended = seen.signal ? `was killed by ${seen.signal}` : `exited with code ${seen.exitCode}`;
  let what: string;
  if (isSelfBound(seen.output)) {
    what = `${service} binds its port itself (listen EADDRINUSE): on a node the socket unit already holds it, so the service fails on every start.`;
  } else if (seen.outcome === 'exited-early') {
    what = `${service} ${ended} before it reported READY=1 and a healthy /healthz.`;
  } else if (seen.outcome === 'bad-stop') {
    what = `${service} did not drain and exit 0 within ${seconds} of SIGTERM (it ${seen.exitCode === null && !seen.signal ? 'was still running' : ended}); systemd would record a failed stop.`;
  } else if (seen.isHealthy) {
    what = `${service} answered /healthz but never sent READY=1 within ${seconds}: systemd would kill the Type=notify unit at TimeoutStartSec.`;
  } else if (seen.isReady) {
    what = `${service} sent READY=1 but /healthz did not answer 200 within ${seconds}: the deploy's health gate would roll it back.`;
  } else {
    what = `${service} neither sent READY=1 nor answered /healthz on the socket systemd passed within ${seconds}.`;
  }
  return `contract check failed: ${what}\n${CONTRACT}\n${CONTRACT_FIX}`;
}

/** The last lines of the service's output, enough for a stack trace, bounded so a chatty service stays readable. */
export function tailLines(text: string, count = 30): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
