// A FIFO of received buffers that hands out byte ranges as slices of those buffers. The
// streams cut chunks out of arbitrary input pieces with it without copying; only the 16-byte
// tag and the short header are ever made contiguous.

export class ByteQueue {
  #pieces: Buffer[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#pieces.push(piece);
    this.#length += piece.length;
  }

  /** Removes the first `n` bytes and returns them as slices (no copy). */
  take(n: number): Buffer[] {
    if (n > this.#length) throw new RangeError(`take(${n}) from a queue of ${this.#length} bytes`);
    const out: Buffer[] = [];
    let wanted = n;
    while (wanted > 0) {
      const head = this.#pieces[0] as Buffer;
      if (head.length <= wanted) {
        out.push(head);
        this.#pieces.shift();
        wanted -= head.length;
      } else {
        out.push(head.subarray(0, wanted));
        this.#pieces[0] = head.subarray(wanted);
        wanted = 0;
      }
    }
    this.#length -= n;
    return out;
  }

  /** Removes the first `n` bytes as one buffer (copies only when they span pieces). */
  takeContiguous(n: number): Buffer {
    const pieces = this.take(n);
    return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, n);
  }

  /** The first `n` bytes (or fewer, if fewer are queued) without removing them. */
  peek(n: number): Buffer {
    const out: Buffer[] = [];
    let got = 0;
    for (const piece of this.#pieces) {
      if (got >= n) break;
      const part = piece.subarray(0, n - got);
      out.push(part);
      got += part.length;
    }
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out, got);
  }

  /** Drops everything; returns the dropped pieces so the caller may zero them. */
  clear(): Buffer[] {
    const pieces = this.#pieces;
    this.#pieces = [];
    this.#length = 0;
    return pieces;
  }
}
