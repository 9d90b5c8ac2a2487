// One wording for "no such route", whether Nest found no handler or the listener does not serve
// the path: a caller cannot tell a route that exists elsewhere from one that does not exist.
import { ContractError, ErrorCode } from '@enclave/contracts';

export function routeNotFound(method: string, pathname: string): ContractError {
  const shown = pathname.length > 200 ? `${pathname.slice(0, 200)}…` : pathname;
  return new ContractError(ErrorCode.NOT_FOUND, `There is no route ${method} ${shown} here.`);
}

export function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'https://localhost').pathname;
  } catch {
    return '/';
  }
}
