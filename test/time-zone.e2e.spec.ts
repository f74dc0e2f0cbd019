import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quarterRange } from '#libs/calculations';
import { createSimpleProject } from '#libs/testing';
import { startTestStack, type TestStack } from './support/test-stack.js';

// Reporting periods are calendar dates: Q4 2026 is 2026-10-01..2026-12-31 in every server time zone.
// The suite runs with TZ=Asia/Kathmandu (test/support/global-setup.js).

describe('reporting periods under TZ=Asia/Kathmandu (UTC+05:45)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('runs in the time zone it claims', () => {
    expect(new Date('2026-10-01T00:00:00Z').getTimezoneOffset()).toBe(-345);
  });

  it('gives Q4 2026 as 2026-10-01..2026-12-31 in the calculations, the database and the API', async () => {
    expect(quarterRange(2026, 4)).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    const { project } = await createSimpleProject(stack.dataSource, {
      code: 'TZ-1',
      endTarget: '40',
      targets: [{ start: '2026-10-01', end: '2026-12-31', value: '10' }],
      actuals: [{ start: '2026-10-01', end: '2026-12-31', value: '12.5' }],
    });
    const accepted = await stack
      .http()
      .post('/reports')
      .send({ scope: 'project', projectId: project.id, year: 2026, quarter: 4 })
      .expect(202);
    const report = await stack.http().get(`/reports/${accepted.body.id}`).expect(200);
    expect(report.body).toMatchObject({ periodStart: '2026-10-01', periodEnd: '2026-12-31' });
    const [row] = await stack.dataSource.query(`SELECT period_start, period_end FROM actual WHERE value = 12.5`);
    expect(row).toEqual({ period_start: '2026-10-01', period_end: '2026-12-31' });
  });
});
