// Boot refuses to finish when a route of the table has no handler (or two), or a handler is
// not in the table: a half-wired API never starts listening.
import { routes } from '@enclave/contracts';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { bindingProblems, handlerBindings } from './route-bindings.ts';

@Injectable()
export class RouteBindingCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const problems = bindingProblems(routes, handlerBindings(this.discovery, this.scanner, this.reflector));
    if (problems.length > 0) {
      throw new Error(`The REST handlers do not match the route table:\n  - ${problems.join('\n  - ')}`);
    }
  }
}
