import { createOrgUnit } from '#libs/testing';
import { buildLogframe } from './logframe-builder.js';
import type { TestStack } from './test-stack.js';

/** A project with an approved logframe (buildLogframe), its manager, focal point and indicator ids by code. */
export interface ApprovedProject {
  projectId: string;
  officeId: string;
  manager: string;
  focal: string;
  /** Indicator stable ids by code (OC1.1, OP1.1.1, ...). */
  ids: Record<string, string>;
  /** Measures by indicator code. */
  measures: Record<string, string>;
}

/**
 * Creates an office, a manager and a focal point, a project and a logframe approved through the QA
 * workflow over HTTP. `outputsPerOutcome` sets the size (every outcome 1 indicator, every output 2,
 * cycling number, percentage, ordinal, qualitative).
 */
export async function approvedProject(
  stack: TestStack,
  options: { code: string; outputsPerOutcome: number[] },
): Promise<ApprovedProject> {
  const office = await createOrgUnit(stack.dataSource, `${options.code}-PO`, 'country_office');
  const manager = await stack.userToken(`pm-${options.code.toLowerCase()}@test.rbm`, [
    { role: 'project_manager', orgUnitId: office.id },
  ]);
  const focal = await stack.userToken(`focal-${options.code.toLowerCase()}@test.rbm`, [
    { role: 'rbm_focal_point', orgUnitId: office.id },
  ]);
  const projectId = (
    await stack
      .http(manager)
      .post('/projects')
      .send({
        code: options.code,
        title: `Project ${options.code}`,
        orgUnitId: office.id,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        theoryOfChange: 'If officials are trained, institutions counter trafficking.',
      })
      .expect(201)
  ).body.id as string;
  await stack
    .http(manager)
    .put(`/projects/${projectId}/logframe`)
    .send(
      buildLogframe({
        outcomes: options.outputsPerOutcome.length,
        outputsPerOutcome: options.outputsPerOutcome,
        version: 1,
      }),
    )
    .expect(200);
  const revisions = (await stack.http(manager).get(`/projects/${projectId}/revisions`).expect(200)).body;
  await stack
    .http(manager)
    .post(`/projects/${projectId}/revisions/submit`)
    .send({ version: revisions[0].version })
    .expect(201);
  const submitted = (await stack.http(focal).get(`/projects/${projectId}/revisions`).expect(200)).body[0];
  await stack
    .http(focal)
    .post(`/projects/${projectId}/revisions/1/approve`)
    .send({ version: submitted.version })
    .expect(201);
  const logframe = (await stack.http(manager).get(`/projects/${projectId}/logframe`).expect(200)).body;
  type Ind = { code: string; id: string; measure: string };
  const all: Ind[] = logframe.outcomes.flatMap((o: { indicators: Ind[]; outputs: { indicators: Ind[] }[] }) => [
    ...o.indicators,
    ...o.outputs.flatMap((p) => p.indicators),
  ]);
  return {
    projectId,
    officeId: office.id,
    manager,
    focal,
    ids: Object.fromEntries(all.map((i) => [i.code, i.id])),
    measures: Object.fromEntries(all.map((i) => [i.code, i.measure])),
  };
}

/** A valid actual of an indicator of buildLogframe for a quarter (sex parts for the number indicators). */
export function validActual(measure: string, indicatorId: string, n: number): Record<string, unknown> {
  switch (measure) {
    case 'number':
      return {
        indicatorId,
        value: n,
        disaggregations: [
          { dimension: 'sex', category: 'female', value: n - Math.floor(n / 2) },
          { dimension: 'sex', category: 'male', value: Math.floor(n / 2) },
        ],
      };
    case 'percentage':
      return { indicatorId, numerator: n, denominator: 100 };
    case 'ordinal':
      return { indicatorId, value: 1 + (n % 5) };
    default:
      return { indicatorId, text: `Milestone report ${n}`, rating: 'partly_achieved' };
  }
}
