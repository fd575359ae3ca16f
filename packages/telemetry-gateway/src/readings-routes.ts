import { HttpError, type Routes } from '@edgeship/service-kit';
import { parseReadings } from './reading-schema';
import type { Spool } from './spool/spool';

export const DEFAULT_READINGS_LIMIT = 100;

function parseLimit(raw: string | null, max: number): number {
  if (raw === null) return Math.min(DEFAULT_READINGS_LIMIT, max);
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > max) {
    throw new HttpError(400, `limit must be an integer between 1 and ${max}`, { limit: raw });
  }
  return limit;
}

/** readSpool() is undefined until the spool is open: requests before that get 503, never a half-started spool. */
export function createReadingsRoutes(readSpool: () => Spool | undefined, recentCapacity: number): Routes {
  const requireSpool = (): Spool => {
    const spool = readSpool();
    if (!spool?.isOpen) throw new HttpError(503, 'spool not open');
    return spool;
  };
  return {
    'POST /readings': async ({ readJson, log }) => {
      const parsed = parseReadings(await readJson());
      if (!parsed.isValid) return { status: 400, body: { error: 'invalid readings', issues: parsed.issues } };
      const receivedAt = new Date().toISOString();
      try {
        await requireSpool().append(parsed.readings.map((reading) => ({ ...reading, receivedAt })));
      } catch (error) {
        if (error instanceof HttpError) throw error;
        log.error('spool append failed', { error, readings: parsed.readings.length });
        throw new HttpError(503, 'readings not stored, retry later');
      }
      // 202: stored durably (fsynced). The forwarder sends it upstream (when UPSTREAM_URL is set) and removes it
      // from the spool only once the upstream answered 2xx.
      return { status: 202, body: { accepted: parsed.readings.length } };
    },
    'GET /readings': ({ url }) => {
      const limit = parseLimit(url.searchParams.get('limit'), recentCapacity);
      const readings = requireSpool().readRecent(limit);
      return { body: { count: readings.length, readings } };
    },
  };
}
