// Validates every request against its route's schemas at the edge (400 VALIDATION_FAILED with
// field paths such as `body.email`) and every reply against the response schema on the way out,
// which also drops any field the contract does not name — a stray password hash cannot leak.
import { validate, type RouteDefinition } from '@enclave/contracts';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import { ROUTE_METADATA } from './api-route.decorator.ts';
import { requestState } from './request-state.ts';

const inputSchemas = new WeakMap<RouteDefinition, z.ZodType>();

/** Parts a route declares no schema for are not read at all (undefined to the handler). */
function inputSchemaOf(route: RouteDefinition): z.ZodType {
  let schema = inputSchemas.get(route);
  if (schema === undefined) {
    schema = z.object({
      params: route.params ?? z.any().transform(() => undefined),
      query: route.query ?? z.any().transform(() => undefined),
      body: route.body ?? z.any().transform(() => undefined),
    });
    inputSchemas.set(route, schema);
  }
  return schema;
}

type ExpressLike = IncomingMessage & { params?: unknown; query?: unknown; body?: unknown };

@Injectable()
export class RouteContractInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const route = this.reflector.get<RouteDefinition | undefined>(ROUTE_METADATA, context.getHandler());
    if (route === undefined) throw new Error('Handler without a route definition reached the interceptor.');
    const req = context.switchToHttp().getRequest<ExpressLike>();
    requestState.setInput(
      req,
      validate(inputSchemaOf(route), { params: req.params, query: req.query, body: req.body }, 'request'),
    );
    const response = route.response;
    return next.handle().pipe(map((result: unknown) => (response ? response.parse(result) : undefined)));
  }
}
