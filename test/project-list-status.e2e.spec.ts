import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

// The project list's overall status: the number of overdue indicators beside the outcome ratings.
describe('GET /projects: overall status', () => {
  let stack: TestStack;
  let p: ApprovedProject;

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'OVD', outputsPerOutcome: [2] });
  });
  afterAll(async () => stack?.close());

  const summary = async () =>
    (await stack.http(p.manager).get('/projects').query({ q: 'OVD' }).expect(200)).body.items[0].summary as {
      overdueIndicators: number;
      revisionStatus: string;
    };

  it('counts no overdue indicator before any data is reported', async () => {
    expect(await summary()).toMatchObject({ revisionStatus: 'approved', overdueIndicators: 0 });
  });

  it('counts the quarterly indicators last reported for 2026 Q1 as overdue (due 2026-07-30 with 30 grace days)', async () => {
    // The quarterly indicators only: the qualitative one is collected annually (due 2027-04-30).
    const quarterly = Object.entries(p.ids).filter(([code]) => p.measures[code] !== 'qualitative');
    expect(quarterly.length).toBe(4);
    await stack
      .http(p.manager)
      .put(`/projects/${p.projectId}/progress/2026/1/actuals`)
      .send({ actuals: quarterly.slice(0, 3).map(([code, id], i) => validActual(p.measures[code], id, 10 + i)) })
      .expect(200);
    expect((await summary()).overdueIndicators).toBe(3);
  });

  it('no longer counts a retired indicator, though its actuals stay', async () => {
    const [[, retiredId]] = Object.entries(p.ids).filter(([code]) => p.measures[code] !== 'qualitative');
    await stack
      .http(p.manager)
      .post(`/projects/${p.projectId}/indicators/${retiredId}/retire`)
      .send({ reason: 'Replaced by a survey-based indicator' })
      .expect(204);
    // The three overdue quarterly indicators less the retired one.
    expect((await summary()).overdueIndicators).toBe(2);
  });
});
