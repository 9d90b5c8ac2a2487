// One server-sent event stream on an HTTP response: the headers, events (`id`, `event`, one
// JSON `data` line), keep-alive comments, and an end that runs its clean-up exactly once —
// whether the client left, the server shuts down, or the writer ended it.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class SseStream {
  readonly #res: ServerResponse;
  readonly #cleanups: (() => void)[] = [];
  #closed = false;

  constructor(req: IncomingMessage, res: ServerResponse, keepAliveMs: number) {
    this.#res = res;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    // Tell EventSource how long to wait before reconnecting.
    res.write('retry: 2000\n\n');
    const timer = setInterval(() => this.comment('keep-alive'), keepAliveMs);
    timer.unref();
    this.onClose(() => clearInterval(timer));
    req.on('close', () => this.close());
    res.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(event: string, data: unknown, id?: number): void {
    if (this.#closed) return;
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    this.#res.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): void {
    if (!this.#closed) this.#res.write(`: ${text}\n\n`);
  }

  onClose(cleanup: () => void): void {
    if (this.#closed) cleanup();
    else this.#cleanups.push(cleanup);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (!this.#res.writableEnded) this.#res.end();
  }
}

/** The resume point: the Last-Event-ID header, else the `lastEventId` query parameter, else 0. */
export function lastEventIdOf(req: IncomingMessage, fromQuery: string | undefined): number {
  const header = req.headers['last-event-id'];
  const text = typeof header === 'string' && /^\d{1,15}$/.test(header) ? header : fromQuery;
  return text === undefined ? 0 : Number(text);
}
