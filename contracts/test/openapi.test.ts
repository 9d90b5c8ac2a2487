// The checked-in OpenAPI document must be what the route table generates today, and the table
// itself must keep the rules the control plane's listeners rely on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, ROLES, routes, type RouteDefinition } from '../src/index.ts';

const table: RouteDefinition[] = Object.values(routes);

describe('contracts/openapi.json', () => {
  it('matches a fresh generation from the route table (run npm run openapi)', async () => {
    const checkedIn: unknown = JSON.parse(
      await readFile(join(import.meta.dirname, '..', 'openapi.json'), 'utf8'),
    );
    expect(checkedIn, 'contracts/openapi.json is stale: run npm run openapi and commit the result').toEqual(
      buildOpenApiDocument(),
    );
  });

  it('is OpenAPI 3.1 with one operation per route', () => {
    const doc = buildOpenApiDocument() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(doc.paths).flatMap((methods) => Object.keys(methods));
    expect(operations).toHaveLength(table.length);
  });
});

describe('route table', () => {
  it('has one route per method and path', () => {
    const keys = table.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('serves nodes only under /agent and everyone else only under /api', () => {
    for (const route of table) {
      const agentPath = route.path.startsWith('/agent/');
      expect(agentPath, route.operationId).toBe(route.access.kind === 'node');
      if (!agentPath) expect(route.path.startsWith('/api/'), route.operationId).toBe(true);
    }
  });

  it('names only known roles, and at least one per user route', () => {
    for (const route of table) {
      if (route.access.kind !== 'user') continue;
      expect(route.access.roles.length, route.operationId).toBeGreaterThan(0);
      for (const role of route.access.roles) expect(ROLES).toContain(role);
    }
  });

  it('declares a params schema exactly for the parameters in the path', () => {
    for (const route of table) {
      const inPath = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      const declared = Object.keys(route.params?.shape ?? {}).sort();
      expect(declared, route.operationId).toEqual(inPath);
    }
  });
});
