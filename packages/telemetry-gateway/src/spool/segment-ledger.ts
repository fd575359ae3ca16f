import { type ForwardPosition, isPositionAfter } from './forward-position';
import type { SegmentInfo } from './segment-files';

/**
 * The spool's segments (oldest first, the last one is written to) and how far the upstream has acknowledged
 * them, kept in memory and free of I/O: the Spool does the files, this decides what they mean.
 */
export class SegmentLedger {
  private list: SegmentInfo[] = [];
  private current: ForwardPosition = { seq: 1, offset: 0, lines: 0 };

  get segments(): readonly SegmentInfo[] {
    return this.list;
  }

  get position(): ForwardPosition {
    return this.current;
  }

  /** Only on open, from the position saved on disk (see resolveResumePosition). */
  set position(position: ForwardPosition) {
    this.current = position;
  }

  get active(): SegmentInfo | undefined {
    return this.list.at(-1);
  }

  add(segment: SegmentInfo): void {
    this.list.push(segment);
  }

  has(segment: SegmentInfo): boolean {
    return this.list.includes(segment);
  }

  readStats(): { segments: number; bytes: number; records: number } {
    const sum = (key: 'bytes' | 'records') => this.list.reduce((total, s) => total + s[key], 0);
    return { segments: this.list.length, bytes: sum('bytes'), records: sum('records') };
  }

  countUnforwarded(segment: SegmentInfo): number {
    if (segment.seq < this.current.seq) return 0;
    return segment.seq === this.current.seq ? segment.records - this.current.lines : segment.records;
  }

  readPendingRecords(): number {
    return this.list.reduce((total, segment) => total + this.countUnforwarded(segment), 0);
  }

  /** The segment holding the oldest unacknowledged reading; undefined when everything written is acknowledged. */
  findUnforwardedSegment(): SegmentInfo | undefined {
    this.advancePastFinishedSegments();
    const segment = this.list.find((s) => s.seq === this.current.seq);
    return segment && this.current.offset < segment.bytes ? segment : undefined;
  }

  /** Moves the position forward to `end`; an end behind it (its segment was dropped meanwhile) changes nothing. */
  advanceTo(end: ForwardPosition): void {
    if (isPositionAfter(end, this.current)) this.current = end;
  }

  /** Segments wholly before the position: acknowledged, theirs to remove. */
  listAcknowledged(): SegmentInfo[] {
    this.advancePastFinishedSegments();
    return this.list.filter((s) => s.seq < this.current.seq);
  }

  /** Takes a removed segment off the list and moves the position off it, so nothing reads or counts it. */
  forget(segment: SegmentInfo): void {
    this.list = this.list.filter((s) => s !== segment);
    if (this.current.seq <= segment.seq) {
      this.current = { seq: this.list[0]?.seq ?? segment.seq + 1, offset: 0, lines: 0 };
    }
  }

  /** A closed segment read to its end is acknowledged as a whole: the position moves to the next one. */
  private advancePastFinishedSegments(): void {
    for (;;) {
      const index = this.list.findIndex((s) => s.seq === this.current.seq);
      const segment = this.list[index];
      const next = this.list[index + 1];
      if (!segment || !next || this.current.offset < segment.bytes) return;
      this.current = { seq: next.seq, offset: 0, lines: 0 };
    }
  }
}
