import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestStack, type TestStack } from './support/test-stack.js';

describe('API surface', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('reports database and Redis health', async () => {
    const res = await request(stack.api.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('documents every route in Swagger with its request and response schemas', async () => {
    const res = await request(stack.api.getHttpServer()).get('/docs-json').expect(200);
    const doc = res.body as { paths: Record<string, Record<string, { tags?: string[]; responses: Record<string, { content?: unknown }>; requestBody?: unknown }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)).sort();
    expect(routes).toEqual([
      'GET /health', 'GET /projects', 'GET /reports', 'GET /reports/{id}', 'GET /reports/{id}/report.csv',
      'GET /sdg/goals', 'GET /sdg/goals/{code}', 'GET /sdg/indicators/{code}', 'GET /sdg/search', 'GET /sdg/targets/{code}',
      'POST /imports/iati', 'POST /reports',
    ]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect({ route: `${method} ${path}`, tagged: (op.tags ?? []).length > 0 }).toEqual({ route: `${method} ${path}`, tagged: true });
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        expect(success).toBeDefined();
      }
    }
    expect(doc.paths['/reports'].post.requestBody).toBeDefined();
    expect(doc.paths['/reports'].post.responses['202'].content).toBeDefined();
    expect(doc.paths['/reports'].post.responses['400']).toBeDefined();
  });

  it('never leaks a stack trace or SQL in an error body', async () => {
    const res = await request(stack.api.getHttpServer()).get('/reports').query({ scope: 'bogus' }).expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at \w+ \(|SELECT|node_modules/);
    expect(res.body.errors[0]).toEqual({ path: 'scope', message: 'scope must be one of: project, programme, donor, sdg_target, org_unit' });
  });

  it('answers 400, not 500, to a NUL byte in a search and to a body nested too deeply', async () => {
    const nul = await request(stack.api.getHttpServer()).get('/projects').query({ q: 'a\u0000b' }).expect(400);
    expect(nul.body.message).toMatch(/NUL byte/);
    await request(stack.api.getHttpServer()).get('/sdg/search').query({ q: '\u0000' }).expect(400);
    const nested = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const deep = await request(stack.api.getHttpServer()).post('/reports').set('Content-Type', 'application/json').send(`{"scope":"project","x":${nested}}`).expect(400);
    expect(deep.body.statusCode).toBe(400);
  });

  it('takes JSON numbers only for year and quarter, one message per bad field', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const bad of [{ year: '2022', quarter: 1 }, { year: 2022, quarter: true }, { year: 2022, quarter: '2' }]) {
      const res = await request(stack.api.getHttpServer()).post('/reports').send({ scope: 'project', projectId: id, ...bad }).expect(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].message).toMatch(/must be a whole number/);
    }
    const empty = await request(stack.api.getHttpServer()).post('/reports').send({}).expect(400);
    expect(empty.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['projectId', 'quarter', 'scope', 'year']);
  });
});
