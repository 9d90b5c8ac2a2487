// Binds a handler to its entry in the contracts route table: the HTTP method and path, the
// success status, and the metadata the access guard (who may call) and the contract
// interceptor (what goes in and out) read. Nothing about a route is written twice.
import type { RouteDefinition } from '@enclave/contracts';
import { applyDecorators, Delete, Get, HttpCode, Patch, Post, Put, SetMetadata } from '@nestjs/common';

export const ROUTE_METADATA = 'enclave:route';

const METHOD_DECORATORS = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

export function ApiRoute(route: RouteDefinition): MethodDecorator {
  const status = route.stream !== undefined ? 200 : route.response ? (route.status ?? 200) : 204;
  return applyDecorators(
    METHOD_DECORATORS[route.method](route.path),
    HttpCode(status),
    SetMetadata(ROUTE_METADATA, route),
  );
}
