// The route table and the application agree: every route has exactly one handler, every
// handler is a route, and /api/docs serves the document generated from the same table.
import {
  buildOpenApiDocument,
  HealthSchema,
  OpenApiDocumentSchema,
  routes,
  type RouteDefinition,
} from '@enclave/contracts';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntegrityService } from '../../src/database/integrity.service.ts';
import { bindingProblems, handlerBindings } from '../../src/http/route-bindings.ts';
import { bodyOf } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;

beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(() => t.stop());

describe('route bindings', () => {
  it('binds every route of the table to exactly one handler, and nothing else', () => {
    const app = t.running.app;
    const bindings = handlerBindings(app.get(DiscoveryService), app.get(MetadataScanner), app.get(Reflector));
    expect(bindingProblems(routes, bindings)).toEqual([]);
    expect(bindings.map((b) => b.route?.operationId).sort()).toEqual(Object.keys(routes).sort());
  });

  it('reports a missing handler, a duplicate and a handler outside the table', () => {
    const [first, second] = Object.values(routes) as RouteDefinition[];
    const stray = { ...first!, operationId: 'stray' } as RouteDefinition;
    const problems = bindingProblems({ [first!.operationId]: first!, [second!.operationId]: second! }, [
      { handler: 'X.one', route: first },
      { handler: 'X.two', route: first },
      { handler: 'X.three', route: undefined },
      { handler: 'X.four', route: stray },
    ]);
    expect(problems).toEqual([
      'X.three has no @ApiRoute from the route table',
      'X.four is bound to a route that is not in the route table',
      `route ${first!.operationId} has 2 handlers (needs exactly 1)`,
      `route ${second!.operationId} has 0 handlers (needs exactly 1)`,
    ]);
  });
});

describe('system routes', () => {
  it('serves the OpenAPI document at /api/docs, equal to the checked-in contracts/openapi.json', async () => {
    const served = bodyOf(await t.api({ path: '/api/docs' }), OpenApiDocumentSchema);
    expect(served).toEqual(buildOpenApiDocument());
    const file = join(import.meta.dirname, '../../../contracts/openapi.json');
    expect(served).toEqual(JSON.parse(await readFile(file, 'utf8')));
  });

  it('reports health with the latest integrity check', async () => {
    const report = await t.running.app.get(IntegrityService).check();
    const health = bodyOf(await t.api({ path: '/api/v1/health' }), HealthSchema);
    expect(health).toEqual({
      status: 'ok',
      version: '0.1.0',
      database: { integrity: 'ok', checkedAt: report.checkedAt!.toISOString() },
    });
  });
});
