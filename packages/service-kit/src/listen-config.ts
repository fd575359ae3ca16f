export interface ListenConfig {
  host: string;
  port: number;
}

/** A bad PORT must stop the start with a message that says what to fix, not bind somewhere unexpected. */
export function parsePort(value: string, source: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new Error(`${source}: PORT is "${value}"; set it to an integer between 0 and 65535`);
  }
  return port;
}

/** PORT and HOST from the environment override the service's configured defaults (systemd unit or container). */
export function resolveListenConfig(
  configured: { port: number; host?: string },
  env: NodeJS.ProcessEnv,
): ListenConfig {
  const port = env.PORT?.trim() ? parsePort(env.PORT, 'environment') : configured.port;
  const host = env.HOST?.trim() || configured.host || '0.0.0.0';
  return { host, port };
}
