import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import type { Logger } from '@edgeship/service-kit';
import { readSegment, truncateTornTail } from './read-segment';
import { RecentBuffer } from './recent-buffer';
import { listSegmentSeqs, resolveSegmentPath, type SegmentInfo, syncDirectory } from './segment-files';
import { type NormalizedSpoolOptions, normalizeSpoolOptions, type SpoolOptions } from './spool-options';

interface PendingAppend {
  records: object[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Append-only JSONL segments on disk. append() resolves only after the records are fsynced, so an acknowledged
 * reading survives a crash or power cut. Concurrent appends share one write + fsync (group commit), which is what
 * keeps throughput up on slow edge flash storage.
 */
export class Spool {
  private readonly segments: SegmentInfo[] = [];
  private readonly recent: RecentBuffer<unknown>;
  private handle: FileHandle | undefined;
  private pending: PendingAppend[] = [];
  private isFlushing = false;

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

  readStats(): { segments: number; bytes: number; records: number } {
    const sum = (key: 'bytes' | 'records') => this.segments.reduce((total, s) => total + s[key], 0);
    return { segments: this.segments.length, bytes: sum('bytes'), records: sum('records') };
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

  /** Waits for queued appends to be written, then closes the active segment. */
  async close(): Promise<void> {
    while (this.isFlushing) await new Promise((resolve) => setImmediate(resolve));
    await this.releaseHandle();
  }

  private async releaseHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async load(): Promise<void> {
    const { dir, recentCapacity } = this.options;
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const seqs = await listSegmentSeqs(dir);
    for (const [index, seq] of seqs.entries()) {
      const path = resolveSegmentPath(dir, seq);
      const contents = await readSegment(path, recentCapacity);
      if (contents.tornBytes > 0) {
        this.log.warn('dropping torn last line', { file: path, tornBytes: contents.tornBytes });
        if (index === seqs.length - 1) await truncateTornTail(path, contents);
      }
      if (contents.corruptLines > 0)
        this.log.warn('skipping corrupt lines', { file: path, lines: contents.corruptLines });
      this.segments.push({ seq, path, bytes: contents.validBytes, records: contents.records });
      this.recent.push(...contents.tail);
    }
    await this.openActiveSegment(seqs.at(-1) ?? 1);
    this.log.info('spool opened', { dir, ...this.readStats() });
  }

  private async openActiveSegment(seq: number): Promise<void> {
    const path = resolveSegmentPath(this.options.dir, seq);
    this.handle = await open(path, 'a', 0o640);
    if (this.segments.at(-1)?.seq !== seq) {
      this.segments.push({ seq, path, bytes: 0, records: 0 });
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
        for (const append of batch) append.resolve();
      } catch (error) {
        for (const append of batch) append.reject(error);
      }
    }
    this.isFlushing = false;
  }

  private async writeDurably(records: object[]): Promise<void> {
    const data = Buffer.from(records.map((record) => JSON.stringify(record) + '\n').join(''));
    if (!this.handle) throw new Error('spool is closed');
    await this.rotateIfFull();
    const active = this.segments.at(-1)!;
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
    await this.dropOldSegments();
  }

  private async rotateIfFull(): Promise<void> {
    const active = this.segments.at(-1)!;
    if (active.bytes < this.options.segmentBytes && active.records < this.options.segmentRecords) return;
    await this.handle!.close();
    await this.openActiveSegment(active.seq + 1);
  }

  private async dropOldSegments(): Promise<void> {
    const { maxBytes, maxRecords } = this.options;
    while (this.segments.length > 1) {
      const stats = this.readStats();
      if (stats.bytes <= maxBytes && stats.records <= maxRecords) return;
      const oldest = this.segments.shift()!;
      await unlink(oldest.path);
      this.log.info('dropped oldest segment', { file: oldest.path, records: oldest.records });
    }
  }
}
