// One holder at a time, in arrival order. The scheduler service holds it for the whole of a
// command — the in-memory decision and the SQLite transaction that records it — so the memory
// and the database never disagree about what happened first.
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  /** Resolves, once every earlier holder has released, with this holder's release function. */
  acquire(): Promise<() => void> {
    let open!: () => void;
    const released = new Promise<void>((resolve) => (open = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => released);
    let done = false;
    return previous.then(() => () => {
      if (done) return;
      done = true;
      open();
    });
  }
}
