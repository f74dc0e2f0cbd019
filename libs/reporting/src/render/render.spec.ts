import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { IndicatorStatus } from '#libs/calculations';
import type { ProjectReportContent, ReportIndicatorRow, ReportOutputSection } from '../project-report.js';
import {
  INTERNAL_BANNER,
  renderReportPdf,
  renderReportXlsx,
  REPORT_XLSX_SHEETS,
  XLSX_PERCENT_FORMAT,
} from './index.js';
import { faceFor, loadedFaces } from './pdf-fonts.js';
import { PdfWriter } from './pdf-writer.js';

// ---------------------------------------------------------------------------------------------
// A realistic hand-built report: 2 outcomes, 3 outputs, 1 unlinked output, 1 impact indicator,
// 11 indicators covering all six statuses, a decrease, an ordinal and a qualitative indicator.
// ---------------------------------------------------------------------------------------------

const STATUSES: IndicatorStatus[] = ['off_track', 'at_risk', 'on_track', 'exceeded', 'no_data', 'not_assessable'];
const counts = (rows: ReportIndicatorRow[]) =>
  Object.fromEntries(STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<
    IndicatorStatus,
    number
  >;
const Q2 = { start: '2025-04-01', end: '2025-06-30' };
const Q1 = { start: '2025-01-01', end: '2025-03-31' };

let ids = 0;
function indicator(
  level: ReportIndicatorRow['level'],
  fields: Partial<ReportIndicatorRow> & Pick<ReportIndicatorRow, 'code' | 'title' | 'status'>,
): ReportIndicatorRow {
  ids += 1;
  return {
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`,
    level,
    measure: 'number',
    unit: null,
    direction: 'increase',
    aggregation: 'sum',
    baseline: 0,
    baselineYear: 2023,
    endTarget: null,
    targetToDate: null,
    targetToDatePeriod: { start: '2024-01-01', end: Q2.end },
    actualThisQuarter: null,
    latestActual: null,
    actualToDate: null,
    evaluationPeriod: { start: '2024-01-01', end: Q2.end },
    achievementPercent: null,
    progressPercent: null,
    statusNote: null,
    flags: [],
    reviewFlags: [],
    meansOfVerification: 'District court registers',
    varianceExplanation: null,
    ...fields,
  };
}

function output(code: string, statement: string, indicators: ReportIndicatorRow[]): ReportOutputSection {
  return { id: `out-${code}`, code, statement, indicators, statusCounts: counts(indicators) };
}

const INJECTED_TITLE = '=HYPERLINK("http://evil.example/x","Number of paralegals certified")';
const PROJECT_TITLE =
  'Strengthening access to justice for women and children in rural districts of Karnali and Sudurpashchim';

function buildContent(variant: 'internal' | 'donor'): ProjectReportContent {
  ids = 0;
  const oc1 = [
    indicator('outcome', {
      code: 'OC1-I1',
      title: 'Number of cases filed by women survivors of gender-based violence in district courts',
      unit: 'cases',
      baseline: 120,
      endTarget: 600,
      targetToDate: 300,
      actualThisQuarter: 95,
      latestActual: { value: 95, period: Q2 },
      actualToDate: 314,
      achievementPercent: 104.6,
      progressPercent: 40.4,
      status: 'on_track',
    }),
    indicator('outcome', {
      code: 'OC1-I2',
      title: 'Proportion of surveyed legal aid users satisfied with the service received',
      measure: 'percentage',
      unit: '%',
      aggregation: 'latest',
      baseline: 42,
      endTarget: 75,
      targetToDate: 60,
      actualThisQuarter: 51,
      latestActual: { value: 51, period: Q2 },
      actualToDate: 51,
      achievementPercent: 50,
      progressPercent: 27.3,
      status: 'at_risk',
      varianceExplanation:
        'Satisfaction fell in Humla and Mugu where two legal aid lawyers left in April; replacements start in July and a mobile clinic covers the gap.',
    }),
    indicator('outcome', {
      code: 'OC1-I3',
      title: INJECTED_TITLE,
      unit: 'paralegals',
      baseline: 10,
      endTarget: 200,
      targetToDate: 80,
      actualThisQuarter: 40,
      latestActual: { value: 40, period: Q2 },
      actualToDate: 131,
      achievementPercent: 172.9,
      progressPercent: 63.7,
      status: 'exceeded',
    }),
  ];
  const op11 = output(
    'OP1.1',
    'Legal aid centres established, staffed and equipped in six districts (Kathmandu–Lalitpur pilot ≥ 2 centres)',
    [
      indicator('output', {
        code: 'OP1.1-I1',
        title: 'Number of legal aid centres operational',
        unit: 'centres',
        aggregation: 'latest',
        baseline: 0,
        endTarget: 6,
        targetToDate: 4,
        actualThisQuarter: 4,
        latestActual: { value: 4, period: Q2 },
        actualToDate: 4,
        achievementPercent: 100,
        progressPercent: 66.7,
        status: 'on_track',
      }),
      indicator('output', {
        code: 'OP1.1-I2',
        title: 'Average number of days from first contact to case filing',
        unit: 'days',
        direction: 'decrease',
        aggregation: 'latest',
        baseline: 45,
        endTarget: 20,
        targetToDate: 35,
        actualThisQuarter: 41.5,
        latestActual: { value: 41.5, period: Q2 },
        actualToDate: 41.5,
        achievementPercent: 35,
        progressPercent: 14,
        status: 'off_track',
        varianceExplanation:
          'Court backlogs after the monsoon closures delayed filings; the project agreed a fast-track desk with two district courts from August.',
        flags: ['overdue'],
      }),
    ],
  );
  const op12 = output('OP1.2', 'Community paralegals trained and certified on survivor-centred referral', [
    indicator('output', {
      code: 'OP1.2-I1',
      title: 'Training curriculum endorsed by the Nepal Bar Council',
      measure: 'qualitative',
      baseline: null,
      baselineYear: null,
      endTarget: 'Curriculum formally endorsed and in use',
      targetToDate: 'Draft curriculum reviewed',
      latestActual: { value: 'Draft submitted for review', period: Q2 },
      actualToDate: 'Draft submitted for review',
      status: 'not_assessable',
      statusNote: 'No qualitative rating recorded for the period',
    }),
  ]);
  const oc2 = [
    indicator('outcome', {
      code: 'OC2-I1',
      title: 'Child-sensitivity score of court procedures (1 = none, 5 = fully child-sensitive)',
      measure: 'ordinal',
      aggregation: 'latest',
      unit: 'score',
      baseline: 1,
      endTarget: 4,
      targetToDate: 2,
      actualThisQuarter: null,
      latestActual: { value: 2, period: Q1 },
      actualToDate: 2,
      achievementPercent: 100,
      progressPercent: 33.3,
      status: 'on_track',
    }),
    indicator('outcome', {
      code: 'OC2-I2',
      title: 'Number of juvenile cases diverted from formal proceedings',
      unit: 'cases',
      baseline: 0,
      endTarget: 300,
      targetToDate: 100,
      status: 'no_data',
    }),
  ];
  const op21 = output('OP2.1', 'Judges, prosecutors and police officers trained on child-friendly justice standards', [
    indicator('output', {
      code: 'OP2.1-I1',
      title: 'Number of justice officials trained (Số thẩm phán được đào tạo)',
      unit: 'officials',
      baseline: 0,
      endTarget: 450,
      targetToDate: 150,
      actualThisQuarter: 120,
      latestActual: { value: 120, period: Q2 },
      actualToDate: 1250,
      achievementPercent: 833.3,
      progressPercent: 277.8,
      status: 'exceeded',
    }),
  ]);
  const unlinked = output('OP9', 'Imported from IATI: referral network meetings held', [
    indicator('output', {
      code: 'OP9-I1',
      title: 'Number of referral network meetings held',
      unit: 'meetings',
      baseline: null,
      baselineYear: null,
      endTarget: 24,
      actualThisQuarter: 3,
      latestActual: { value: 3, period: Q2 },
      actualToDate: 7,
      status: 'not_assessable',
      statusNote: 'No target ends by the evaluation date',
    }),
  ]);
  const impact = [
    indicator('impact', {
      code: 'IM1',
      title: 'Proportion of women who report violence to the police or courts',
      measure: 'percentage',
      unit: '%',
      aggregation: 'latest',
      baseline: 11,
      endTarget: 20,
      status: 'no_data',
    }),
  ];
  const outcomes: ProjectReportContent['outcomes'] = [
    {
      id: 'oc-1',
      code: 'OC1',
      statement: 'Women and children in the target districts use formal justice services more effectively and safely',
      sdgTargets: ['16.3', '5.2'],
      computedStatus: 'at_risk',
      rating: {
        rating: 'on_track',
        justification: 'Case filings are ahead of plan; satisfaction dipped for staffing reasons that are being fixed.',
      },
      statusCounts: counts(oc1),
      indicators: oc1,
      outputs: [op11, op12],
    },
    {
      id: 'oc-2',
      code: 'OC2',
      statement: 'Justice sector institutions apply child-sensitive procedures in juvenile cases',
      sdgTargets: ['16.2', '16.3'],
      computedStatus: 'on_track',
      rating: null,
      statusCounts: counts(oc2),
      indicators: oc2,
      outputs: [op21],
    },
  ];
  const all = [
    ...impact,
    ...oc1,
    ...op11.indicators,
    ...op12.indicators,
    ...oc2,
    ...op21.indicators,
    ...unlinked.indicators,
  ];
  const internal = variant === 'internal';
  return {
    kind: 'project-quarterly-report',
    scope: {
      type: 'project',
      id: 'prj-1',
      code: 'PRJ-NPL-0042',
      title: PROJECT_TITLE,
      iatiIdentifier: 'XM-DAC-41114-PRJ-0042',
    },
    quarter: { year: 2025, quarter: 2, label: '2025-Q2', start: Q2.start, end: Q2.end },
    asOfDate: Q2.end,
    revision: internal
      ? { id: 'rev-4', number: 4, status: 'submitted', approvedBy: null, approvedAt: null, snapshotSha256: null }
      : {
          id: 'rev-3',
          number: 3,
          status: 'approved',
          approvedBy: 'rbm.focal@example.org',
          approvedAt: '2025-02-14T09:30:00.000Z',
          snapshotSha256: 'a3f1c2'.padEnd(64, '0'),
        },
    thresholds: { version: 2, atRiskFrom: '50', onTrackFrom: '85', exceededAbove: '115' },
    calculationVersion: '1.2.0',
    internal,
    internalReasons: internal
      ? [
          'Logframe revision 4 is submitted, not approved',
          'Progress for 2025-Q2 has not been validated by an RBM focal point',
        ]
      : [],
    validation: internal
      ? { status: 'submitted', restated: false, reopenReason: null }
      : { status: 'validated', restated: true, reopenReason: 'Duplicate court records in Humla corrected' },
    sdgTargets: ['16.2', '16.3', '5.2'],
    outcomes,
    unlinkedOutputs: [unlinked],
    impactIndicators: impact,
    summary: { indicators: all.length, statusCounts: counts(all) },
    assumptions: [
      {
        id: 'as-1',
        element: 'OC1',
        kind: 'risk',
        statement: 'Court closures delay hearings',
        likelihood: 'medium',
        impact: 'high',
        mitigation: 'Remote hearings',
        update: { status: 'at_risk', note: 'Two courts closed in May' },
      },
    ],
  };
}

/** A report whose one output has many long-titled indicators: its table must run over several pages. */
function longContent(): ProjectReportContent {
  const content = buildContent('donor');
  const many = Array.from({ length: 45 }, (_, i) =>
    indicator('output', {
      code: `OP2.1-I${i + 2}`,
      status: STATUSES[i % STATUSES.length],
      unit: 'people',
      baseline: 0,
      endTarget: 1000 + i,
      targetToDate: 400,
      actualToDate: 37 * i,
      achievementPercent: Number(((37 * i * 100) / 400).toFixed(1)),
      progressPercent: Number(((37 * i * 100) / (1000 + i)).toFixed(1)),
      title:
        i === 3
          ? `An indicator title with an unbroken identifier ${'X'.repeat(160)} and more words after it`
          : `Number of people in district ${i + 1} reached with legal awareness sessions, disaggregated by sex, age group, caste/ethnicity and disability status, as recorded in attendance sheets`,
    }),
  );
  // A variance explanation longer than a page flows on after its indicator's box.
  many[5].varianceExplanation = Array.from(
    { length: 90 },
    (_, i) => `Sentence ${i + 1} of a very long variance explanation about delays in district ${i % 7}.`,
  ).join(' ');
  content.outcomes[1].statement = `${content.outcomes[1].statement}, ${'including detention centres, police stations and one-stop crisis management centres, '.repeat(4)}as agreed with the ministry`;
  const op = content.outcomes[1].outputs[0];
  op.indicators.push(...many);
  op.statusCounts = counts(op.indicators);
  return content;
}

// ---------------------------------------------------------------------------------------------

const plain = (v: ExcelJS.CellValue) =>
  v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v;

async function readBook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(buffer as unknown as ArrayBuffer);
  return book;
}

function rowOf(sheet: ExcelJS.Worksheet, column: number, value: string): ExcelJS.Row {
  for (let r = 2; r <= sheet.rowCount; r++)
    if (plain(sheet.getRow(r).getCell(column).value) === value) return sheet.getRow(r);
  throw new Error(`No row with ${value} in column ${column} of ${sheet.name}`);
}

function headerIndex(sheet: ExcelJS.Worksheet): Map<string, number> {
  const map = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => map.set(String(cell.value), col));
  return map;
}

describe('renderReportXlsx', () => {
  let donor: ExcelJS.Workbook;
  let internal: ExcelJS.Workbook;

  beforeAll(async () => {
    donor = await readBook(await renderReportXlsx(buildContent('donor')));
    internal = await readBook(await renderReportXlsx(buildContent('internal')));
  });

  it('has one sheet per level, each with a frozen header row', () => {
    // No narrative saved in this fixture: no Narrative sheet.
    expect(donor.worksheets.map((s) => s.name)).toEqual(REPORT_XLSX_SHEETS.filter((name) => name !== 'Narrative'));
    for (const sheet of donor.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).font?.bold).toBe(true);
      sheet.columns.forEach((c, i) =>
        expect({ sheet: sheet.name, i, w: c.width }).toEqual({ sheet: sheet.name, i, w: expect.any(Number) }),
      );
    }
    expect(donor.getWorksheet('Output indicators')?.views[0]).toMatchObject({ xSplit: 3 });
  });

  it('writes the indicator header row in order', () => {
    const sheet = donor.getWorksheet('Output indicators') as ExcelJS.Worksheet;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(headers.slice(0, 4)).toEqual(['Outcome code', 'Output code', 'Indicator code', 'Indicator']);
    expect(headers).toEqual(
      expect.arrayContaining([
        'Baseline',
        'End target',
        'Target to date',
        'Actual this quarter (cumulative indicators)',
        'Latest actual',
        'Latest actual period start',
        'Latest actual period end',
        'Actual to date',
        'Achievement %',
        'Progress to end target %',
        'Status',
        'Variance explanation',
        'Flags',
      ]),
    );
  });

  it('writes numbers as numbers with value, percent and date formats', () => {
    const sheet = donor.getWorksheet('Outcome indicators') as ExcelJS.Worksheet;
    const col = headerIndex(sheet);
    const row = rowOf(sheet, col.get('Indicator code') as number, 'OC1-I1');
    const cell = (header: string) => row.getCell(col.get(header) as number);
    expect(cell('Outcome code').value).toBe('OC1');
    expect(cell('Achievement %').value).toBe(104.6);
    expect(cell('Achievement %').numFmt).toBe(XLSX_PERCENT_FORMAT);
    expect(cell('Progress to end target %').value).toBe(40.4);
    expect(cell('End target').value).toBe(600);
    // Whole numbers: #,##0 (no trailing dot); decimals get one 0 per decimal place they have.
    expect(cell('End target').numFmt).toBe('#,##0');
    expect(cell('Actual to date').value).toBe(314);
    expect(cell('Latest actual').value).toBe(95);
    expect((cell('Latest actual period start').value as Date).toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect((cell('Latest actual period end').value as Date).toISOString()).toBe('2025-06-30T00:00:00.000Z');
    expect(cell('Latest actual period end').numFmt).toBe('yyyy-mm-dd');
    expect(cell('Status').value).toBe('On track');

    const risk = rowOf(sheet, col.get('Indicator code') as number, 'OC1-I2');
    expect(risk.getCell(col.get('Variance explanation') as number).value).toMatch(/^Satisfaction fell in Humla/);
    expect(risk.getCell(col.get('Status') as number).value).toBe('At risk');
  });

  it('keeps qualitative values as text and lists outputs with their outcome (none for unlinked ones)', () => {
    const sheet = donor.getWorksheet('Output indicators') as ExcelJS.Worksheet;
    const col = headerIndex(sheet);
    const qual = rowOf(sheet, col.get('Indicator code') as number, 'OP1.2-I1');
    expect(qual.getCell(col.get('Output code') as number).value).toBe('OP1.2');
    expect(qual.getCell(col.get('End target') as number).value).toBe('Curriculum formally endorsed and in use');
    const decrease = rowOf(sheet, col.get('Indicator code') as number, 'OP1.1-I2');
    expect(decrease.getCell(col.get('Actual to date') as number).value).toBe(41.5);
    expect(decrease.getCell(col.get('Flags') as number).value).toBe('Overdue');
    const orphan = rowOf(sheet, col.get('Indicator code') as number, 'OP9-I1');
    expect(orphan.getCell(col.get('Outcome code') as number).value).toBeNull();
    expect(sheet.rowCount).toBe(1 + 5);
  });

  it('writes outcomes with rating, justification and counts per status', () => {
    const sheet = donor.getWorksheet('Outcomes') as ExcelJS.Worksheet;
    const col = headerIndex(sheet);
    const oc1 = rowOf(sheet, 1, 'OC1');
    expect(oc1.getCell(col.get('SDG targets') as number).value).toBe('16.3, 5.2');
    expect(oc1.getCell(col.get('Computed status') as number).value).toBe('At risk');
    expect(oc1.getCell(col.get("Manager's rating") as number).value).toBe('On track');
    expect(oc1.getCell(col.get('Rating justification') as number).value).toMatch(/^Case filings are ahead/);
    expect(oc1.getCell(col.get('Indicators') as number).value).toBe(3);
    expect(oc1.getCell(col.get('Exceeded') as number).value).toBe(1);
    expect(oc1.getCell(col.get('Off track') as number).value).toBe(0);
    expect(rowOf(sheet, 1, 'OC2').getCell(col.get("Manager's rating") as number).value).toBeNull();
  });

  it('writes the summary facts: quarter, revision, approver, thresholds, validation, donor-ready or internal', () => {
    const facts = (book: ExcelJS.Workbook) => {
      const sheet = book.getWorksheet('Summary') as ExcelJS.Worksheet;
      expect(sheet.getRow(1).values).toEqual([undefined, 'Item', 'Value']);
      const map = new Map<string, ExcelJS.CellValue>();
      for (let r = 2; r <= sheet.rowCount; r++) map.set(String(sheet.getCell(r, 1).value), sheet.getCell(r, 2).value);
      return map;
    };
    const d = facts(donor);
    expect(d.get('Project title')).toBe(PROJECT_TITLE);
    expect(d.get('Quarter')).toBe('2025-Q2');
    expect((d.get('As-of date') as Date).toISOString()).toBe('2025-06-30T00:00:00.000Z');
    expect(d.get('Logframe revision')).toBe(3);
    expect(d.get('Approved by')).toBe('rbm.focal@example.org');
    expect(d.get('Thresholds version')).toBe(2);
    expect(d.get('Restated')).toBe('Yes');
    expect(d.get('Reopen reason')).toBe('Duplicate court records in Humla corrected');
    expect(d.get('Report use')).toBe('Donor-ready');
    expect(d.get('Indicators')).toBe(11);
    expect(d.get('Indicators exceeded')).toBe(2);
    const i = facts(internal);
    expect(i.get('Report use')).toBe('INTERNAL – not for donors');
    expect(i.get('Internal reasons')).toMatch(/revision 4 is submitted/);
    expect(i.get('Restated')).toBe('No');
  });

  it('neutralises formula-like text so no cell is a formula', () => {
    const sheet = donor.getWorksheet('Outcome indicators') as ExcelJS.Worksheet;
    const col = headerIndex(sheet);
    const cell = rowOf(sheet, col.get('Indicator code') as number, 'OC1-I3').getCell(col.get('Indicator') as number);
    expect(cell.value).toBe(`'${INJECTED_TITLE}`);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    for (const s of donor.worksheets) {
      s.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof c.value === 'string') expect(c.value).not.toMatch(/^[=+\-@\t\r]/);
        }),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * Expected pages of the fixture: cover; status summary with the impact table; the impact
 * indicator's chart; OC1 and its outputs (3 pages); OC2 with OP2.1 and the unlinked OP9 (2 pages).
 */
const EXPECTED_PAGES = 9;
const KEEP = process.env.RENDER_KEEP_DIR;

interface Rendered {
  pdf: Buffer;
  file: string;
  pages: number;
  text: string;
  pngs: string[];
}

function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Distinct pixel colours of a PNG (stops counting at `limit`). */
function distinctColours(file: string, limit = 50): number {
  const png = PNG.sync.read(readFileSync(file));
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length && seen.size < limit; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

describe('renderReportPdf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rbm-report-pdf-'));
  const rendered: Record<'donor' | 'internal' | 'long', Rendered> = {} as never;

  async function render(name: 'donor' | 'internal' | 'long', content: ProjectReportContent): Promise<Rendered> {
    const pdf = await renderReportPdf(content);
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '50', '-png', file, join(dir, name)]);
    const pngs = readdirSync(dir)
      .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
      .sort()
      .map((f) => join(dir, f));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    return { pdf, file, pages: pdfPages(file), text, pngs };
  }

  beforeAll(async () => {
    rendered.donor = await render('donor', buildContent('donor'));
    rendered.internal = await render('internal', buildContent('internal'));
    rendered.long = await render('long', longContent());
    if (KEEP) for (const f of readdirSync(dir)) writeFileSync(join(KEEP, f), readFileSync(join(dir, f)));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is an A4 PDF with the expected pages, numbered in the footer', () => {
    for (const r of [rendered.donor, rendered.internal]) {
      expect(r.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(r.pages).toBe(EXPECTED_PAGES);
      expect(r.text).toContain(`Page ${EXPECTED_PAGES} of ${EXPECTED_PAGES}`);
    }
    expect(execFileSync('pdfinfo', [rendered.donor.file], { encoding: 'utf8' })).toMatch(
      /Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/,
    );
  });

  it('renders every page to a PNG that is not blank', () => {
    for (const r of Object.values(rendered)) {
      expect(r.pngs).toHaveLength(r.pages);
      for (const png of r.pngs) expect(distinctColours(png)).toBeGreaterThan(2);
    }
  });

  it('shows the project, quarter, outcomes and indicators', () => {
    for (const r of [rendered.donor, rendered.internal]) {
      const flat = r.text.replace(/\s+/g, ' ');
      expect(flat).toContain('Strengthening access to justice for women and children');
      expect(flat).toContain('PRJ-NPL-0042');
      expect(flat).toContain('2025-Q2');
      expect(flat).toContain('30 June 2025');
      for (const code of ['OC1', 'OC2', 'OP1.1', 'OP2.1', 'OP9', 'IM1', 'OC1-I2', 'OP1.1-I2'])
        expect(flat).toContain(code);
      expect(flat).toContain('Satisfaction fell in Humla');
      expect(flat).toContain('Status summary');
      expect(flat).toContain('Actual to date');
    }
    const donor = rendered.donor.text.replace(/\s+/g, ' ');
    expect(donor).toContain('rbm.focal@example.org');
    expect(donor).toContain('Donor-ready');
    expect(donor).toContain('Restated');
    expect(donor).toContain('Duplicate court records in Humla corrected');
  });

  it('prints the whole as-of date in every page footer, risks with their update, and no code in snake_case', () => {
    for (const r of Object.values(rendered)) {
      for (let page = 1; page <= r.pages; page++) {
        const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), r.file, '-'], {
          encoding: 'utf8',
        });
        expect({ page, asOf: text.replace(/\s+/g, ' ').includes('as of 30 June 2025') }).toEqual({ page, asOf: true });
      }
      expect(r.text.match(/\b[a-z]+_[a-z0-9_]+\b/g)).toBeNull();
    }
    const donor = rendered.donor.text.replace(/\s+/g, ' ');
    expect(donor).toContain('Assumptions and risks: update for the quarter');
    expect(donor).toContain('Court closures delay hearings');
    expect(donor).toContain('Update: At risk. Two courts closed in May');
  });

  it('puts the quarterly narrative first when the report carries one', async () => {
    const content = Object.assign(buildContent('donor'), {
      narrative: {
        progressSummary: 'Legal aid reached 314 women this quarter.',
        challenges: 'Floods closed two courts.',
        lessonsLearned: null,
        nextQuarter: 'Open the mobile clinic in Mugu.',
      },
    });
    const file = join(dir, 'narrative.pdf');
    writeFileSync(file, await renderReportPdf(content));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Quarterly narrative Progress summary Legal aid reached 314 women this quarter.');
    expect(text).toContain('Challenges Floods closed two courts.');
    expect(text).not.toContain('Lessons learned');
    expect(text.indexOf('Quarterly narrative')).toBeLessThan(text.indexOf('Status summary'));
    expect(rendered.donor.text).not.toContain('Quarterly narrative');
  });

  it('carries the INTERNAL banner with its reasons only in the internal variant', () => {
    expect(rendered.internal.text).toContain('INTERNAL');
    expect(rendered.internal.text).toContain(INTERNAL_BANNER);
    expect(rendered.internal.text.replace(/\s+/g, ' ')).toContain('has not been validated by an RBM focal point');
    expect(rendered.donor.text).not.toContain('INTERNAL');
    expect(rendered.long.text).not.toContain('INTERNAL');
  });

  it('continues a long table on the next pages and keeps every word inside the page', () => {
    const long = rendered.long;
    expect(long.pages).toBeGreaterThan(EXPECTED_PAGES + 3);
    expect(long.text).toContain('Indicators of output OP2.1 (continued)');
    expect(long.text).toContain('OP2.1-I46');
    // Word boxes from pdftotext: nothing past the right margin or into the footer band.
    const html = execFileSync('pdftotext', ['-bbox', long.file, '-'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const words = [
      ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ];
    expect(words.length).toBeGreaterThan(1000);
    expect(long.text).toContain('Sentence 90 of a very long variance explanation');
    // Body text stays inside the margins (A4 595.28 x 841.89 pt, margins 50 left/right, 64 bottom);
    // only the footer (from 44 pt above the page edge) sits below the bottom margin.
    for (const [, xMin, yMin, xMax, yMax, word] of words) {
      const inFooter = Number(yMin) >= 841.89 - 44;
      expect({ word, xMin: Number(xMin) >= 49 }).toEqual({ word, xMin: true });
      expect({ word, xMax: Number(xMax) <= 595.28 - 49 }).toEqual({ word, xMax: true });
      expect({ word, yMax: inFooter ? Number(yMax) <= 841.89 - 20 : Number(yMax) <= 841.89 - 64 + 1 }).toEqual({
        word,
        yMax: true,
      });
    }
  });

  it('gives the same bytes for the same content', async () => {
    expect((await renderReportPdf(buildContent('donor'))).equals(rendered.donor.pdf)).toBe(true);
  });

  it('prints every label in French with ?lang=fr: French phrases, dates and numbers (1 234,5 with a narrow no-break space)', async () => {
    const content = buildContent('donor');
    const row = content.outcomes[0].indicators[0];
    Object.assign(row, { measure: 'number', unit: null, baseline: 1234.5 });
    const missing: number[] = [];
    const pdf = await renderReportPdf(content, { lang: 'fr', onMissingCharacters: (c) => missing.push(...c) });
    const file = join(dir, 'french.pdf');
    writeFileSync(file, pdf);
    if (KEEP) writeFileSync(join(KEEP, 'french.pdf'), pdf);
    const pages = pdfPages(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const flat = text.replace(/[ \t\r\n]+/g, ' ');
    expect(missing).toEqual([]);
    // French number format: a narrow no-break space (U+202F) between thousands, a decimal comma. pdftotext
    // reads the narrow space as a space; the glyph drawn for it maps back to U+202F in the font's map.
    expect(flat).toMatch(/Cible finale 600 référence 1 234,5 \(2023\)/);
    expect(flat).not.toContain('1,234.5');
    expect(mappedCodePoints(pdf).has(0x202f)).toBe(true);
    for (const phrase of [
      'RAPPORT TRIMESTRIEL AU NIVEAU DES EFFETS',
      'Date de référence',
      '30 juin 2025',
      'Synthèse des statuts',
      'Indicateurs par statut',
      'Effets en un coup d’œil',
      'Progrès par rapport aux cibles',
      'Réalisé à ce jour',
      'Cible à ce jour',
      'Cible finale',
      'Statut calculé',
      'Appréciation du gestionnaire',
      'Hypothèses et risques : mise à jour du trimestre',
      'Prêt pour les bailleurs',
      'En bonne voie',
      'Hors trajectoire',
      `Page ${pages} sur ${pages}`,
    ])
      expect({ phrase, found: flat.includes(phrase) }).toEqual({ phrase, found: true });
    // No English label left: the English report's fixed phrases are absent.
    for (const english of ['Status summary', 'As-of date', 'Actual to date', 'On track', 'Page 1 of', 'as of 30 June'])
      expect({ english, found: flat.includes(english) }).toEqual({ english, found: false });
    // Every page's footer carries the whole as-of date, in French.
    for (let page = 1; page <= pages; page++) {
      const pageText = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], {
        encoding: 'utf8',
      });
      expect({ page, asOf: pageText.replace(/\s+/g, ' ').includes('au 30 juin 2025') }).toEqual({ page, asOf: true });
    }
    expect(text.match(/\b[a-z]+_[a-z0-9_]+\b/g)).toBeNull();
    // Tagged in French.
    expect(pdf.toString('latin1')).toMatch(/\/Lang \(fr\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// Any script: Arabic, Chinese, Russian, French, Spanish, English and Nepali titles and explanations.
// ---------------------------------------------------------------------------------------------

const AR_TITLE = 'تعزيز وصول النساء والأطفال إلى العدالة في المناطق الريفية';
const AR_EXPLANATION =
  'انخفض رضا المستفيدين في منطقتي هوملا وموغو بعد مغادرة اثنين من محامي المساعدة القانونية في شهر أبريل، ' +
  'وسيبدأ البديلان عملهما في شهر يوليو، وتغطي عيادة متنقلة الفجوة حتى ذلك الحين، كما عقد الفريق اجتماعات ' +
  'مع لجان القضاء المحلية لضمان استمرار الخدمات للنساء والأطفال في القرى النائية خلال موسم الأمطار القادم.';
const ZH_TITLE = '获得法律援助的妇女人数';
const ZH_EXPLANATION = '由于洪水，第二季度的法律援助诊所推迟开放。';
const RU_TITLE = 'Число женщин, получивших юридическую помощь';
const RU_EXPLANATION = 'Две выездные клиники открылись позже из-за паводков.';
const FR_TITLE = 'Nombre de parajuristes certifiés par le ministère';
const ES_EXPLANATION = 'La certificación se retrasó por la huelga del poder judicial.';
const EN_TITLE = 'Number of district courts applying child-sensitive procedures';
const NE_TITLE = 'कानुनी सहायता प्राप्त गर्ने महिलाहरूको संख्या';
const NE_EXPLANATION = 'बाढीका कारण दोस्रो त्रैमासिकमा कानुनी सहायता शिविरहरू ढिलो सुरु भए।';

function multilingualContent(): ProjectReportContent {
  const content = buildContent('donor');
  content.scope.title = `${AR_TITLE} – ${RU_TITLE}`;
  const [first, second] = content.outcomes;
  first.statement = AR_TITLE;
  if (first.rating) first.rating.justification = AR_EXPLANATION;
  first.indicators[0].title = ZH_TITLE;
  first.indicators[0].varianceExplanation = ZH_EXPLANATION;
  first.indicators[1].title = RU_TITLE;
  first.indicators[1].varianceExplanation = RU_EXPLANATION;
  first.indicators[2].title = FR_TITLE;
  first.indicators[2].varianceExplanation = ES_EXPLANATION;
  first.outputs[0].indicators[0].varianceExplanation = AR_EXPLANATION;
  second.statement = NE_TITLE;
  second.indicators[0].title = EN_TITLE;
  second.indicators[0].varianceExplanation = NE_EXPLANATION;
  return content;
}

/** Every stream of a PDF, inflated when compressed. */
function pdfStreams(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) return out;
    const end = pdf.indexOf('\nendstream', start);
    const dict = pdf.subarray(pdf.lastIndexOf('<<', start), start).toString('latin1');
    const body = pdf.subarray(start + 7, end);
    out.push(dict.includes('/FlateDecode') ? inflateSync(body) : body);
    at = end + 10;
  }
}

/** Code points the embedded fonts' ToUnicode maps give their glyphs. */
function mappedCodePoints(pdf: Buffer): Set<number> {
  const cps = new Set<number>();
  const add = (hex: string) => {
    const units = hex.match(/.{4}/g)?.map((h) => parseInt(h, 16)) ?? [];
    for (const ch of String.fromCharCode(...units)) cps.add(ch.codePointAt(0) ?? 0);
  };
  for (const stream of pdfStreams(pdf).map((s) => s.toString('latin1'))) {
    if (!stream.includes('begincmap')) continue;
    for (const [, body] of stream.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const [, list] of body.matchAll(/\[([^\]]*)\]/g))
        for (const [, h] of list.matchAll(/<([0-9a-f]+)>/gi)) add(h);
    for (const [, body] of stream.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const [, , h] of body.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) add(h);
  }
  return cps;
}

/** Glyph ids drawn by the page content streams (Identity-H: 4 hex digits each). */
function drawnGlyphIds(pdf: Buffer): number[] {
  const ids: number[] = [];
  for (const stream of pdfStreams(pdf).map((s) => s.toString('latin1'))) {
    if (!stream.includes(' TJ')) continue;
    for (const [, array] of stream.matchAll(/\[([^\]]*)\] TJ/g))
      for (const [, hex] of array.matchAll(/<([0-9a-f]+)>/gi))
        ids.push(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  }
  return ids;
}

/** A page of a PDF as a PNG (pdftoppm at `dpi`). */
function pagePng(file: string, page: number, dpi = 100): PNG {
  const prefix = `${file}-p${page}`;
  execFileSync('pdftoppm', [
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    '-png',
    file,
    prefix,
  ]);
  return PNG.sync.read(readFileSync(`${prefix}.png`));
}

/** Pixels differing from the committed reference image (pixelmatch, anti-aliasing tolerated). */
function differingPixels(actual: PNG, referenceFile: string): number {
  if (process.env.UPDATE_PDF_REFERENCES === '1') writeFileSync(referenceFile, PNG.sync.write(actual));
  const reference = PNG.sync.read(readFileSync(referenceFile));
  expect([actual.width, actual.height]).toEqual([reference.width, reference.height]);
  return pixelmatch(actual.data, reference.data, undefined, actual.width, actual.height, { threshold: 0.1 });
}

const REFERENCES = join(dirname(fileURLToPath(import.meta.url)), '__references__');

describe('PDF text in any script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rbm-unicode-pdf-'));
  let pdf: Buffer;
  let file: string;
  const missing: number[] = [];
  beforeAll(async () => {
    pdf = await renderReportPdf(multilingualContent(), { onMissingCharacters: (cps) => missing.push(...cps) });
    file = join(dir, 'multilingual.pdf');
    writeFileSync(file, pdf);
    if (KEEP) writeFileSync(join(KEEP, 'multilingual.pdf'), pdf);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('embeds every font it draws with and draws every character with a glyph (no .notdef, none missing)', () => {
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    const names = fonts.map((l) => l.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'NotoSans-Regular',
        'NotoSans-Bold',
        'NotoNaskhArabic-Regular',
        'NotoSansCJKsc-Regular',
        'NotoSansDevanagari-Bold',
      ]),
    );
    // Columns: name type encoding emb sub uni: every font embedded with a Unicode map.
    for (const line of fonts) expect(line).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
    expect(drawnGlyphIds(pdf)).not.toContain(0);
    const all = [
      AR_TITLE,
      AR_EXPLANATION,
      ZH_TITLE,
      ZH_EXPLANATION,
      RU_TITLE,
      RU_EXPLANATION,
      FR_TITLE,
      ES_EXPLANATION,
      EN_TITLE,
      NE_TITLE,
      NE_EXPLANATION,
    ];
    const characters = (texts: string[]) => [...new Set(texts.join('').replace(/\s/g, ''))];
    // Every character is in the character map of a font embedded in this PDF.
    const embedded = loadedFaces().filter((f) => names.includes(f.font.postscriptName));
    expect(embedded.length).toBe(names.length);
    const uncovered = characters(all).filter(
      (ch) => !embedded.some((f) => f.font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0)),
    );
    expect(uncovered).toEqual([]);
    // And the glyphs drawn map back to the characters (Devanagari conjuncts map to their first letters only).
    const mapped = mappedCodePoints(pdf);
    const unmapped = characters(all.filter((t) => t !== NE_TITLE && t !== NE_EXPLANATION)).filter(
      (ch) => !mapped.has(ch.codePointAt(0) ?? 0),
    );
    expect(unmapped).toEqual([]);
    expect(missing).toEqual([]);
    expect(pdf.includes('Rendering notes')).toBe(false);
  });

  it('lets pdftotext find the Latin, Cyrillic and Chinese strings', () => {
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const s of [ZH_TITLE, ZH_EXPLANATION, RU_TITLE, RU_EXPLANATION, FR_TITLE, ES_EXPLANATION, EN_TITLE])
      expect(text).toContain(s);
    expect(text).not.toContain('?????');
  });

  it('is tagged, in English, with headings and charts that carry alternative text', () => {
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Tagged:\s+yes/m);
    const raw =
      pdfStreams(pdf)
        .map((s) => s.toString('latin1'))
        .join('\n') + pdf.toString('latin1');
    expect(raw).toContain('/Lang (en)');
    expect(raw).toMatch(/\/S \/H1/);
    expect(raw).toMatch(/\/S \/Figure[^>]*\/Alt \(Bar chart/);
  });

  it('covers the other scripts with a font: Persian, Pashto and Urdu letters, Greek, Vietnamese, Thai, Bengali, Myanmar, Ethiopic, Khmer, Georgian, Armenian', () => {
    const samples =
      'پچژگټڼېےںۍ' +
      'Ελληνικά' +
      'Tiếng Việt' +
      'ภาษาไทย' +
      'বাংলা' +
      'မြန်မာ' +
      'አማርኛ' +
      'ខ្មែរ' +
      'ქართული' +
      'Հայերեն';
    const uncovered = [...samples].filter((ch) => faceFor(ch.codePointAt(0) ?? 0, 'regular', null) === null);
    expect(uncovered).toEqual([]);
  });

  it('draws a character no font has as a visible box and names it, never as ?', async () => {
    const cps: number[] = [];
    const content = buildContent('donor');
    content.outcomes[0].statement = 'Private use \uE000 character';
    const out = await renderReportPdf(content, { onMissingCharacters: (c) => cps.push(...c) });
    expect(cps).toEqual([0xe000]);
    const f = join(dir, 'missing.pdf');
    writeFileSync(f, out);
    const text = execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Characters without a font in this PDF, shown as boxes: U+E000');
    expect(text).not.toContain('Private use ? character');
  });

  it("renders the report's Arabic and Nepali outcome statements like the reference images", () => {
    for (const [outcome, name] of [
      ['OUTCOME OC1', 'report-arabic-outcome.png'],
      ['OUTCOME OC2', 'report-nepali-outcome.png'],
    ] as const) {
      const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      const page = Array.from({ length: pages }, (_, i) => i + 1).find((n) =>
        execFileSync('pdftotext', ['-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' }).includes(
          outcome,
        ),
      )!;
      // The statement under the outcome's label: 66 pt to 90 pt from the top, between the margins (100 dpi).
      const prefix = join(dir, name.replace('.png', ''));
      execFileSync('pdftoppm', [
        ...['-r', '100', '-f', String(page), '-l', String(page), '-singlefile', '-png'],
        ...['-x', '69', '-y', '92', '-W', '688', '-H', '33'],
        file,
        prefix,
      ]);
      const png = PNG.sync.read(readFileSync(`${prefix}.png`));
      const differing = differingPixels(png, join(REFERENCES, name));
      expect({ name, differing: differing <= png.width * png.height * 0.002 }).toEqual({ name, differing: true });
    }
  });

  // Text extraction cannot give back the logical order of shaped Arabic and Devanagari, so their
  // shaping and order are checked on rendered pixels against references looked at and committed.
  it('renders the Arabic and Nepali sections like the reference images (shaping, word order, wrapping)', async () => {
    const doc = new PDFDocument({
      size: [420, 260],
      margins: { top: 20, bottom: 20, left: 20, right: 20 },
      tagged: true,
      lang: 'en',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    const w = new PdfWriter(doc);
    w.heading(AR_TITLE, 13);
    w.paragraph(`${AR_EXPLANATION} (2025)`, { size: 10 });
    expect(w.measure(AR_EXPLANATION, { size: 10 })).toBeGreaterThanOrEqual(3 * 13);
    w.newPage();
    w.heading(NE_TITLE, 13);
    w.paragraph(`${NE_EXPLANATION} ${NE_EXPLANATION} ${NE_EXPLANATION}`, { size: 10 });
    w.finish();
    doc.end();
    const f = join(dir, 'sections.pdf');
    writeFileSync(f, await done);
    if (KEEP) writeFileSync(join(KEEP, 'sections.pdf'), readFileSync(f));
    for (const [page, name] of [
      [1, 'arabic-section.png'],
      [2, 'nepali-section.png'],
    ] as const) {
      const png = pagePng(f, page);
      const differing = differingPixels(png, join(REFERENCES, name));
      expect({ name, differing: differing <= png.width * png.height * 0.002 }).toEqual({ name, differing: true });
    }
  });
});
