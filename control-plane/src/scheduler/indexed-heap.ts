// A binary heap whose items remember their position, so that an item can be removed or
// re-sorted in O(log n) when its key changes (a cancelled queued task, a tenant whose share
// grew). Items carry the position themselves: one heap per item at a time, no side map.

export interface HeapItem {
  /** Position in the heap holding the item, -1 when in none. Managed by the heap. */
  heapIndex: number;
}

export class IndexedHeap<T extends HeapItem> {
  private readonly items: T[] = [];
  private readonly before: (a: T, b: T) => boolean;

  /** `before(a, b)`: a comes out first. Must be a strict weak order. */
  constructor(before: (a: T, b: T) => boolean) {
    this.before = before;
  }

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.up(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  remove(item: T): boolean {
    if (!this.has(item)) return false;
    this.removeAt(item.heapIndex);
    return true;
  }

  /** Restores order after the item's key changed. */
  update(item: T): void {
    if (!this.has(item)) return;
    this.up(item.heapIndex);
    this.down(item.heapIndex);
  }

  /** Unordered; for inspection and tests. */
  values(): readonly T[] {
    return this.items;
  }

  private removeAt(index: number): void {
    const removed = this.items[index]!;
    const last = this.items.pop()!;
    removed.heapIndex = -1;
    if (index < this.items.length) {
      this.place(last, index);
      this.up(index);
      this.down(index);
    }
  }

  private place(item: T, index: number): void {
    this.items[index] = item;
    item.heapIndex = index;
  }

  private up(start: number): void {
    let index = start;
    const item = this.items[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (!this.before(item, parent)) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(item, index);
  }

  private down(start: number): void {
    let index = start;
    const item = this.items[index]!;
    const size = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.before(this.items[right]!, this.items[left]!)) child = right;
      const candidate = this.items[child]!;
      if (!this.before(candidate, item)) break;
      this.place(candidate, index);
      index = child;
    }
    this.place(item, index);
  }
}
