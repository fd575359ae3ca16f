import { execFile } from 'node:child_process';
import type { Logger } from './logger';

/*
 * Why a child process: the sd_notify protocol needs an AF_UNIX SOCK_DGRAM socket, which Node's core cannot open
 * (node:dgram is UDP only), and the npm bindings for it (sd-notify, unix-dgram) are native addons that a Node SEA
 * single-file executable cannot load. So we run systemd's own `systemd-notify`, which ships with systemd on every
 * node that can run a Type=notify unit.
 *
 * What the unit needs: NotifyAccess=all. systemd-notify (v246+) sends on behalf of its parent (us) but can only
 * claim our PID with CAP_SYS_ADMIN; a hardened unit (DynamicUser, empty CapabilityBoundingSet) falls back to
 * systemd-notify's own PID, which NotifyAccess=main would reject. We do NOT pass --no-block: without it
 * systemd-notify waits (BARRIER=1) until systemd processed the message, so it is still alive and attributable to
 * our cgroup when systemd looks it up; that removes the race that made systemd-notify unreliable in the past.
 */
export interface Notifier {
  readonly isEnabled: boolean;
  notify(...assignments: string[]): Promise<boolean>;
  /** Starts WATCHDOG=1 pings at half of WATCHDOG_USEC; returns a function that stops them. */
  startWatchdog(): () => void;
}

export interface NotifierOptions {
  env: NodeJS.ProcessEnv;
  log: Logger;
  command?: string;
  timeoutMs?: number;
}

/** Interval in ms for WATCHDOG=1, or undefined when systemd did not ask this process for watchdog pings. */
export function resolveWatchdogIntervalMs(env: NodeJS.ProcessEnv, pid = process.pid): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isFinite(usec) || usec <= 0) return undefined;
  // systemd sets WATCHDOG_PID to the main PID; a child that inherited the variables must not ping for its parent.
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 1000 / 2));
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { env, log } = options;
  const command = options.command ?? 'systemd-notify';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const isEnabled = Boolean(env.NOTIFY_SOCKET);

  const notify = (...assignments: string[]): Promise<boolean> => {
    if (!isEnabled) return Promise.resolve(false);
    return new Promise((resolve) => {
      execFile(command, assignments, { env, timeout: timeoutMs }, (error, _stdout, stderr) => {
        if (error?.signal) {
          // systemd's stop signals the whole cgroup (KillMode=control-group), our systemd-notify included;
          // systemd already knows we are stopping, so this is expected noise, not a failure.
          log.debug('sd_notify interrupted', { assignments, signal: error.signal });
          resolve(false);
        } else if (error) {
          log.warn('sd_notify failed', { assignments, error: error.message, stderr: stderr.trim() });
          resolve(false);
        } else {
          log.debug('sd_notify sent', { assignments });
          resolve(true);
        }
      });
    });
  };

  const startWatchdog = (): (() => void) => {
    const intervalMs = isEnabled ? resolveWatchdogIntervalMs(env) : undefined;
    if (intervalMs === undefined) return () => undefined;
    let isPinging = false;
    const timer = setInterval(() => {
      if (isPinging) return; // a slow systemd-notify must not pile up processes
      isPinging = true;
      void notify('WATCHDOG=1').finally(() => (isPinging = false));
    }, intervalMs);
    timer.unref();
    log.info('watchdog enabled', { intervalMs });
    return () => clearInterval(timer);
  };

  return { isEnabled, notify, startWatchdog };
}
