// The correlation id of the request being served, carried through async calls by
// AsyncLocalStorage so every log line of that request names it without passing it around.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CorrelationScope {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

export function runWithCorrelation<T>(scope: CorrelationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
