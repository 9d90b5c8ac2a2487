// Who a request to a user route comes from: an API token in `Authorization: Bearer` (the CLI)
// or the session cookie (the browser). A request that sends an Authorization header is judged
// on it alone; it never falls back to a cookie.
import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { unauthenticated } from '../common/errors.ts';
import { ApiTokenService } from './api-token.service.ts';
import type { UserCaller } from './caller.ts';
import { userCaller } from './current-user.ts';
import { readSessionCookie } from './session-cookie.ts';
import { SessionService } from './session.service.ts';

@Injectable()
export class UserAuthenticator {
  constructor(
    private readonly tokens: ApiTokenService,
    private readonly sessions: SessionService,
  ) {}

  /** The caller, or null when the request carries no credential at all. */
  async authenticate(req: IncomingMessage): Promise<UserCaller | null> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const bearer = /^Bearer ([^\s]+)$/.exec(authorization)?.[1];
      if (bearer === undefined)
        throw unauthenticated('Send the API token as `Authorization: Bearer <token>`.');
      const token = await this.tokens.resolve(bearer);
      if (token === null || token.user.disabled) {
        throw unauthenticated('The API token is unknown, expired or revoked; create a new one.');
      }
      return userCaller(token.user, 'token', token.id);
    }
    const cookie = readSessionCookie(req);
    if (cookie === undefined) return null;
    const session = await this.sessions.resolve(cookie);
    if (session === null || session.user.disabled) {
      throw unauthenticated('Your session has ended; sign in again.');
    }
    return userCaller(session.user, 'session', session.id);
  }
}
