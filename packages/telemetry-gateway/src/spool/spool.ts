import { type FileHandle, mkdir, open } from 'node:fs/promises';
import type { Logger } from '@edgeship/service-kit';
import {
  type ForwardPosition,
  isPositionAfter,
  loadForwardPosition,
  resolveResumePosition,
  saveForwardPosition,
} from './forward-position';
import { type ForwardBatch, readForwardBatch } from './read-forward-batch';
import { loadSegments } from './load-segments';
import { RecentBuffer } from './recent-buffer';
import { resolveSegmentPath, type SegmentInfo, syncDirectory } from './segment-files';
import { SegmentLedger } from './segment-ledger';
import { type NormalizedSpoolOptions, normalizeSpoolOptions, type SpoolOptions } from './spool-options';

interface PendingAppend {
  records: object[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ForwardingStats {
  /** Stored readings the upstream has not acknowledged yet. */
  pendingRecords: number;
  /** Readings dropped before the upstream acknowledged them, because the spool was full (since start). */
  droppedRecords: number;
  droppedSegments: number;
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Append-only JSONL segments on disk. append() resolves only after the records are fsynced, so an acknowledged
 * reading survives a crash or power cut. Concurrent appends share one write + fsync (group commit), which is what
 * keeps throughput up on slow edge flash storage. The forwarding position says how far the upstream has
 * acknowledged; segments are removed only once it has passed them, or when the bounds force a drop (counted).
 */
export class Spool {
  private readonly ledger = new SegmentLedger();
  private readonly recent: RecentBuffer<unknown>;
  private handle: FileHandle | undefined;
  private pending: PendingAppend[] = [];
  private isFlushing = false;
  private appends = 0;
  private appendWaiters: Array<() => void> = [];
  private dropped = { records: 0, segments: 0 };
  private diskFullSince: string | undefined;

  private constructor(
    private readonly options: NormalizedSpoolOptions,
    private readonly log: Logger,
  ) {
    this.recent = new RecentBuffer(options.recentCapacity);
  }

  static async open(options: SpoolOptions, log: Logger): Promise<Spool> {
    const spool = new Spool(normalizeSpoolOptions(options), log);
    await spool.load();
    return spool;
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  /** Set by an append that failed for lack of space; cleared by the next append that succeeds. */
  get isDiskFull(): boolean {
    return this.diskFullSince !== undefined;
  }

  readStats(): { segments: number; bytes: number; records: number } {
    return this.ledger.readStats();
  }

  readForwardingStats(): ForwardingStats {
    const pendingRecords = this.ledger.readPendingRecords();
    return { pendingRecords, droppedRecords: this.dropped.records, droppedSegments: this.dropped.segments };
  }

  readRecent(limit: number): unknown[] {
    return this.recent.readLast(limit);
  }

  append(records: object[]): Promise<void> {
    if (!this.handle) return Promise.reject(new Error('spool is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      void this.flushPending();
    });
  }

  /** Successful appends since open; with whenAppended, lets a reader wait without missing one in between. */
  get appendCount(): number {
    return this.appends;
  }

  /**
   * Resolves once appendCount is past `seen`, or on close(): the forwarder waits instead of polling. A spool
   * that lost its handle (a failed truncate) keeps the waiter pending; resolving at once would spin the caller.
   */
  whenAppended(seen: number): Promise<void> {
    if (this.appends > seen) return Promise.resolve();
    return new Promise((resolve) => this.appendWaiters.push(resolve));
  }

  /** The oldest readings the upstream has not acknowledged, up to `maxRecords`; undefined when there are none. */
  async readForwardBatch(maxRecords: number): Promise<ForwardBatch | undefined> {
    await this.removeAcknowledgedSegments();
    const segment = this.ledger.findUnforwardedSegment();
    if (!segment) return undefined;
    try {
      const batch = await readForwardBatch(segment, this.ledger.position, maxRecords);
      if (batch.corruptLines > 0)
        this.log.warn('skipping corrupt lines', { file: segment.path, lines: batch.corruptLines });
      return batch;
    } catch (error) {
      // Dropped while we opened it (the spool was full): read on from where the drop moved the position.
      if (!this.ledger.has(segment)) return this.readForwardBatch(maxRecords);
      throw error;
    }
  }

  /**
   * Makes `end` durable (fsync) before anything it covers is removed; a stale position is ignored. If it cannot
   * be saved (a full disk), acknowledged segments are removed all the same: that frees space, and a restart then
   * resumes at the start of the first segment left, so it re-sends (same ids) but never skips a reading.
   */
  async acknowledge(end: ForwardPosition): Promise<void> {
    if (!isPositionAfter(end, this.ledger.position)) return;
    try {
      await saveForwardPosition(this.options.dir, end);
    } catch (error) {
      this.log.warn('could not save the forwarding position; a restart would send some readings again', {
        error,
      });
    }
    this.ledger.advanceTo(end);
    await this.removeAcknowledgedSegments();
  }

  /** Waits for queued appends to be written, then closes the active segment. */
  async close(): Promise<void> {
    while (this.isFlushing) await new Promise((resolve) => setImmediate(resolve));
    await this.releaseHandle();
    for (const wake of this.appendWaiters.splice(0)) wake();
  }

  private async releaseHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async load(): Promise<void> {
    const { dir, recentCapacity } = this.options;
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const { segments, tail } = await loadSegments(dir, recentCapacity, this.log);
    for (const segment of segments) this.ledger.add(segment);
    this.recent.push(...tail);
    const saved = await loadForwardPosition(dir, (reason) =>
      this.log.warn('forwarding position is damaged; forwarding everything spooled again', { reason }),
    );
    this.ledger.position = resolveResumePosition(saved, this.ledger.segments);
    await this.openActiveSegment(Math.max(segments.at(-1)?.seq ?? 1, this.ledger.position.seq));
    await this.removeAcknowledgedSegments();
    this.log.info('spool opened', { dir, ...this.readStats(), ...this.readForwardingStats() });
  }

  private async openActiveSegment(seq: number): Promise<void> {
    const path = resolveSegmentPath(this.options.dir, seq);
    this.handle = await open(path, 'a', 0o640);
    if (this.ledger.active?.seq !== seq) {
      this.ledger.add({ seq, path, bytes: 0, records: 0 });
      await syncDirectory(this.options.dir);
    }
  }

  private async flushPending(): Promise<void> {
    if (this.isFlushing) return;
    this.isFlushing = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.writeDurably(batch.flatMap((append) => append.records));
      } catch (error) {
        this.noteWriteFailure(error);
        for (const append of batch) append.reject(error);
        continue;
      }
      // Stored and fsynced: what follows is housekeeping, and its failure must not reject those readings.
      await this.dropOldSegments().catch((error: unknown) =>
        this.log.warn('could not drop old segments; retrying on the next append', { error }),
      );
      for (const append of batch) append.resolve();
      this.appends += 1;
      for (const wake of this.appendWaiters.splice(0)) wake();
    }
    this.isFlushing = false;
  }

  private async writeDurably(records: object[]): Promise<void> {
    const data = Buffer.from(records.map((record) => JSON.stringify(record) + '\n').join(''));
    if (!this.handle) throw new Error('spool is closed');
    await this.rotateIfFull();
    const active = this.ledger.active!;
    const handle = this.handle;
    try {
      await handle.appendFile(data);
      await handle.datasync();
    } catch (error) {
      // Cut a partial write so the file stays line-aligned; if even that fails, stop accepting (readyz turns 503).
      await handle.truncate(active.bytes).catch(() => this.releaseHandle());
      throw error;
    }
    active.bytes += data.length;
    active.records += records.length;
    this.recent.push(...records);
    if (this.diskFullSince) {
      this.log.info('spool writes succeed again', { diskFullSince: this.diskFullSince });
      this.diskFullSince = undefined;
    }
  }

  private noteWriteFailure(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!DISK_FULL_CODES.has(code) || this.diskFullSince) return;
    this.diskFullSince = new Date().toISOString();
    this.log.error('disk full: refusing readings and reporting not ready until a write succeeds', {
      dir: this.options.dir,
      code,
    });
  }

  /** The new segment opens before the old one closes, so a failed open (disk full) leaves a usable spool. */
  private async rotateIfFull(): Promise<void> {
    const active = this.ledger.active!;
    if (active.bytes < this.options.segmentBytes && active.records < this.options.segmentRecords) return;
    const previous = this.handle!;
    try {
      await this.openActiveSegment(active.seq + 1);
    } finally {
      if (this.handle !== previous) await previous.close();
    }
  }

  private async dropOldSegments(): Promise<void> {
    const { maxBytes, maxRecords } = this.options;
    while (this.ledger.segments.length > 1) {
      const stats = this.ledger.readStats();
      if (stats.bytes <= maxBytes && stats.records <= maxRecords) return;
      const oldest = this.ledger.segments[0]!;
      // A file that will not go keeps the spool over its bound until a later append retries; no loop here.
      if (!(await this.removeSegmentFile(oldest))) return;
      const unforwarded = this.ledger.countUnforwarded(oldest);
      this.ledger.forget(oldest);
      if (unforwarded === 0) continue;
      this.dropped.records += unforwarded;
      this.dropped.segments += 1;
      this.log.warn('spool full: dropped readings the upstream has not acknowledged', {
        file: oldest.path,
        records: unforwarded,
        droppedTotal: this.dropped.records,
      });
    }
  }

  private async removeAcknowledgedSegments(): Promise<void> {
    for (const segment of this.ledger.listAcknowledged()) {
      if (await this.removeSegmentFile(segment)) this.ledger.forget(segment);
    }
  }

  private async removeSegmentFile(segment: SegmentInfo): Promise<boolean> {
    try {
      await this.options.removeFile(segment.path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      this.log.warn('could not remove segment; retrying later', { file: segment.path, error });
      return false;
    }
  }
}
