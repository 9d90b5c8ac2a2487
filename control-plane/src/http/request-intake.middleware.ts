// The first thing every request meets, before its body is read: it gets a correlation id
// (echoed in x-correlation-id and in every log line about it), the security headers, an access
// log line when it finishes, and the listener gate — the API listener serves /api only, the
// agent listener /agent only; anything else is a plain 404.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Randomness } from '../common/randomness.ts';
import type { AppLogger } from '../logging/app-logger.ts';
import { requestState } from './request-state.ts';
import { pathnameOf, routeNotFound } from './route-not-found.ts';
import { setSecurityHeaders } from './security-headers.ts';

export const CORRELATION_HEADER = 'x-correlation-id';
/** A caller's own id is kept when it is harmless in a log line and a header. */
const ACCEPTED_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

type Next = (error?: unknown) => void;

export function requestIntake(random: Randomness, log: AppLogger) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const started = performance.now();
    const offered = req.headers[CORRELATION_HEADER];
    const correlationId = typeof offered === 'string' && ACCEPTED_ID.test(offered) ? offered : random.id();
    requestState.setCorrelationId(req, correlationId);
    res.setHeader(CORRELATION_HEADER, correlationId);
    setSecurityHeaders(res);

    const listener = requestState.listener(req);
    const method = req.method ?? 'GET';
    const path = pathnameOf(req.url);
    res.on('finish', () => {
      const caller = requestState.caller(req) as
        { kind?: string; userId?: string; nodeId?: string } | undefined;
      log.write('info', 'request', {
        correlationId,
        listener,
        method,
        path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        ...(caller?.userId !== undefined ? { userId: caller.userId } : {}),
        ...(caller?.nodeId !== undefined ? { nodeId: caller.nodeId } : {}),
      });
    });

    // Lower-cased: Express matches routes without regard to case, the gate must not differ.
    const lower = path.toLowerCase();
    const agentPath = lower === '/agent' || lower.startsWith('/agent/');
    if ((listener === 'agent') !== agentPath) {
      next(routeNotFound(method, path));
      return;
    }
    next();
  };
}
