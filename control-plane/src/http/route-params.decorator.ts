// Parameter decorators for handlers: `@Input()` gives the params, query and body the contract
// interceptor validated against the route's schemas; `@Caller()` gives who the access guard
// authenticated. Handlers never read the raw request.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { requestState } from './request-state.ts';

export const Input = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  requestState.input(ctx.switchToHttp().getRequest<IncomingMessage>()),
);

export const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext) =>
  requestState.caller(ctx.switchToHttp().getRequest<IncomingMessage>()),
);
