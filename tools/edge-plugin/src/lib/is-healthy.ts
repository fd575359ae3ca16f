/**
 * Whether a service answers GET /healthz with 200 on 127.0.0.1:<port> within timeoutMs: what the build-time
 * contract check, the executable tests and the frameworks benchmark poll for. A refused or silent port is
 * simply not healthy (yet).
 */
export async function isHealthy(port: number, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}
