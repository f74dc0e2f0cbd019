import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import SSF from 'ssf';
import { ReportBuilderService } from '#libs/reporting';
import { createOrgUnit } from '#libs/testing';
import { binary } from './support/binary.js';
import { buildLogframe } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

const Q1 = { periodStart: '2022-01-01', periodEnd: '2022-03-31' };
const base = (code: string, title: string) => ({
  code,
  title,
  meansOfVerification: `Monitoring records (${code})`,
  collectionFrequency: 'quarterly',
  dataSource: 'Project monitoring records',
});

/**
 * Issue 12, items 4 and 5: one presentation rule for every format (entered values exact, percentages
 * 1 dp, thousands separators, XLSX formats that show what was stored) and labels that say what a
 * figure is ("to date", "this quarter", the target due by the as-of date when nothing is reported).
 */
describe('report presentation: exact values and labels that say what a figure is', () => {
  let stack: TestStack;
  let manager: string;
  let projectId: string;
  let reportId: string;
  let content: {
    dataCompleteness: { missing: string[]; notDueYet: string[]; reported: number };
    outcomes: { indicators: Record<string, unknown>[]; outputs: { indicators: Record<string, unknown>[] }[] }[];
  };
  const as = (token: string) => stack.http(token);
  const download = async (path: string) =>
    (
      await as(manager)
        .get(path)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body as Buffer;

  beforeAll(async () => {
    stack = await startTestStack();
    const office = await createOrgUnit(stack.dataSource, 'PRES-CO', 'country_office');
    manager = await stack.userToken('pm-pres@test.rbm', [{ role: 'project_manager', orgUnitId: office.id }]);
    const focal = await stack.userToken('focal-pres@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: office.id }]);
    projectId = (
      await as(manager)
        .post('/projects')
        .send({
          code: 'PRES-1',
          title: 'Maritime crime programme',
          orgUnitId: office.id,
          startDate: '2022-01-01',
          endDate: '2023-12-31',
          theoryOfChange: 'If port authorities detect more, trafficking falls.',
        })
        .expect(201)
    ).body.id;
    const doc = buildLogframe({ outcomes: 1, outputsPerOutcome: [1], version: 1 });
    // OC1.1: a decrease indicator with small values (baseline 0.0072, target 0.005, actual 0.0061).
    doc.outcomes[0].indicators = [
      {
        ...base('OC1.1', 'Rate of containers with undeclared goods'),
        measure: 'number',
        unit: 'rate',
        direction: 'decrease',
        aggregation: 'latest',
        baseline: { value: 0.0072, year: 2021 },
        endTarget: { value: 0.005 },
        periodTargets: [{ ...Q1, value: 0.005 }],
      },
    ] as never;
    doc.outcomes[0].outputs[0].activities = [
      { code: 'A1.1.1', description: 'Train port staff', startDate: '2022-01-15', endDate: '2022-11-30' },
    ];
    doc.outcomes[0].outputs[0].indicators = [
      // Cumulative (sum): this quarter and to date.
      {
        ...base('OP1.1.1', 'Containers inspected'),
        measure: 'number',
        unit: 'containers',
        direction: 'increase',
        aggregation: 'sum',
        baseline: { value: 0, year: 2021 },
        endTarget: { value: 13594502 },
        periodTargets: [
          { ...Q1, value: 13594402 },
          { periodStart: '2022-04-01', periodEnd: '2022-06-30', value: 100 },
        ],
      },
      // A running total (latest): never "this quarter".
      {
        ...base('OP1.1.2', 'Innovations adopted since 2019'),
        measure: 'number',
        unit: 'innovations',
        direction: 'increase',
        aggregation: 'latest',
        baseline: { value: 0, year: 2021 },
        endTarget: { value: 100 },
        periodTargets: [
          { ...Q1, value: 40 },
          { periodStart: '2022-10-01', periodEnd: '2022-12-31', value: 100 },
        ],
      },
      // Nothing reported; its milestone ends exactly on the as-of date: due, so missing.
      {
        ...base('OP1.1.3', 'Joint patrols held'),
        measure: 'number',
        unit: 'patrols',
        direction: 'increase',
        aggregation: 'sum',
        baseline: { value: 0, year: 2021 },
        endTarget: { value: 3 },
        periodTargets: [{ ...Q1, value: 3 }],
      },
      // Nothing reported; its milestone ends the day after the as-of date: no target due yet.
      {
        ...base('OP1.1.4', 'Port security plans adopted'),
        measure: 'number',
        unit: 'plans',
        direction: 'increase',
        aggregation: 'sum',
        baseline: { value: 0, year: 2021 },
        endTarget: { value: 3 },
        periodTargets: [{ periodStart: '2022-01-02', periodEnd: '2022-04-01', value: 3 }],
      },
    ] as never;
    await as(manager).put(`/projects/${projectId}/logframe`).send(doc).expect(200);
    const [draft] = (await as(manager).get(`/projects/${projectId}/revisions`).expect(200)).body;
    const submit = await as(manager).post(`/projects/${projectId}/revisions/submit`).send({ version: draft.version });
    expect(submit.body.errors ?? []).toEqual([]);
    const [submitted] = (await as(focal).get(`/projects/${projectId}/revisions`).expect(200)).body;
    await as(focal).post(`/projects/${projectId}/revisions/1/approve`).send({ version: submitted.version }).expect(201);
    const logframe = (await as(manager).get(`/projects/${projectId}/logframe`).expect(200)).body;
    const id = (code: string) =>
      [...logframe.outcomes[0].indicators, ...logframe.outcomes[0].outputs[0].indicators].find(
        (i: { code: string }) => i.code === code,
      ).id;
    await as(manager)
      .put(`/projects/${projectId}/progress/2022/1/actuals`)
      .send({
        actuals: [
          { indicatorId: id('OC1.1'), value: 0.0061 },
          { indicatorId: id('OP1.1.1'), value: 13594402 },
          { indicatorId: id('OP1.1.2'), value: 33 },
        ],
      })
      .expect(200);
    const accepted = (
      await as(manager).post('/reports').send({ scope: 'project', projectId, year: 2022, quarter: 1 }).expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(accepted.id);
    reportId = accepted.id;
    content = (await as(manager).get(`/reports/${reportId}`).expect(200)).body.content;
  });
  afterAll(async () => stack?.close());

  it('keeps the exact values in JSON, the target due by the as-of date and the missing count', () => {
    const [oc] = content.outcomes[0].indicators;
    expect(oc).toMatchObject({ baseline: 0.0072, targetToDate: 0.005, actualToDate: 0.0061, achievementPercent: 50 });
    const [sum, latest, due, notDue] = content.outcomes[0].outputs[0].indicators;
    expect(sum).toMatchObject({ actualThisQuarter: 13594402, actualToDate: 13594402, endTarget: 13594502 });
    expect(latest).toMatchObject({ aggregation: 'latest', actualToDate: 33 });
    // The milestone ending exactly on the as-of date is due (inclusive); the one ending the day after is not.
    expect(due).toMatchObject({ status: 'no_data', targetDue: { value: 3, by: '2022-03-31' } });
    expect(notDue).toMatchObject({ status: 'no_data', targetDue: null });
    expect(content.dataCompleteness).toMatchObject({ reported: 3, missing: ['OP1.1.3'], notDueYet: ['OP1.1.4'] });
  });

  it('formats XLSX cells so that SSF reads them exactly: 100, 13,594,502, 0.0061', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`/reports/${reportId}/report.xlsx`)) as never);
    const shown = (sheetName: string, code: string, header: string) => {
      const sheet = book.getWorksheet(sheetName)!;
      const headers = (sheet.getRow(1).values as unknown[]).map(String);
      const column = headers.indexOf(header);
      const codeColumn = headers.indexOf('Indicator code');
      let text: string | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(codeColumn).value === code) {
          const cell = row.getCell(column);
          text = cell.value === null ? '(empty)' : SSF.format(cell.numFmt ?? 'General', cell.value as number);
        }
      });
      return text;
    };
    expect(shown('Outcome indicators', 'OC1.1', 'Baseline')).toBe('0.0072');
    expect(shown('Outcome indicators', 'OC1.1', 'Target to date')).toBe('0.005');
    expect(shown('Outcome indicators', 'OC1.1', 'Actual to date')).toBe('0.0061');
    expect(shown('Output indicators', 'OP1.1.1', 'End target')).toBe('13,594,502');
    expect(shown('Output indicators', 'OP1.1.2', 'End target')).toBe('100');
    expect(shown('Output indicators', 'OP1.1.1', 'Achievement %')).toBe('100.0');
    // "This quarter" only for a cumulative indicator's own quarter value; a latest level never.
    expect(shown('Output indicators', 'OP1.1.1', 'Actual this quarter (cumulative indicators)')).toBe('13,594,402');
    expect(shown('Output indicators', 'OP1.1.2', 'Actual this quarter (cumulative indicators)')).toBe('(empty)');
  });

  it('prints the PDF with exact values, "to date" / "this quarter" labels and the target due when nothing is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pres-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), await download(`/reports/${reportId}/report.pdf`));
      const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'])
        .toString()
        .replace(/\s+/g, ' ');
      for (const value of ['0.0072', '0.005', '0.0061', '13,594,502']) expect(text).toContain(value);
      expect(text).toContain('this quarter 13,594,402 containers');
      expect(text).toContain('to date 13,594,402 containers');
      expect(text).toContain('Target due by 31 Mar 2022: 3 patrols; nothing reported');
      expect(text).toContain('no target due yet');
      // The running total (latest) is never labelled "this quarter".
      expect(text).not.toMatch(/this quarter 33/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CSV: entered values exact, "this quarter" empty for a latest indicator', async () => {
    const lines = (await download(`/reports/${reportId}/report.csv?bom=0`)).toString('utf8').trim().split('\n');
    const header = lines[0].split(',');
    const row = (code: string) => lines.find((l) => l.includes(`,${code},`))!.split(',');
    const at = (code: string, column: string) => row(code)[header.indexOf(column)];
    expect(at('OC1.1', 'baseline')).toBe('0.0072');
    expect(at('OC1.1', 'actual_to_date')).toBe('0.0061');
    expect(at('OP1.1.1', 'actual_this_quarter')).toBe('13594402');
    expect(at('OP1.1.2', 'actual_this_quarter')).toBe('');
    expect(at('OP1.1.2', 'actual_to_date')).toBe('33');
  });
});
