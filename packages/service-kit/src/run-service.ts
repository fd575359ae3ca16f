import type { Service } from './service-lifecycle';

export interface RunServiceOptions {
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * The process entry point for a service: start it, drain on SIGTERM/SIGINT, exit 0 once drained (so systemd
 * records a clean stop), exit 1 if starting fails or a second signal arrives while draining.
 */
export function runService(service: Service, options: RunServiceOptions = {}): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (isStopping) {
      service.log.warn('second signal while draining, exiting now', { signal });
      return exit(1);
    }
    isStopping = true;
    service.stop(signal).then(
      () => exit(0),
      (error: unknown) => {
        service.log.error('shutdown failed', { error });
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return service.start().then(
    () => undefined,
    (error: unknown) => {
      service.log.error('start failed', { error });
      exit(1);
    },
  );
}
