import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../src/scheduler/indexed-heap.ts';

interface Item {
  key: number;
  id: number;
  heapIndex: number;
}

const before = (a: Item, b: Item) => (a.key !== b.key ? a.key < b.key : a.id < b.id);

describe('IndexedHeap', () => {
  it('behaves like a sorted list under random push, pop, remove and key changes', () => {
    type Op =
      | { op: 'push'; key: number }
      | { op: 'pop' }
      | { op: 'remove'; pick: number }
      | { op: 'rekey'; pick: number; key: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('push' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ op: fc.constant('pop' as const) }),
      fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('rekey' as const), pick: fc.nat(), key: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const heap = new IndexedHeap<Item>(before);
        let model: Item[] = [];
        let id = 0;
        for (const op of ops) {
          if (op.op === 'push') {
            const item = { key: op.key, id: id++, heapIndex: -1 };
            heap.push(item);
            model.push(item);
          } else if (op.op === 'pop') {
            model.sort((a, b) => (before(a, b) ? -1 : 1));
            const expected = model.shift();
            const got = heap.pop();
            expect(got).toBe(expected);
            if (got !== undefined) expect(got.heapIndex).toBe(-1);
          } else if (model.length > 0) {
            const item = model[op.pick % model.length]!;
            if (op.op === 'remove') {
              expect(heap.remove(item)).toBe(true);
              expect(heap.remove(item)).toBe(false);
              model = model.filter((m) => m !== item);
            } else {
              item.key = op.key;
              heap.update(item);
            }
          }
          expect(heap.size).toBe(model.length);
          for (const item of model) expect(heap.has(item)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not confuse an item with another heap’s item at the same position', () => {
    const a = new IndexedHeap<Item>(before);
    const b = new IndexedHeap<Item>(before);
    const inA = { key: 1, id: 1, heapIndex: -1 };
    const inB = { key: 1, id: 2, heapIndex: -1 };
    a.push(inA);
    b.push(inB);
    expect(a.has(inB)).toBe(false);
    expect(a.remove(inB)).toBe(false);
    expect(a.size).toBe(1);
  });
});
