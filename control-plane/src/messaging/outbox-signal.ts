// Wakes the relay when a message was enqueued, so it need not wait for its poll interval. A
// signal is only a hint: the relay also polls, so a lost or early signal costs latency, never
// a message. (With SQLite's single connection, the relay's read queues behind the enqueuing
// transaction anyway, so an early signal still finds the row once it is committed.)

export class OutboxSignal {
  #raised = false;
  #waiter: (() => void) | null = null;

  raise(): void {
    this.#raised = true;
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  /** Resolves at the next raise (or at once if one came since the last wait), or after `timeoutMs`. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.#raised) {
      this.#raised = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiter = null;
        resolve();
      }, timeoutMs);
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#raised = false;
  }
}
