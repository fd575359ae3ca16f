/** Fixed-capacity ring of the newest items: memory stays bounded however long the gateway runs. */
export class RecentBuffer<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`capacity must be >= 1, got ${capacity}`);
  }

  push(...items: T[]): void {
    for (const item of items) {
      if (this.items.length < this.capacity) this.items.push(item);
      else this.items[this.next] = item;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The newest `limit` items, oldest first. */
  readLast(limit: number): T[] {
    const ordered =
      this.items.length < this.capacity
        ? this.items
        : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
    return limit > 0 ? ordered.slice(-limit) : [];
  }

  get size(): number {
    return this.items.length;
  }
}
