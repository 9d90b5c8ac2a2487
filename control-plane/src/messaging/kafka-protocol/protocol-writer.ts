// Encoder for the Kafka wire protocol's primitive types, including the "flexible version" forms
// (compact strings and arrays with unsigned-varint lengths, tagged-field buffers) that every
// current ACL API version uses.

export class ProtocolWriter {
  #chunks: Buffer[] = [];

  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    return this.#push(b);
  }

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    return this.#push(b);
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return this.#push(b);
  }

  unsignedVarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${value}`);
    }
    const bytes: number[] = [];
    let rest = value;
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    bytes.push(rest);
    return this.#push(Buffer.from(bytes));
  }

  /** A classic (non-compact) nullable string: int16 length, -1 for null. Request headers use it. */
  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).#push(bytes);
  }

  /** Compact string: unsigned varint of length + 1, then UTF-8 bytes. */
  compactString(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    return this.unsignedVarint(bytes.length + 1).#push(bytes);
  }

  /** Compact nullable string: 0 for null. */
  compactNullableString(value: string | null): this {
    return value === null ? this.unsignedVarint(0) : this.compactString(value);
  }

  compactArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.unsignedVarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** This client never sends tagged fields: an empty tagged-field buffer. */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  #push(bytes: Buffer): this {
    this.#chunks.push(bytes);
    return this;
  }
}
