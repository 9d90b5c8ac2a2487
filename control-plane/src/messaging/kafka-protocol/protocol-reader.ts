// Decoder for Kafka wire primitives. Every read is bounds-checked: a short or hostile response
// throws a ProtocolDecodeError instead of reading past the buffer.

export class ProtocolDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolDecodeError';
  }
}

export class ProtocolReader {
  readonly #buffer: Buffer;
  #offset = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  get remaining(): number {
    return this.#buffer.length - this.#offset;
  }

  int8(): number {
    const value = this.#buffer.readInt8(this.#take(1));
    return value;
  }

  int16(): number {
    return this.#buffer.readInt16BE(this.#take(2));
  }

  int32(): number {
    return this.#buffer.readInt32BE(this.#take(4));
  }

  unsignedVarint(): number {
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.#buffer.readUInt8(this.#take(1));
      value += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return value;
      multiplier *= 128;
    }
    throw new ProtocolDecodeError('unsigned varint longer than 5 bytes');
  }

  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new ProtocolDecodeError('null where a string is required');
    return value;
  }

  compactNullableString(): string | null {
    const lengthPlusOne = this.unsignedVarint();
    if (lengthPlusOne === 0) return null;
    const start = this.#take(lengthPlusOne - 1);
    return this.#buffer.toString('utf8', start, start + lengthPlusOne - 1);
  }

  compactArray<T>(readItem: (reader: this) => T): T[] {
    const lengthPlusOne = this.unsignedVarint();
    if (lengthPlusOne === 0) return [];
    const count = lengthPlusOne - 1;
    // Each item takes at least one byte: a count beyond the rest of the buffer is a lie.
    if (count > this.remaining)
      throw new ProtocolDecodeError(`array of ${count} items in ${this.remaining} bytes`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  /** Skips a tagged-field buffer: this client reads no tagged fields. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint();
      const size = this.unsignedVarint();
      this.#take(size);
    }
  }

  #take(size: number): number {
    if (size < 0 || this.#offset + size > this.#buffer.length) {
      throw new ProtocolDecodeError(
        `response ends early: need ${size} bytes at ${this.#offset}, have ${this.remaining}`,
      );
    }
    const start = this.#offset;
    this.#offset += size;
    return start;
  }
}
