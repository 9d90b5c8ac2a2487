import { describe, expect, it } from 'vitest';
import { DataKey, blindIndex, normaliseForIndex } from '../src/index.ts';

const index = DataKey.generate('index');

describe('blind indexes', () => {
  it('are deterministic per key and column, and differ across columns and keys', () => {
    const value = normaliseForIndex('ada@example.org');
    expect(blindIndex(index, 'email', value)).toBe(blindIndex(index, 'email', value));
    expect(blindIndex(index, 'email', value)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(blindIndex(index, 'email', value)).not.toBe(blindIndex(index, 'phone', value));
    expect(blindIndex(index, 'email', value)).not.toBe(blindIndex(DataKey.generate('index'), 'email', value));
  });

  it('normalisation makes what people type match', () => {
    expect(normaliseForIndex('  Ada   LOVELACE ')).toBe('ada lovelace');
    expect(normaliseForIndex('Ｃａｆé')).toBe(normaliseForIndex('cafe\u0301'));
    expect(blindIndex(index, 'name', normaliseForIndex('Ada Lovelace'))).toBe(
      blindIndex(index, 'name', normaliseForIndex(' ada  lovelace')),
    );
  });

  it('only an index key computes them', () => {
    expect(() => blindIndex(DataKey.generate('subject'), 'email', 'x')).toThrow(
      expect.objectContaining({ code: 'KEY_INVALID' }),
    );
    expect(() => blindIndex(index, '', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
