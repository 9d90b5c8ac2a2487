// Cross-site request forgery defence for requests that a cookie authenticates. SameSite=Strict
// already keeps the cookie off cross-site requests in current browsers; this is the second
// wall: a state-changing request must prove it comes from our own origin — by
// `Sec-Fetch-Site: same-origin` (every current browser sends it) or, when that header is
// absent, an `Origin` that is ours. A request with neither is refused: no browser we support
// omits both, and non-browser clients use API tokens, which are not ambient and need no check.
import { ContractError, ErrorCode } from '@enclave/contracts';
import type { IncomingMessage } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(req: IncomingMessage): boolean {
  return !SAFE_METHODS.has(req.method ?? 'GET');
}

/** Throws FORBIDDEN unless the request shows it was sent by a page of one of our origins. */
export function assertSameOrigin(req: IncomingMessage, allowedOrigins: readonly string[] | undefined): void {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw refused(`Sec-Fetch-Site is ${site}`);
  }
  const origin = header(req, 'origin');
  if (origin === undefined) throw refused('neither Sec-Fetch-Site nor Origin was sent');
  const host = header(req, 'host');
  const ours = allowedOrigins ?? (host !== undefined ? [`https://${host}`] : []);
  if (!ours.some((o) => o.toLowerCase() === origin.toLowerCase())) throw refused('Origin is not this server');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function refused(why: string): ContractError {
  return new ContractError(
    ErrorCode.FORBIDDEN,
    `Refused as a possible cross-site request (${why}). Use the Enclave web app, or an API token from scripts.`,
  );
}

/**
 * For sign-in (no session yet): refuse what a browser marks as coming from another site, so a
 * hostile page cannot sign a victim's browser into the attacker's account. Clients that are not
 * browsers send no Sec-Fetch-Site and pass.
 */
export function assertNotCrossSite(req: IncomingMessage): void {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw refused(`Sec-Fetch-Site is ${site}`);
}
