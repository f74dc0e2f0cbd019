/**
 * The fuzz suite: requests generated from the API's own OpenAPI document and real documents mutated
 * one value at a time, sent as every persona (admin, project manager, RBM focal point, donor,
 * anonymous). Fails on any 5xx and on any body showing a stack trace or SQL. Deterministic for a seed:
 * FUZZ_SEED (default 20261130) and FUZZ_COUNT requests (default 2,500 in the normal test run);
 * `npm run fuzz -- --count 20000 [--seed N]` runs longer. The seed is printed with every failure.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createDonor } from '#libs/testing';
import {
  type FuzzReport,
  type FuzzRequest,
  mutateOnce,
  type OpenApiDocument,
  operationRequests,
  send,
} from './fuzz/fuzz-engine.js';
import { untypedFields } from './support/openapi-types.js';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

const COUNT = Number(process.env.FUZZ_COUNT ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

describe(`fuzz: ${COUNT} requests from the OpenAPI document and mutated documents, seed ${SEED}`, () => {
  let stack: TestStack;
  let p: ApprovedProject;
  const tokens: Record<string, string | null> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'FUZZ', outputsPerOutcome: [2, 1] });
    const donor = await createDonor(stack.dataSource, 'FCDO', 'GB-GOV-3');
    await stack.dataSource.query(`INSERT INTO funding_agreement (project_id, donor_id, version) VALUES ($1, $2, 1)`, [
      p.projectId,
      donor.id,
    ]);
    tokens.admin = stack.adminToken;
    tokens.manager = p.manager;
    tokens.focal = p.focal;
    tokens.donor = await stack.userToken('donor@fuzz.rbm', [{ role: 'donor', donorId: donor.id }]);
    tokens.anonymous = null;
    await stack
      .http(p.manager)
      .put(`/projects/${p.projectId}/progress/2026/1/actuals`)
      .send({ actuals: Object.entries(p.ids).map(([code, id], i) => validActual(p.measures[code], id, 10 + i)) })
      .expect(200);
  });
  afterAll(async () => stack?.close());

  it('types every field of the OpenAPI document (no type: object without properties)', async () => {
    const doc = (await stack.http().get('/docs-json').expect(200)).body;
    // The report content's own schema belongs to the report formats (left open: see docs/RULES.md).
    expect(untypedFields(doc)).toEqual(['ReportResponseDto.content']);
    // Read-only fields are marked so a generated client leaves them out of PUT bodies.
    expect(doc.components.schemas.LogframeDto.properties.revision.readOnly).toBe(true);
    expect(doc.components.schemas.IndicatorDto.properties.actualCount.readOnly).toBe(true);
    expect(doc.components.schemas.ActualDto.properties.value).toMatchObject({ type: 'number', nullable: true });
  });

  it('PUT accepts what GET returns: a logframe read is sent back unchanged (read-only fields ignored)', async () => {
    const read = (await stack.http(p.manager).get(`/projects/${p.projectId}/logframe`).expect(200)).body;
    expect(read.outcomes[0].indicators[0]).toMatchObject({ actualCount: 1, retired: null, flags: [] });
    const saved = (await stack.http(p.manager).put(`/projects/${p.projectId}/logframe`).send(read)).body;
    expect(saved.statusCode).toBe(409); // the approved revision is not editable: the shape was accepted
    expect(saved.message).not.toMatch(/not allowed/);
  });

  it('answers every request without a 5xx, a stack trace or SQL', async () => {
    const started = Date.now();
    const doc = (await stack.http().get('/docs-json').expect(200)).body as OpenApiDocument;
    if (process.env.FUZZ_DUMP_OPENAPI) writeFileSync(process.env.FUZZ_DUMP_OPENAPI, JSON.stringify(doc, null, 2));
    const logframe = (await stack.http(p.manager).get(`/projects/${p.projectId}/logframe`).expect(200)).body;
    const quarter = (await stack.http(p.manager).get(`/projects/${p.projectId}/progress/2026/1`).expect(200)).body;
    const actuals = {
      actuals: (quarter.actuals as Record<string, unknown>[]).map((a) => ({
        indicatorId: a.indicatorId,
        periodStart: a.periodStart,
        periodEnd: a.periodEnd,
        value: a.value,
        numerator: a.numerator,
        denominator: a.denominator,
        text: a.text,
        rating: a.rating,
        comment: a.comment,
        disaggregations: a.disaggregations,
        version: a.version,
      })),
    };
    const known = { uuids: [p.projectId, ...Object.values(p.ids), quarter.outcomes[0].id] };
    const personas = Object.keys(tokens);
    const mutated = (method: string, path: string, document: unknown): fc.Arbitrary<FuzzRequest> =>
      fc
        .record({ persona: fc.constantFrom(...personas), body: mutateOnce(document) })
        .map(({ persona, body }) => ({ persona, method, path, query: {}, body }));
    const requests = fc.sample(
      fc.oneof(
        { weight: 6, arbitrary: operationRequests(doc, known, personas) },
        { weight: 2, arbitrary: mutated('put', `/projects/${p.projectId}/logframe`, logframe) },
        { weight: 2, arbitrary: mutated('put', `/projects/${p.projectId}/progress/2026/1/actuals`, actuals) },
      ),
      { seed: SEED, numRuns: COUNT },
    );
    const report: FuzzReport = { seed: SEED, requests: 0, byStatus: {}, failures: [] };
    const agent = (persona: string) => stack.http(tokens[persona]);
    for (const request of requests) {
      // Signing out or refreshing would end the persona's session: those routes are fuzzed anonymously.
      const safe = /^\/auth\/(logout|refresh)/.test(request.path) ? { ...request, persona: 'anonymous' } : request;
      const result = await send(agent, safe);
      report.requests++;
      report.byStatus[result.status] = (report.byStatus[result.status] ?? 0) + 1;
      if (result.why)
        report.failures.push({
          request: safe,
          status: result.status,
          body: result.body.slice(0, 800),
          why: result.why,
        });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const server5xx = Object.entries(report.byStatus)
      .filter(([status]) => Number(status) >= 500)
      .reduce((n, [, count]) => n + count, 0);
    process.stdout.write(
      `fuzz: seed ${SEED}, ${report.requests} requests in ${seconds} s, 5xx: ${server5xx}, failures: ${report.failures.length}, statuses ${JSON.stringify(report.byStatus)}\n`,
    );
    if (report.failures.length)
      process.stdout.write(
        `fuzz FAILED with seed ${SEED} (rerun: npm run fuzz -- --count ${COUNT} --seed ${SEED}):\n${report.failures
          .slice(0, 20)
          .map(
            (f) =>
              `${f.why}: ${f.request.persona} ${f.request.method.toUpperCase()} ${f.request.path} ${JSON.stringify(f.request.query)} ${JSON.stringify(f.request.body)?.slice(0, 400)}\n  -> ${f.status} ${f.body}`,
          )
          .join('\n')}\n`,
      );
    expect({
      seed: SEED,
      failures: report.failures.map((f) => `${f.why}: ${f.request.method} ${f.request.path}`),
    }).toEqual({
      seed: SEED,
      failures: [],
    });
    expect(report.requests).toBe(COUNT);
  }, 600_000);
});
