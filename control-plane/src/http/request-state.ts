// What the control plane learns about a request as it passes the layers: which listener took
// it, its correlation id, who the caller is and the validated input. Kept in WeakMaps keyed by
// the request instead of extra properties on it, so it is typed and cannot collide with
// Express's own fields.
import type { IncomingMessage } from 'node:http';

export type ListenerKind = 'api' | 'agent';

const listeners = new WeakMap<IncomingMessage, ListenerKind>();
const correlationIds = new WeakMap<IncomingMessage, string>();
const callers = new WeakMap<IncomingMessage, unknown>();
const inputs = new WeakMap<IncomingMessage, unknown>();

export const requestState = {
  setListener(req: IncomingMessage, kind: ListenerKind): void {
    listeners.set(req, kind);
  },
  /** Requests that did not come through one of our listeners (none should) count as API requests. */
  listener(req: IncomingMessage): ListenerKind {
    return listeners.get(req) ?? 'api';
  },
  setCorrelationId(req: IncomingMessage, id: string): void {
    correlationIds.set(req, id);
  },
  correlationId(req: IncomingMessage): string | undefined {
    return correlationIds.get(req);
  },
  setCaller(req: IncomingMessage, caller: unknown): void {
    callers.set(req, caller);
  },
  caller(req: IncomingMessage): unknown {
    return callers.get(req);
  },
  setInput(req: IncomingMessage, input: unknown): void {
    inputs.set(req, input);
  },
  input(req: IncomingMessage): unknown {
    return inputs.get(req);
  },
};
