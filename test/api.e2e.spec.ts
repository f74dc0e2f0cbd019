import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestStack, type TestStack } from './support/test-stack.js';

describe('API surface', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('reports database and Redis health', async () => {
    const res = await stack.http().get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      message: 'PostgreSQL and Redis answer',
      dependencies: { database: { name: 'PostgreSQL', status: 'up' }, redis: { name: 'Redis', status: 'up' } },
    });
  });

  it('documents every route of the router in Swagger with schemas, bearer auth and the roles that may call it', async () => {
    const res = await stack.http().get('/docs-json').expect(200);
    type Op = {
      tags?: string[];
      responses: Record<string, { content?: unknown }>;
      requestBody?: unknown;
      security?: unknown[];
      'x-roles'?: string[];
    };
    const doc = res.body as {
      paths: Record<string, Record<string, Op>>;
      components: { securitySchemes?: Record<string, unknown> };
    };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    const express = stack.api.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    };
    const routed = express.router.stack
      .filter((l) => l.route && !l.route.path.startsWith('/docs') && !l.route.path.includes('*'))
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`))
      .sort();
    expect(documented).toEqual(routed);
    expect(doc.components.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        expect({
          route,
          tagged: (op.tags ?? []).length > 0,
          roles: Array.isArray(op['x-roles']) && op['x-roles'].length > 0,
        }).toEqual({ route, tagged: true, roles: true });
        if (!op['x-roles']!.includes('anonymous'))
          expect({ route, security: op.security }).toEqual({ route, security: [{ bearer: [] }] });
        expect(Object.keys(op.responses).some((status) => status.startsWith('2'))).toBe(true);
      }
    }
    expect(doc.paths['/reports'].post['x-roles']).toEqual(['admin', 'project_manager', 'rbm_focal_point']);
    expect(doc.paths['/reports'].post.requestBody).toBeDefined();
    expect(doc.paths['/reports'].post.responses['202'].content).toBeDefined();
    expect(doc.paths['/reports'].post.responses['400']).toBeDefined();
    expect(doc.paths['/reports'].post.responses['403']).toBeDefined();
  });

  it('sends secure headers (helmet)', async () => {
    const res = await stack.http().get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('never leaks a stack trace or SQL in an error body', async () => {
    const res = await stack.http().get('/reports').query({ scope: 'bogus' }).expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/);
    expect(res.body.errors[0]).toEqual({
      path: 'scope',
      code: 'isIn',
      params: { values: 'project, programme, donor, sdg_target, org_unit' },
      message: 'scope must be one of: project, programme, donor, sdg_target, org_unit',
    });
  });

  it('answers 400, not 500, to a NUL byte in a search and to a body nested too deeply', async () => {
    const nul = await stack.http().get('/projects').query({ q: 'a\u0000b' }).expect(400);
    expect(nul.body.message).toMatch(/NUL byte/);
    await stack.http().get('/sdg/search').query({ q: '\u0000' }).expect(400);
    const nested = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const deep = await stack
      .http()
      .post('/reports')
      .set('Content-Type', 'application/json')
      .send(`{"scope":"project","x":${nested}}`)
      .expect(400);
    expect(deep.body.statusCode).toBe(400);
  });

  it('takes JSON numbers only for year and quarter, one message per bad field', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const bad of [
      { year: '2022', quarter: 1 },
      { year: 2022, quarter: true },
      { year: 2022, quarter: '2' },
    ]) {
      const res = await stack
        .http()
        .post('/reports')
        .send({ scope: 'project', projectId: id, ...bad })
        .expect(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({ code: 'isInt', params: {} });
      expect(res.body.errors[0].message).toMatch(/must be a whole number/);
    }
    const empty = await stack.http().post('/reports').send({}).expect(400);
    expect(empty.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'quarter',
      'scope',
      'scopeId',
      'year',
    ]);
  });
});
