// A real HTTPS client reading a server-sent event stream: collects events as they arrive and
// lets a test wait for the ones it expects.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface StreamEvent {
  readonly id: number | undefined;
  readonly event: string;
  readonly data: unknown;
}

export interface EventStreamClient {
  readonly status: number;
  readonly events: StreamEvent[];
  /** Keep-alive comments seen. */
  readonly comments: string[];
  /** Resolves once `predicate` holds for the events so far (checked at every new event). */
  until(predicate: (events: readonly StreamEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export interface StreamRequest {
  readonly port: number;
  readonly path: string;
  readonly ca: string;
  readonly headers?: Record<string, string>;
}

export function openEventStream(req: StreamRequest): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const outgoing: ClientRequest = httpsRequest(
      {
        host: '127.0.0.1',
        port: req.port,
        path: req.path,
        headers: { accept: 'text/event-stream', ...req.headers },
        ca: req.ca,
        servername: 'localhost',
        agent: false,
      },
      (res: IncomingMessage) => resolve(client(res, outgoing)),
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function client(res: IncomingMessage, outgoing: ClientRequest): EventStreamClient {
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      parse(block, events, comments);
    }
    for (const waiter of [...waiters]) waiter();
  });
  res.on('error', () => undefined);
  return {
    status: res.statusCode ?? 0,
    events,
    comments,
    until: (predicate, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`event stream: condition not met in ${timeoutMs} ms (${events.length} events)`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () => outgoing.destroy(),
  };
}

function parse(block: string, events: StreamEvent[], comments: string[]): void {
  let id: number | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) id = Number(line.slice(4));
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) events.push({ id, event, data: JSON.parse(data.join('\n')) as unknown });
}
