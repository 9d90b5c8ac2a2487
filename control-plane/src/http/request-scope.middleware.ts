// Runs after the body is parsed (body parsing hops async contexts, so it must come first):
// opens the AsyncLocalStorage scopes the rest of the request runs in — the correlation id for
// the logger, and MikroORM's request context, so every request gets its own EntityManager fork.
import { RequestContext, type MikroORM } from '@mikro-orm/sqlite';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runWithCorrelation } from '../common/correlation.ts';
import { requestState } from './request-state.ts';

export function requestScope(orm: MikroORM) {
  return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    const correlationId = requestState.correlationId(req) ?? 'unknown';
    runWithCorrelation({ correlationId }, () => RequestContext.create(orm.em, next));
  };
}
