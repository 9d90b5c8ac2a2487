// The browser's REST client, generated from the contract at type level and at run time: every
// call names an entry of the route table in @enclave/contracts (method, path, schemas), checks
// its input with the route's own zod schemas before sending (the same messages the server would
// answer), and parses the reply with the route's response schema. Nothing here restates a path
// or a shape by hand.
import { ErrorReplySchema, routes, type RouteName, type RouteSpec } from '@enclave/contracts';
import type { z } from 'zod';
import { ApiError, type FieldProblem } from './api-error.ts';

type Routes = typeof routes;
type InputOf<S, K extends string> = S extends { readonly [P in K]: infer T extends z.ZodType }
  ? z.input<T>
  : never;
type Maybe<S, K extends 'params' | 'query' | 'body'> = [InputOf<S, K>] extends [never]
  ? { readonly [P in K]?: never }
  : K extends 'query'
    ? { readonly [P in K]?: InputOf<S, K> }
    : { readonly [P in K]: InputOf<S, K> };

export type CallInput<S> = Maybe<S, 'params'> & Maybe<S, 'query'> & Maybe<S, 'body'>;
export type CallOutput<S> = S extends { readonly response: infer T extends z.ZodType }
  ? z.output<T>
  : undefined;

interface LooseInput {
  readonly params?: Record<string, unknown>;
  readonly query?: Record<string, unknown>;
  readonly body?: unknown;
}

/** Called when any call answers 401: the session ended, the shell shows the sign-in page. */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** `/api/v1/jobs/:jobId` + `{ jobId }` → `/api/v1/jobs/abc`, with the query string. */
export function buildUrl(spec: RouteSpec, input: LooseInput = {}): string {
  const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = input.params?.[name];
    if (typeof value !== 'string') throw new Error(`missing path parameter ${name} for ${spec.path}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(input.query ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') query.set(k, String(v));
  }
  const qs = query.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

function issuesOf(prefix: string, error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** Checks params, query and body with the route's schemas; throws the server's VALIDATION_FAILED shape. */
function precheck(spec: RouteSpec, input: LooseInput): void {
  const problems: FieldProblem[] = [];
  const parts = [
    ['params', spec.params, input.params ?? {}],
    ['query', spec.query, input.query ?? {}],
    ['body', spec.body, input.body],
  ] as const;
  for (const [name, schema, value] of parts) {
    if (schema === undefined) continue;
    const result = schema.safeParse(value);
    if (!result.success) problems.push(...issuesOf(name, result.error));
  }
  if (problems.length > 0) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'Some fields need attention.', problems);
  }
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await res.json();
  } catch {
    // not JSON: a proxy's or the platform's page
  }
  const reply = ErrorReplySchema.safeParse(payload);
  if (res.status === 401) onUnauthenticated();
  if (reply.success) {
    const { code, message, fields, correlationId } = reply.data;
    return new ApiError(res.status, code, message, fields ?? [], correlationId);
  }
  return new ApiError(res.status, 'INTERNAL', `The server answered ${res.status}.`);
}

/** Any route of the table, typed loosely: for routes found at run time (assets, audit...). */
export async function callSpec(spec: RouteSpec, input: LooseInput = {}): Promise<unknown> {
  precheck(spec, input);
  const url = buildUrl(spec, input);
  const hasBody = spec.body !== undefined;
  let res: Response;
  try {
    res = await fetch(url, {
      method: spec.method,
      credentials: 'same-origin',
      headers: hasBody
        ? { accept: 'application/json', 'content-type': 'application/json' }
        : { accept: 'application/json' },
      ...(hasBody ? { body: JSON.stringify(input.body) } : {}),
    });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'The appliance could not be reached. Check the connection and try again.',
    );
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (spec.response === undefined || res.status === 204) return undefined;
  const parsed = spec.response.safeParse(await res.json());
  if (!parsed.success) {
    throw new ApiError(
      res.status,
      'INTERNAL',
      `The reply of ${spec.method} ${spec.path} does not match the contract.`,
    );
  }
  return parsed.data;
}

/** A call by route name, with the input and output types the contract gives that route. */
export async function api<K extends RouteName>(
  name: K,
  input?: CallInput<Routes[K]>,
): Promise<CallOutput<Routes[K]>> {
  const spec: RouteSpec = routes[name];
  return (await callSpec(spec, input ?? {})) as CallOutput<Routes[K]>;
}

/** A route of the table by method and path, when it exists in this build of the contract. */
export function findRoute(method: RouteSpec['method'], path: string): RouteSpec | undefined {
  return (Object.values(routes) as RouteSpec[]).find((r) => r.method === method && r.path === path);
}

export function routesUnder(prefix: string): RouteSpec[] {
  return (Object.values(routes) as RouteSpec[]).filter((r) => r.path.startsWith(prefix));
}

export function urlOf<K extends RouteName>(name: K, params: Record<string, string>): string {
  return buildUrl(routes[name], { params });
}
