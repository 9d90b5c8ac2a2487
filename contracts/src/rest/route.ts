// One REST route, defined once: method, path, who may call it and the schemas of what goes in
// and out. The control plane binds its handlers to these definitions (so path, roles and
// validation cannot drift from the contract) and the OpenAPI document is generated from them.
import type { z } from 'zod';
import type { ErrorCode } from '../error-codes.ts';
import type { Role } from './roles.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How a caller proves who it is to a user route. */
export type UserCredential = 'session' | 'token';

export type RouteAccess =
  /** Anyone who reaches the listener; no credential is read. */
  | { readonly kind: 'public' }
  /**
   * A signed-in user with one of `roles`, by session cookie (browser) or API token (CLI).
   * `credentials` narrows that, e.g. minting an API token needs a session.
   */
  | {
      readonly kind: 'user';
      readonly roles: readonly Role[];
      readonly credentials?: readonly UserCredential[];
    }
  /** A GPU node, by its client certificate on the agent listener (mutual TLS). */
  | { readonly kind: 'node' };

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Express-style path with `:name` parameters; `/api/...` routes or `/agent/...` routes. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: RouteAccess;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /**
   * The body is raw bytes streamed to the handler (never buffered or parsed as JSON), of one of
   * `mediaTypes` (`*` for any declared type). Such a route has no `body` schema.
   */
  readonly rawBody?: { readonly mediaTypes: readonly string[]; readonly description: string };
  /** Absent: the route answers 204 with no body (unless it streams). */
  readonly response?: z.ZodType;
  /**
   * `sse`: the route answers 200 with a `text/event-stream` that stays open; each event's
   * `data` is one JSON value of `streamData`. Such a route has no `response`. `bytes`: a
   * streamed file.
   */
  readonly stream?:
    | { readonly kind: 'sse'; readonly streamData: z.ZodType }
    /** `bytes`: the route answers 200 with raw bytes of `mediaType` (a file's content). */
    | { readonly kind: 'bytes'; readonly mediaType: string; readonly description: string };
  /** Success status when there is a body; 200 unless it creates something (201). */
  readonly status?: 200 | 201;
  /** Error codes beyond those implied by access and input (documented in OpenAPI). */
  readonly errors?: readonly ErrorCode[];
}

export type RouteDefinition<S extends RouteSpec = RouteSpec> = S & { readonly operationId: string };

type Output<S, K extends string> = S extends { readonly [P in K]: infer T extends z.ZodType }
  ? z.output<T>
  : undefined;

/** What a handler receives after validation: params, query and body as their schemas output them. */
export interface RouteInput<S extends RouteSpec> {
  readonly params: Output<S, 'params'>;
  readonly query: Output<S, 'query'>;
  readonly body: Output<S, 'body'>;
}

/** What a handler returns: the response schema's input (it is parsed on the way out). */
export type RouteResult<S extends RouteSpec> = S extends { readonly response: infer T extends z.ZodType }
  ? z.input<T>
  : void;

/**
 * The route table: each key becomes the route's operationId. `satisfies`-style checking keeps
 * every literal type (schemas, roles), so handlers get exact input and output types.
 */
export function defineRoutes<const T extends Record<string, RouteSpec>>(
  specs: T,
): { readonly [K in keyof T]: RouteDefinition<T[K]> & { readonly operationId: K } } {
  const out: Record<string, RouteDefinition> = {};
  for (const [operationId, spec] of Object.entries(specs)) {
    out[operationId] = Object.freeze({ ...spec, operationId });
  }
  return Object.freeze(out) as {
    readonly [K in keyof T]: RouteDefinition<T[K]> & { readonly operationId: K };
  };
}
