// The one gate in front of every handler: reads the route's access rule from the route table
// (via @ApiRoute metadata) and establishes the caller — nobody (public), a user by session or
// API token with an allowed role, or a node by its client certificate. Cookie-authenticated
// state changes must also pass the CSRF check. A handler without a route definition is never
// reachable (fail closed).
import type { RouteDefinition } from '@enclave/contracts';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { forbidden, unauthenticated } from '../common/errors.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { ROUTE_METADATA } from '../http/api-route.decorator.ts';
import { requestState } from '../http/request-state.ts';
import type { AnyCaller, UserCaller } from './caller.ts';
import { assertSameOrigin, isStateChanging } from './csrf-check.ts';
import { NodeAuthenticator } from './node-authenticator.service.ts';
import { UserAuthenticator } from './user-authenticator.service.ts';

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserAuthenticator,
    private readonly nodes: NodeAuthenticator,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers authenticate by topic
    const route = this.reflector.get<RouteDefinition | undefined>(ROUTE_METADATA, context.getHandler());
    if (route === undefined) {
      throw new Error(
        `${context.getClass().name}.${context.getHandler().name} is not bound to the route table.`,
      );
    }
    const req = context.switchToHttp().getRequest<IncomingMessage>();
    requestState.setCaller(req, await this.#caller(route, req));
    return true;
  }

  async #caller(route: RouteDefinition, req: IncomingMessage): Promise<AnyCaller> {
    const access = route.access;
    switch (access.kind) {
      case 'public':
        return { kind: 'anonymous' };
      case 'node':
        return this.nodes.authenticate(req);
      case 'user': {
        const caller = await this.users.authenticate(req);
        if (caller === null) throw unauthenticated();
        this.#authorise(caller, access, req);
        return caller;
      }
    }
  }

  #authorise(
    caller: UserCaller,
    access: Extract<RouteDefinition['access'], { kind: 'user' }>,
    req: IncomingMessage,
  ): void {
    if (caller.via === 'session' && isStateChanging(req)) {
      assertSameOrigin(req, this.config.ENCLAVE_PUBLIC_ORIGINS);
    }
    if (access.credentials !== undefined && !access.credentials.includes(caller.via)) {
      throw forbidden(
        `This needs a ${access.credentials.join(' or ')}; you used a${caller.via === 'token' ? 'n API token' : ' session'}.`,
      );
    }
    if (!access.roles.includes(caller.role)) {
      throw forbidden(
        `Your role (${caller.role}) may not do this; it needs one of: ${access.roles.join(', ')}.`,
      );
    }
  }
}
