// Which route-table entries have handlers. Every entry must have exactly one and every handler
// must be an entry: checked at start-up (boot fails otherwise) and by a test.
import 'reflect-metadata';
import type { RouteDefinition } from '@enclave/contracts';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_METADATA } from './api-route.decorator.ts';

export interface HandlerBinding {
  readonly handler: string;
  readonly route: RouteDefinition | undefined;
}

export function handlerBindings(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): HandlerBinding[] {
  const out: HandlerBinding[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const method = prototype[name];
      if (typeof method !== 'function') continue;
      // Only HTTP handlers count: Kafka handlers (the messaging module) carry no path.
      if (Reflect.getMetadata('path', method) === undefined) continue;
      out.push({
        handler: `${wrapper.name}.${name}`,
        route: reflector.get<RouteDefinition | undefined>(ROUTE_METADATA, method as () => unknown),
      });
    }
  }
  return out;
}

/** Problems, one line each; empty when table and handlers match one to one. */
export function bindingProblems(
  table: Readonly<Record<string, RouteDefinition>>,
  bindings: readonly HandlerBinding[],
): string[] {
  const problems: string[] = [];
  for (const binding of bindings) {
    if (binding.route === undefined)
      problems.push(`${binding.handler} has no @ApiRoute from the route table`);
    else if (table[binding.route.operationId] !== binding.route)
      problems.push(`${binding.handler} is bound to a route that is not in the route table`);
  }
  for (const route of Object.values(table)) {
    const count = bindings.filter((b) => b.route === route).length;
    if (count !== 1) problems.push(`route ${route.operationId} has ${count} handlers (needs exactly 1)`);
  }
  return problems;
}
