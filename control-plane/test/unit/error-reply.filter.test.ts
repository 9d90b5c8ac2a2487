// The filter on its own, for the failure no route can be made to produce on purpose: an
// unexpected exception becomes a generic 500 INTERNAL; the details go to the log only.
import { ErrorReplySchema } from '@enclave/contracts';
import type { ArgumentsHost } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ControlPlaneConfig } from '../../src/config/control-plane.config.ts';
import { ErrorReplyFilter } from '../../src/http/error-reply.filter.ts';
import { requestState } from '../../src/http/request-state.ts';
import { AppLogger } from '../../src/logging/app-logger.ts';
import { MemoryLogSink } from '../support/memory-log-sink.ts';

describe('ErrorReplyFilter', () => {
  it('turns an unexpected error into 500 INTERNAL without internals, and logs the stack', () => {
    const sink = new MemoryLogSink();
    const filter = new ErrorReplyFilter(new AppLogger(sink, 'debug'), {
      ENCLAVE_BODY_LIMIT_BYTES: 1024,
    } as ControlPlaneConfig);
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/api/v1/projects';
    requestState.setCorrelationId(req, 'corr-500');
    const res = new ServerResponse(req);
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    res.assignSocket(out as unknown as Socket);
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    } as unknown as ArgumentsHost;

    filter.catch(new Error('database password is hunter2 at /srv/x.ts:12'), host);

    expect(res.statusCode).toBe(500);
    const body = ErrorReplySchema.parse(JSON.parse(written.slice(written.indexOf('\r\n\r\n') + 4)));
    expect(body.code).toBe('INTERNAL');
    expect(body.correlationId).toBe('corr-500');
    expect(body.message).toContain('corr-500');
    expect(body.fields).toBeUndefined();
    expect(written).not.toContain('hunter2');
    expect(sink.entries()[0]).toMatchObject({
      level: 'error',
      msg: 'Request failed',
      correlationId: 'corr-500',
    });
    expect(sink.text).toContain('x.ts:12');
  });
});
