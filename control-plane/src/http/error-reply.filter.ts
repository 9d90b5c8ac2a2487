// The one place where a failure becomes an HTTP reply: ContractErrors keep their code (status
// from httpStatusFor), Nest's HttpExceptions are translated, anything else is a 500 INTERNAL
// whose details go to the log only. Every reply carries the correlation id, and no reply ever
// carries a stack trace.
import { ContractError, ErrorCode, toErrorResponse } from '@enclave/contracts';
import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { throwError, type Observable } from 'rxjs';
import { RateLimitedError } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { AppLogger } from '../logging/app-logger.ts';
import { fromHttpException } from './http-exception-codes.ts';
import { requestState } from './request-state.ts';
import { pathnameOf } from './route-not-found.ts';

@Catch()
export class ErrorReplyFilter implements ExceptionFilter {
  constructor(
    private readonly log: AppLogger,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | undefined {
    // Kafka handlers (the messaging module) have their own error path.
    if (host.getType() !== 'http') return throwError(() => exception);
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const correlationId = requestState.correlationId(req) ?? 'unknown';
    const method = req.method ?? 'GET';
    const path = pathnameOf(req.url);
    const error =
      exception instanceof HttpException
        ? fromHttpException(exception, { method, path, bodyLimitBytes: this.config.ENCLAVE_BODY_LIMIT_BYTES })
        : exception;
    const { status, body } = toErrorResponse(error, correlationId);

    if (body.code === ErrorCode.INTERNAL) {
      const cause = error instanceof ContractError && error.cause !== undefined ? error.cause : error;
      this.log.write('error', 'Request failed', {
        correlationId,
        method,
        path,
        error: describe(cause),
        stack: cause instanceof Error ? cause.stack : undefined,
      });
    } else {
      this.log.write(status >= 500 ? 'error' : 'info', 'Request refused', {
        correlationId,
        code: body.code,
        status,
      });
    }

    if (res.headersSent) {
      res.end();
      return undefined;
    }
    if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
