import { HttpError, type Routes } from '@edgeship/service-kit';
import type { Forwarder } from './forwarder/forwarder';
import type { Spool } from './spool/spool';

/**
 * GET /stats: what /readyz cannot say in one status (the kit's probe answers ready or not). Operators and the
 * fleet's checks read dropped readings and the forwarding backlog here; the same events are in the logs.
 */
export function createStatsRoutes(
  readSpool: () => Spool | undefined,
  readForwarder: () => Forwarder | undefined,
): Routes {
  return {
    'GET /stats': () => {
      const spool = readSpool();
      const forwarder = readForwarder();
      if (!spool) throw new HttpError(503, 'spool not open');
      const { pendingRecords, droppedRecords, droppedSegments } = spool.readForwardingStats();
      return {
        body: {
          spool: { ...spool.readStats(), isOpen: spool.isOpen, isDiskFull: spool.isDiskFull },
          forwarding: { isEnabled: forwarder !== undefined, pendingRecords, ...forwarder?.readStats() },
          dropped: { records: droppedRecords, segments: droppedSegments },
        },
      };
    },
  };
}
