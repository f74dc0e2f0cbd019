import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { StandardIndicatorEntity } from '#libs/database';
import { createOrgUnit } from '#libs/testing';
import { downloadXlsx } from './matrix/logframe-xlsx.js';
import { buildLogframe, countIndicators } from './support/logframe-builder.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The workbook bytes as an exceljs workbook. */
async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return book;
}

const save = async (book: ExcelJS.Workbook) => Buffer.from(await book.xlsx.writeBuffer());

/** Column number of a header in row 1. */
function col(sheet: ExcelJS.Worksheet, header: string): number {
  let found = 0;
  sheet.getRow(1).eachCell((cell, n) => {
    if (cell.value === header) found = n;
  });
  if (!found) throw new Error(`no column ${header} in ${sheet.name}`);
  return found;
}

/** Row number of the first row whose `header` column holds `value` (after row `after`). */
function rowWhere(sheet: ExcelJS.Worksheet, header: string, value: string, after = 1): number {
  const c = col(sheet, header);
  for (let r = after + 1; r <= sheet.rowCount; r += 1) if (sheet.getRow(r).getCell(c).value === value) return r;
  throw new Error(`no row with ${header} = ${value} in ${sheet.name}`);
}

/** Column letter of a column number (1 → A, 28 → AB). */
const letter = (n: number): string =>
  (n > 26 ? letter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));

/** All fields but the version, which every save increments. */
const withoutVersion = ({ version: _version, ...rest }: Json) => rest;

describe('logframe workbook: export, edit in Excel, upload back (through HTTP)', () => {
  let stack: TestStack;
  let manager: string;
  let projectId: string;
  const http = () => stack.http(manager);
  const upload = (bytes: Buffer, name = 'logframe.xlsx') =>
    http().put(`/projects/${projectId}/logframe.xlsx`).attach('file', bytes, name);
  const logframe = async () => (await http().get(`/projects/${projectId}/logframe`).expect(200)).body as Json;
  const exported = async () => (await downloadXlsx(http(), projectId).expect(200)).body as Buffer;

  beforeAll(async () => {
    stack = await startTestStack();
    const office = (await createOrgUnit(stack.dataSource, 'KE-PO', 'country_office')).id;
    manager = await stack.userToken('pm@test.rbm', [{ role: 'project_manager', orgUnitId: office }]);
    projectId = (
      await http()
        .post('/projects')
        .send({
          code: 'KENZ23',
          title: 'Countering trafficking in East Africa',
          orgUnitId: office,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        })
        .expect(201)
    ).body.id;
    const standard = await stack.dataSource
      .getRepository(StandardIndicatorEntity)
      .save({ code: 'SI-TRAINED', title: 'People trained', measure: 'number', unit: 'people', isActive: true });

    // The realistic logframe of the JSON tests (2 outcomes, 5 outputs, 12 indicators of all measures) plus
    // what the builder leaves out: an impact indicator, an unlinked output, a baseline "not available",
    // a repeating decimal, a standard indicator, text over several lines, dates and empty activity dates.
    const doc = buildLogframe({ outcomes: 2, outputsPerOutcome: [3, 2], version: 1 }) as Json;
    Object.assign(doc.outcomes[0].indicators[0], {
      standardIndicatorId: standard.id,
      definition: 'Officials who complete all five days.\nCounted once per person — “trained” means certified.',
      baseline: { value: 0, year: 2025, date: '2025-12-31', comment: 'Training register, Dec. 2025' },
    });
    doc.outcomes[1].outputs[0].indicators[1].endTarget = { numerator: 1, denominator: 3 };
    doc.impactIndicators = [
      {
        code: 'IM1',
        title: 'Firearms seized per 1,000 border crossings',
        measure: 'number',
        unit: 'seizures per 1,000 crossings',
        direction: 'decrease',
        aggregation: 'latest',
        baseline: { value: 40.25, year: 2024 },
        endTarget: { value: 20 },
        collectionFrequency: 'annual',
        dataSource: 'Customs statistics',
        sdgIndicatorCode: '16.4.2',
        periodTargets: [{ periodStart: '2026-01-01', periodEnd: '2026-12-31', value: 30, description: 'Halfway' }],
      },
    ];
    doc.unlinkedOutputs = [
      {
        code: 'OP9',
        statement: 'Imported output not yet linked',
        sdgLinks: [
          {
            sdgTargetCode: '5.2',
            contribution: 'secondary',
            rationale: 'Victims are identified.\nSecond line of the rationale.',
          },
        ],
        assumptions: [{ kind: 'assumption', statement: 'Partners share data' }],
        indicators: [
          {
            code: 'OP9.1',
            title: 'Victims referred to services',
            measure: 'number',
            direction: 'increase',
            aggregation: 'sum',
            baseline: { notAvailableReason: 'No referral system yet', dueDate: '2026-06-30' },
            endTarget: { value: 250 },
            requiredDisaggregations: ['sex', 'age'],
            collectionFrequency: 'semi_annual',
            periodTargets: [],
          },
        ],
        activities: [{ code: 'A9.1', description: 'Map referral pathways' }],
      },
    ];
    const saved = await http().put(`/projects/${projectId}/logframe`).send(doc);
    if (saved.status !== 200) throw new Error(JSON.stringify(saved.body));
  });
  afterAll(async () => stack?.close());

  it('exports a readable workbook: results chain in tree order, period targets, read me with the version', async () => {
    const res = await downloadXlsx(http(), projectId).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="KENZ23-logframe-v2.xlsx"');
    const book = await load(res.body);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Results chain', 'Period targets', 'Read me']);
    const sheet = book.getWorksheet('Results chain')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(col(sheet, 'Id')).hidden).toBe(true);
    const cells = (header: string) =>
      Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2).getCell(col(sheet, header)).value);
    expect(cells('Level').slice(0, 12)).toEqual([
      'Project',
      'Assumption',
      'Outcome',
      'Risk',
      'Outcome indicator',
      'Output',
      'Output indicator',
      'Output indicator',
      'Activity',
      'Output',
      'Output indicator',
      'Output indicator',
    ]);
    expect(cells('Code').slice(0, 6)).toEqual(['KENZ23', null, 'OC1', null, 'OC1.1', 'OP1.1']);
    expect(cells('Level').slice(-5)).toEqual([
      'Output',
      'Assumption',
      'Output indicator',
      'Activity',
      'Impact indicator',
    ]);
    expect(cells('SDG targets')[0]).toBe('1.a secondary; 16.4 primary');
    const pct = rowWhere(sheet, 'Code', 'OP1.1.1');
    const value = (r: number, header: string) => sheet.getRow(r).getCell(col(sheet, header)).value;
    // Numbers are numbers (percentages 0–100), dates are dates, enums come with drop-down lists.
    expect([
      value(pct, 'Measure'),
      value(pct, 'Baseline value'),
      value(pct, 'End target'),
      value(pct, 'End target numerator'),
      value(pct, 'Baseline year'),
    ]).toEqual(['percentage', 12.5, 45, 45, 2025]);
    expect(value(rowWhere(sheet, 'Code', 'OC1.1'), 'Baseline date')).toEqual(new Date(Date.UTC(2025, 11, 31)));
    expect(value(rowWhere(sheet, 'Code', 'OP2.1.2'), 'End target')).toBe(33.3333333333);
    expect(
      (sheet as unknown as { dataValidations: { model: Record<string, { formulae: string[] }> } }).dataValidations
        .model[`${letter(col(sheet, 'Measure'))}2`].formulae,
    ).toEqual(['"number,percentage,ordinal,qualitative"']);
    const targets = book.getWorksheet('Period targets')!;
    expect(targets.getRow(2).values).toEqual([
      undefined,
      'OC1.1',
      new Date(Date.UTC(2026, 0, 1)),
      new Date(Date.UTC(2026, 2, 31)),
      25,
    ]);
    const readme = book.getWorksheet('Read me')!;
    expect(readme.getRow(5).values).toEqual([undefined, 'Logframe version', 2]);
    expect(readme.getRow(4).values).toEqual([undefined, 'Project id', projectId]);
  });

  it('round trip: export then upload gives the identical logframe (same tree, ids, values and links)', async () => {
    const before = await logframe();
    expect(countIndicators(before as never)).toBe(14);
    const res = await upload(await exported()).expect(200);
    const after = await logframe();
    expect(res.body).toEqual(after);
    expect(after.version).toBe(before.version + 1);
    expect(withoutVersion(after)).toEqual(withoutVersion(before));
  });

  it('saves edits made in the workbook: a reworded statement, a new indicator row (no id), a deleted activity', async () => {
    const before = await logframe();
    const book = await load(await exported());
    const sheet = book.getWorksheet('Results chain')!;
    const oc1 = rowWhere(sheet, 'Code', 'OC1');
    sheet.getRow(oc1).getCell(col(sheet, 'Statement / title')).value = 'Outcome 1, reworded in Excel';
    sheet.spliceRows(rowWhere(sheet, 'Code', 'A1.2.1'), 1);
    const added = sheet.addRow([]);
    for (const [header, v] of Object.entries({
      Level: 'Output indicator',
      Code: 'OP1.1.3',
      'Parent code': 'OP1.1',
      'Statement / title': 'Cases referred',
      Measure: 'Number',
      Direction: 'increase',
      Aggregation: 'sum',
      'Baseline value': '3',
      'End target': 10,
      'Collection frequency': 'Semi-annual',
    })) {
      added.getCell(col(sheet, header)).value = v;
    }
    // A cell formatted as a percentage holds 10 % as 0.1: read on the 0–100 scale.
    const pctBaseline = sheet.getRow(rowWhere(sheet, 'Code', 'OP1.1.1')).getCell(col(sheet, 'Baseline value'));
    pctBaseline.value = 0.1;
    pctBaseline.numFmt = '0%';
    const targets = book.getWorksheet('Period targets')!;
    targets.addRow(['OP1.1.3', '2026-01-01', new Date(Date.UTC(2026, 5, 30)), 5]);
    const after = (await upload(await save(book)).expect(200)).body as Json;
    expect(after.outcomes[0]).toMatchObject({ id: before.outcomes[0].id, statement: 'Outcome 1, reworded in Excel' });
    expect(after.outcomes[0].outputs[1].activities).toEqual([]);
    const op11 = after.outcomes[0].outputs[0];
    expect(op11.indicators.map((i: Json) => i.code)).toEqual(['OP1.1.1', 'OP1.1.2', 'OP1.1.3']);
    expect(op11.indicators[0]).toEqual({
      ...before.outcomes[0].outputs[0].indicators[0],
      baseline: { ...before.outcomes[0].outputs[0].indicators[0].baseline, value: 10 },
    });
    expect(op11.indicators[1]).toEqual(before.outcomes[0].outputs[0].indicators[1]);
    expect(op11.indicators[2]).toMatchObject({
      id: expect.any(String),
      measure: 'number',
      collectionFrequency: 'semi_annual',
      baseline: { value: 3 },
      endTarget: { value: 10 },
      periodTargets: [{ periodStart: '2026-01-01', periodEnd: '2026-06-30', value: 5 }],
    });
  });

  it('reports every unreadable cell at once with sheet, row and column (400) and saves nothing', async () => {
    const before = await logframe();
    const book = await load(await exported());
    const sheet = book.getWorksheet('Results chain')!;
    const targets = book.getWorksheet('Period targets')!;
    const pct = rowWhere(sheet, 'Code', 'OP1.1.1');
    const oc2 = rowWhere(sheet, 'Code', 'OC2.1');
    sheet.getRow(pct).getCell(col(sheet, 'Baseline value')).value = 'twelve';
    sheet.getRow(oc2).getCell(col(sheet, 'Measure')).value = 'count';
    targets.getRow(2).getCell(col(targets, 'Period start')).value = '2026-02-30';
    const res = await upload(await save(book)).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'BAD_REQUEST',
      message: 'The workbook has 3 problem(s); nothing was saved',
    });
    expect(res.body.errors).toEqual([
      {
        sheet: 'Results chain',
        row: pct,
        column: letter(col(sheet, 'Baseline value')),
        path: 'outcomes[0].outputs[0].indicators[0].baseline.value',
        code: 'unreadable',
        params: { header: 'Baseline value' },
        message: "Baseline value: 'twelve' is not a number",
      },
      {
        sheet: 'Results chain',
        row: oc2,
        column: letter(col(sheet, 'Measure')),
        path: 'outcomes[1].indicators[0].measure',
        code: 'unreadable',
        params: { header: 'Measure' },
        message: "Measure: 'count' is not one of: number, percentage, ordinal, qualitative",
      },
      {
        sheet: 'Period targets',
        row: 2,
        column: 'B',
        path: 'outcomes[0].indicators[0].periodTargets[0].periodStart',
        code: 'unreadable',
        params: { header: 'Period start' },
        message: "Period start: '2026-02-30' is not a date: enter a date, or text YYYY-MM-DD",
      },
    ]);
    expect(await logframe()).toEqual(before);
  });

  it('refuses a formula cell without a stored result with its address (never read as empty)', async () => {
    const before = await logframe();
    const book = await load(await exported());
    const targets = book.getWorksheet('Period targets')!;
    const sheet = book.getWorksheet('Results chain')!;
    const pct = rowWhere(sheet, 'Code', 'OP1.1.1');
    // Written by a script: formulas whose workbook holds no computed result.
    targets.getRow(2).getCell(col(targets, 'Period start')).value = { formula: 'DATE(2026,2,1)' } as ExcelJS.CellValue;
    sheet.getRow(pct).getCell(col(sheet, 'Baseline value')).value = { formula: '10+2' } as ExcelJS.CellValue;
    const res = await upload(await save(book)).expect(400);
    expect(res.body.errors).toEqual([
      {
        sheet: 'Results chain',
        row: pct,
        column: letter(col(sheet, 'Baseline value')),
        path: 'outcomes[0].outputs[0].indicators[0].baseline.value',
        code: 'unreadable',
        params: { header: 'Baseline value' },
        message:
          'Baseline value: holds the formula =10+2 without a computed result: open the workbook in Excel or LibreOffice and save it (so the result is stored), or type the value',
      },
      {
        sheet: 'Period targets',
        row: 2,
        column: 'B',
        path: 'outcomes[0].indicators[0].periodTargets[0].periodStart',
        code: 'unreadable',
        params: { header: 'Period start' },
        message:
          'Period start: holds the formula =DATE(2026,2,1) without a computed result: open the workbook in Excel or LibreOffice and save it (so the result is stored), or type the value',
      },
    ]);
    expect(await logframe()).toEqual(before);
  });

  it('reports a row whose parent code does not exist, and shape rules of the JSON API, by cell', async () => {
    const book = await load(await exported());
    const sheet = book.getWorksheet('Results chain')!;
    const activity = rowWhere(sheet, 'Code', 'A2.1.1');
    const indicator = rowWhere(sheet, 'Code', 'OC1.1');
    sheet.getRow(activity).getCell(col(sheet, 'Parent code')).value = 'OP7.7';
    sheet.getRow(indicator).getCell(col(sheet, 'Baseline year')).value = 1850;
    sheet.getRow(indicator).getCell(col(sheet, 'Required disaggregations')).value = 'Sex, age';
    const res = await upload(await save(book)).expect(400);
    expect(res.body.errors).toEqual([
      {
        sheet: 'Results chain',
        row: indicator,
        column: letter(col(sheet, 'Baseline year')),
        path: 'outcomes[0].indicators[0].baseline.year',
        code: 'min',
        params: { min: 1990 },
        message: 'Baseline year: year must not be less than 1990',
      },
      {
        sheet: 'Results chain',
        row: indicator,
        column: letter(col(sheet, 'Required disaggregations')),
        path: 'outcomes[0].indicators[0].requiredDisaggregations',
        code: 'matches',
        params: { pattern: '^[a-z][a-z_]{0,39}$' },
        message: 'Required disaggregations: each required disaggregation must be a lower-case name like sex or age',
      },
      {
        sheet: 'Results chain',
        row: activity,
        column: 'C',
        path: `'Results chain'!C${activity}`,
        code: 'unreadable',
        params: { header: 'Parent code' },
        message: "Parent code: 'OP7.7' is not the code of an output in this sheet",
      },
    ]);
  });

  it('answers a broken rule with 422 and the cell of the value (percentage over 100)', async () => {
    const before = await logframe();
    const book = await load(await exported());
    const sheet = book.getWorksheet('Results chain')!;
    const targets = book.getWorksheet('Period targets')!;
    const pct = rowWhere(sheet, 'Code', 'OP1.1.1');
    for (const header of ['End target numerator', 'End target denominator'])
      sheet.getRow(pct).getCell(col(sheet, header)).value = null;
    sheet.getRow(pct).getCell(col(sheet, 'End target')).value = 150;
    const target = rowWhere(targets, 'Indicator code', 'OP1.1.1');
    targets.getRow(target).getCell(col(targets, 'Value')).value = 150;
    for (const header of ['Numerator', 'Denominator'])
      targets.getRow(target).getCell(col(targets, header)).value = null;
    const res = await upload(await save(book)).expect(422);
    expect(res.body.message).toMatch(/nothing was saved/);
    expect(res.body.errors).toEqual([
      {
        sheet: 'Results chain',
        row: pct,
        column: letter(col(sheet, 'End target')),
        path: 'outcomes[0].outputs[0].indicators[0].endTarget.value',
        code: 'out_of_range',
        params: { min: 0, max: 100 },
        message: 'End target: must be a percentage from 0 to 100',
      },
      {
        sheet: 'Period targets',
        row: target,
        column: 'D',
        path: 'outcomes[0].outputs[0].indicators[0].periodTargets[0].value',
        code: 'out_of_range',
        params: { min: 0, max: 100 },
        message: 'Value: must be a percentage from 0 to 100',
      },
    ]);
    expect(await logframe()).toEqual(before);
  });

  it('answers 409 with the cell: a stale version (Read me) and a duplicate code (its second row)', async () => {
    const stale = await exported();
    await upload(stale).expect(200);
    const res = await upload(stale).expect(409);
    expect(res.body.message).toMatch(/changed by someone else since you read it/);
    expect(res.body.errors).toEqual([
      {
        sheet: 'Read me',
        row: 5,
        column: 'B',
        path: 'version',
        code: 'stale_version',
        params: { current: expect.any(Number), yours: expect.any(Number) },
        message: expect.stringMatching(/^Logframe version: is \d+, current is \d+$/),
      },
    ]);

    const book = await load(await exported());
    const sheet = book.getWorksheet('Results chain')!;
    const oc2 = rowWhere(sheet, 'Code', 'OC2');
    sheet.getRow(oc2).getCell(col(sheet, 'Code')).value = 'OC1';
    sheet.getRow(oc2).getCell(col(sheet, 'Id')).value = null;
    for (let r = oc2 + 1; r <= sheet.rowCount; r += 1)
      if (sheet.getRow(r).getCell(col(sheet, 'Parent code')).value === 'OC2')
        sheet.getRow(r).getCell(col(sheet, 'Parent code')).value = 'OC1';
    const dup = await upload(await save(book)).expect(409);
    expect(dup.body.errors).toEqual([
      {
        sheet: 'Results chain',
        row: oc2,
        column: 'B',
        path: 'outcomes[1].code',
        code: 'duplicate',
        params: { code: 'OC1', first: 'outcomes[0].code', second: 'outcomes[1].code' },
        message: "Code: Code 'OC1' is used twice (outcomes[0].code and outcomes[1].code)",
      },
    ]);
  });

  it('refuses a file that is not an .xlsx workbook, a missing file and a workbook of another layout (400)', async () => {
    const before = await logframe();
    const text = await upload(Buffer.from('Level,Code\nOutcome,OC1\n'), 'logframe.csv').expect(400);
    expect(text.body).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/not an Excel workbook/),
      errors: [{ path: 'file', code: 'unreadable', params: {}, message: 'is not an .xlsx workbook' }],
    });
    const zip = await upload(Buffer.from('504b030414000000000000000000', 'hex')).expect(400);
    expect(zip.body.message).toMatch(/not an Excel workbook/);
    await http().put(`/projects/${projectId}/logframe.xlsx`).expect(400);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Results chain').addRow(['Level', 'Code']);
    const res = await upload(await save(other)).expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        {
          path: "'Period targets'",
          code: 'required',
          params: { sheet: 'Period targets' },
          sheet: 'Period targets',
          message: 'The sheet "Period targets" is missing: export the logframe again and edit that workbook',
        },
        {
          path: "'Results chain'!1",
          code: 'required',
          params: { sheet: 'Results chain', header: 'Measure' },
          sheet: 'Results chain',
          row: 1,
          message: 'The column "Measure" is missing: put its header back in row 1',
        },
      ]),
    );
    const elsewhere = await load(await exported());
    elsewhere.getWorksheet('Read me')!.getCell('B4').value = '00000000-0000-4000-8000-000000000009';
    const wrongProject = await upload(await save(elsewhere)).expect(400);
    expect(wrongProject.body.errors).toEqual([
      {
        sheet: 'Read me',
        row: 4,
        column: 'B',
        path: 'projectId',
        code: 'not_applicable',
        params: { projectId: '00000000-0000-4000-8000-000000000009' },
        message: expect.stringMatching(/exported from another project/),
      },
    ]);
    expect(await logframe()).toEqual(before);
  });
});
