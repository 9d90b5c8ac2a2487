// The OpenAPI 3.1 document, generated from the route table and nothing else, so the document,
// the server's validation and its role checks cannot disagree. `npm run openapi` writes it to
// contracts/openapi.json; a test fails when the checked-in file is stale.
import { z } from 'zod';
import { ErrorCode, httpStatusFor } from '../error-codes.ts';
import { SESSION_COOKIE } from './auth.ts';
import { ErrorReplySchema } from './error-reply.ts';
import type { RouteDefinition } from './route.ts';
import { routes } from './routes.ts';

export const OPENAPI_TITLE = 'Enclave control plane';
/** Bump with the REST surface; independent of the Kafka WIRE_REVISION. */
export const API_VERSION = '1.0.0';

type Json = Record<string, unknown>;

const SECURITY_SCHEMES = {
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Browser session.' },
  apiToken: { type: 'http', scheme: 'bearer', description: 'API token (`enc_pat_...`) for the CLI.' },
  nodeCertificate: {
    type: 'mutualTLS',
    description: 'A node certificate of the appliance CA, on the agent listener only.',
  },
} as const;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Json;
  return rest;
}

function errorCodesOf(route: RouteDefinition): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  if (route.params || route.query || route.body) codes.add(ErrorCode.VALIDATION_FAILED);
  if (route.body || route.rawBody) codes.add(ErrorCode.PAYLOAD_TOO_LARGE);
  if (route.params) codes.add(ErrorCode.NOT_FOUND);
  if (route.access.kind !== 'public') codes.add(ErrorCode.UNAUTHENTICATED).add(ErrorCode.FORBIDDEN);
  codes.add(ErrorCode.INTERNAL);
  return [...codes];
}

function errorResponses(route: RouteDefinition): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Json = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: `Error reply; code ${codes.join(' or ')}.`,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorReply' } } },
    };
  }
  return out;
}

function parameters(route: RouteDefinition): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const properties = (jsonSchema(schema, 'input')['properties'] ?? {}) as Record<string, Json>;
    const shape = schema.shape as Record<string, z.ZodType>;
    for (const [name, property] of Object.entries(properties)) {
      out.push({
        name,
        in: where,
        required: where === 'path' || !shape[name]?.isOptional(),
        schema: property,
      });
    }
  }
  return out;
}

function security(route: RouteDefinition): Json[] {
  const access = route.access;
  if (access.kind === 'public') return [];
  if (access.kind === 'node') return [{ nodeCertificate: [] }];
  const credentials = access.credentials ?? ['session', 'token'];
  return credentials.map((c) => (c === 'session' ? { session: [] } : { apiToken: [] }));
}

function operation(route: RouteDefinition): Json {
  const access = route.access;
  const who =
    access.kind === 'public'
      ? 'Public.'
      : access.kind === 'node'
        ? 'Nodes only (client certificate, agent listener).'
        : `Roles: ${access.roles.join(', ')}.`;
  const success = route.stream
    ? route.stream.kind === 'bytes'
      ? {
          '200': {
            description: route.stream.description,
            content: { [route.stream.mediaType]: { schema: { type: 'string', format: 'binary' } } },
          },
        }
      : {
          '200': {
            description:
              'A server-sent event stream (stays open). Each event has an `id` (resume with Last-Event-ID), an `event` name and one JSON value as `data`, shown here; comment lines keep the connection alive.',
            content: { 'text/event-stream': { schema: jsonSchema(route.stream.streamData, 'output') } },
          },
        }
    : route.response
      ? {
          [String(route.status ?? 200)]: {
            description: 'Success.',
            content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
          },
        }
      : { '204': { description: 'Done; no body.' } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, who].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    'x-enclave-access': access,
    security: security(route),
    ...(parameters(route).length > 0 ? { parameters: parameters(route) } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }
      : {}),
    ...(route.rawBody
      ? {
          requestBody: {
            required: true,
            description: route.rawBody.description,
            content: Object.fromEntries(
              route.rawBody.mediaTypes.map((t) => [
                t === '*' ? '*/*' : t,
                { schema: { type: 'string', format: 'binary' } },
              ]),
            ),
          },
        }
      : {}),
    responses: { ...success, ...errorResponses(route) },
  };
}

export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The whole document. Deterministic: same table, same JSON. */
export function buildOpenApiDocument(table: Readonly<Record<string, RouteDefinition>> = routes): Json {
  const paths: Record<string, Json> = {};
  for (const route of Object.values(table)) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: OPENAPI_TITLE,
      version: API_VERSION,
      description:
        'REST API of the Enclave control plane. /api/* is served on the API listener (TLS 1.3, session cookie or API token); /agent/* only on the agent listener (mutual TLS with a node certificate). Every error reply has the ErrorReply shape and carries the correlation id also sent as the x-correlation-id header.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { ErrorReply: jsonSchema(ErrorReplySchema, 'output') },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
