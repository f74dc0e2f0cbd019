import ExcelJS from 'exceljs';
import { MEASURES } from '#libs/calculations';
import type { AssumptionDoc, IndicatorDoc, LogframeReadDocument, OutputDoc, SdgLinkDoc } from '../logframe-document.js';
import { excelDate, numberCell } from './xlsx-cells.js';
import {
  type ColumnSpec,
  CONTRIBUTIONS,
  LEVELS,
  type Level,
  README_PROJECT_ID,
  README_VERSION,
  RESULT_COLUMNS,
  SHEET_README,
  SHEET_RESULTS,
  SHEET_TARGETS,
  TARGET_COLUMNS,
  columnLetter,
} from './xlsx-layout.js';

/** Media type of an .xlsx workbook. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the Read me sheet says about the project (the document itself carries no code or title). */
export interface LogframeWorkbookProject {
  id: string;
  code: string;
  title: string;
}

type Row = Record<string, unknown>;

/** Rows kept free below the data for additions: drop-down lists and formats reach them too. */
const SPARE_ROWS = 500;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const LEVEL_FILL: Partial<Record<Level, string>> = {
  project: 'FFD9D9D9',
  outcome: 'FFBDD7EE',
  output: 'FFDDEBF7',
  impactIndicator: 'FFFCE4D6',
};

const linksCell = (links: SdgLinkDoc[]) => links.map((l) => `${l.sdgTargetCode} ${l.contribution}`).join('; ') || null;
const rationalesCell = (links: SdgLinkDoc[]) =>
  links
    .filter((l) => l.rationale)
    .map((l) => `${l.sdgTargetCode}: ${l.rationale}`)
    .join('\n') || null;

function indicatorRow(level: Level, parent: string | null, i: IndicatorDoc): Row {
  const labels = i.ordinalScale?.labels;
  return {
    level: LEVELS[level],
    code: i.code,
    parent,
    statement: i.title,
    definition: i.definition,
    measure: i.measure,
    unit: i.unit,
    direction: i.direction,
    aggregation: i.aggregation,
    scaleMin: numberCell(i.ordinalScale?.min),
    scaleMax: numberCell(i.ordinalScale?.max),
    scaleLabels:
      labels && Object.keys(labels).length
        ? Object.entries(labels)
            .map(([k, v]) => `${k} = ${v}`)
            .join('\n')
        : null,
    baselineValue: numberCell(i.baseline?.value),
    baselineNumerator: numberCell(i.baseline?.numerator),
    baselineDenominator: numberCell(i.baseline?.denominator),
    baselineYear: i.baseline?.year ?? null,
    baselineDate: i.baseline?.date ? excelDate(i.baseline.date) : null,
    baselineComment: i.baseline?.comment,
    baselineNotAvailable: i.baseline?.notAvailableReason,
    baselineDueDate: i.baseline?.dueDate ? excelDate(i.baseline.dueDate) : null,
    endTargetValue: numberCell(i.endTarget?.value),
    endTargetNumerator: numberCell(i.endTarget?.numerator),
    endTargetDenominator: numberCell(i.endTarget?.denominator),
    endTargetDescription: i.endTarget?.description,
    meansOfVerification: i.meansOfVerification,
    dataSource: i.dataSource,
    collectionFrequency: i.collectionFrequency,
    disaggregations: i.requiredDisaggregations?.length ? i.requiredDisaggregations.join(', ') : null,
    sdgIndicator: i.sdgIndicatorCode,
    standardIndicator: i.standardIndicatorId,
    id: i.id,
  };
}

const assumptionRow = (parent: string | null, a: AssumptionDoc): Row => ({
  level: LEVELS[a.kind],
  parent,
  statement: a.statement,
  likelihood: a.likelihood,
  impact: a.impact,
  mitigation: a.mitigation,
  id: a.id,
});

/** The Results chain rows in tree order, each with its level (for styling). */
function resultRows(doc: LogframeReadDocument, project: LogframeWorkbookProject): [Level, Row][] {
  const rows: [Level, Row][] = [];
  const push = (level: Level, row: Row) => rows.push([level, row]);
  const output = (o: OutputDoc, parent: string | null) => {
    push('output', {
      level: LEVELS.output,
      code: o.code,
      parent,
      statement: o.statement,
      sdgTargets: linksCell(o.sdgLinks),
      sdgRationales: rationalesCell(o.sdgLinks),
      id: o.id,
    });
    o.assumptions.forEach((a) => push(a.kind, assumptionRow(o.code, a)));
    o.indicators.forEach((i) => push('outputIndicator', indicatorRow('outputIndicator', o.code, i)));
    o.activities.forEach((a) =>
      push('activity', {
        level: LEVELS.activity,
        code: a.code,
        parent: o.code,
        statement: a.description,
        startDate: a.startDate ? excelDate(a.startDate) : null,
        endDate: a.endDate ? excelDate(a.endDate) : null,
        id: a.id,
      }),
    );
  };
  push('project', {
    level: LEVELS.project,
    code: project.code,
    statement: project.title,
    sdgTargets: linksCell(doc.sdgLinks),
    sdgRationales: rationalesCell(doc.sdgLinks),
  });
  doc.assumptions.forEach((a) => push(a.kind, assumptionRow(null, a)));
  for (const oc of doc.outcomes) {
    push('outcome', {
      level: LEVELS.outcome,
      code: oc.code,
      statement: oc.statement,
      sdgTargets: linksCell(oc.sdgLinks),
      sdgRationales: rationalesCell(oc.sdgLinks),
      id: oc.id,
    });
    oc.assumptions.forEach((a) => push(a.kind, assumptionRow(oc.code, a)));
    oc.indicators.forEach((i) => push('outcomeIndicator', indicatorRow('outcomeIndicator', oc.code, i)));
    oc.outputs.forEach((o) => output(o, oc.code));
  }
  doc.unlinkedOutputs.forEach((o) => output(o, null));
  doc.impactIndicators.forEach((i) => push('impactIndicator', indicatorRow('impactIndicator', null, i)));
  return rows;
}

function targetRows(doc: LogframeReadDocument): Row[] {
  const indicators = [
    ...doc.outcomes.flatMap((oc) => [...oc.indicators, ...oc.outputs.flatMap((o) => o.indicators)]),
    ...doc.unlinkedOutputs.flatMap((o) => o.indicators),
    ...doc.impactIndicators,
  ];
  return indicators.flatMap((i) =>
    i.periodTargets.map((t) => ({
      indicator: i.code,
      periodStart: excelDate(t.periodStart),
      periodEnd: excelDate(t.periodEnd),
      value: numberCell(t.value),
      numerator: numberCell(t.numerator),
      denominator: numberCell(t.denominator),
      description: t.description,
    })),
  );
}

/** A data sheet: styled header, frozen panes, widths, formats, drop-down lists and input hints. */
function dataSheet(
  book: ExcelJS.Workbook,
  name: string,
  columns: readonly ColumnSpec[],
  rows: Row[],
  frozenColumns: number,
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1, activeCell: 'A2' }],
  });
  sheet.columns = columns.map((c) => ({ key: c.key, header: c.header, width: c.width, hidden: c.hidden ?? false }));
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'top', wrapText: true };
  header.height = 32;
  for (const row of rows) sheet.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? null])));
  const last = rows.length + 1 + SPARE_ROWS;
  // Range validations exist at run time (exceljs 4.4) but are missing from its typings.
  const validations = (
    sheet as unknown as { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } }
  ).dataValidations;
  columns.forEach((c, index) => {
    const letter = columnLetter(index + 1);
    const column = sheet.getColumn(index + 1);
    if (c.kind === 'date') column.numFmt = 'yyyy-mm-dd';
    if (c.kind === 'integer') column.numFmt = '0';
    if (c.kind === 'text' || c.kind === 'rationales' || c.kind === 'labels')
      column.alignment = { vertical: 'top', wrapText: true };
    const range = `${letter}2:${letter}${last}`;
    if (c.kind === 'enum' && c.values) {
      validations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${c.values.join(',')}"`],
        showErrorMessage: true,
        errorTitle: c.header,
        error: `Choose one of: ${c.values.join(', ')}`,
      });
    } else if (c.kind === 'level') {
      const labels = Object.values(LEVELS);
      validations.add(range, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${labels.join(',')}"`],
        showErrorMessage: true,
        errorTitle: c.header,
        error: `Choose one of: ${labels.join(', ')}`,
      });
    } else if (c.prompt) {
      validations.add(range, {
        type: 'textLength',
        operator: 'lessThanOrEqual',
        formulae: [4000],
        allowBlank: true,
        showInputMessage: true,
        promptTitle: c.header,
        prompt: c.prompt,
      });
    }
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

function readmeSheet(book: ExcelJS.Workbook, doc: LogframeReadDocument, project: LogframeWorkbookProject): void {
  const sheet = book.addWorksheet(SHEET_README);
  sheet.columns = [{ width: 26 }, { width: 110 }];
  const facts: [string, string | number][] = [
    ['Project', `${project.code} — ${project.title}`],
    [README_PROJECT_ID, project.id],
    [README_VERSION, doc.version],
    ['Revision', `${doc.revision.number} (${doc.revision.status})`],
  ];
  const lines = [
    'How to edit this logframe',
    `"${SHEET_RESULTS}" has one row per element, in tree order: the project (its SDG targets), then each outcome with its assumptions/risks and indicators, each of its outputs with their assumptions/risks, indicators and activities; then outputs not linked to an outcome; then impact indicators.`,
    '"Parent code" places a row: an output under an outcome (empty: not linked yet), an activity under an output, an outcome indicator under an outcome, an output indicator under an output, an assumption or risk under an outcome or output (empty: the project). Impact indicators have no parent. Within a parent, rows keep the order of the sheet.',
    'The Project row shows the project code and title for reading only (edit the project itself in the tracker); its SDG targets are the project-level links.',
    'To add an element, add a row and leave "Id" empty (the hidden last column). To remove one, delete its row. Do not copy an Id to another row: the Id is how the tracker recognises an element, so its actuals and comments stay attached.',
    'Numbers are numbers, in the indicator unit; percentages on a 0–100 scale (45 means 45 %; a cell formatted as a percentage is read on the same scale). Percentage indicators may give a numerator and denominator instead of, or as well as, the value.',
    'Dates are Excel dates shown as YYYY-MM-DD; a text YYYY-MM-DD is accepted too.',
    `Lists: Measure ${MEASURES.join(', ')}; Direction increase, decrease; Aggregation sum (each period reports new results), latest (each period reports a level or running total); Collection frequency quarterly, semi_annual, annual, end_of_project; Likelihood and Impact low, medium, high; SDG contribution ${CONTRIBUTIONS.join(', ')}.`,
    'SDG targets: "16.4 primary; 5.2 secondary". SDG rationales: one line per target, "16.4: why". Scale labels (ordinal indicators): one line per point, "1 = none". Required disaggregations: comma-separated lower-case names, e.g. "sex, age".',
    `"${SHEET_TARGETS}" lists milestones: one row per indicator code and period.`,
    `Upload the edited workbook to replace the draft logframe: all or nothing. "${README_VERSION}" must still be the current version (someone else saving in between gives a conflict: export again). Each problem is reported with its sheet, row and column.`,
  ];
  sheet.addRow(['RBM Tracker logframe workbook']).font = { bold: true, size: 14 };
  sheet.addRow([]);
  for (const [label, value] of facts) {
    const row = sheet.addRow([label, value]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { horizontal: 'left' };
  }
  sheet.addRow([]);
  lines.forEach((text, i) => {
    const row = sheet.addRow([i === 0 ? text : null, i === 0 ? null : text]);
    if (i === 0) row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  });
}

/**
 * The logframe document as an .xlsx workbook (`GET /projects/:id/logframe.xlsx`): sheets
 * "Results chain" (one row per element, tree order; hidden Id column), "Period targets" and
 * "Read me" (instructions, project id and the logframe version a re-import must match). Numbers are
 * number cells (a decimal a double cannot hold exactly is written as text, read back exactly);
 * dates are Excel dates (UTC midnight, format yyyy-mm-dd).
 */
export async function writeLogframeWorkbook(
  doc: LogframeReadDocument,
  project: LogframeWorkbookProject,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'RBM Tracker';
  const results = resultRows(doc, project);
  const sheet = dataSheet(
    book,
    SHEET_RESULTS,
    RESULT_COLUMNS,
    results.map(([, row]) => row),
    2,
  );
  results.forEach(([level], i) => {
    const row = sheet.getRow(i + 2);
    const fill = LEVEL_FILL[level];
    if (fill)
      for (let c = 1; c <= RESULT_COLUMNS.length; c += 1)
        row.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    if (level === 'outcome' || level === 'project') row.font = { bold: true };
  });
  dataSheet(book, SHEET_TARGETS, TARGET_COLUMNS, targetRows(doc), 1);
  readmeSheet(book, doc, project);
  return Buffer.from(await book.xlsx.writeBuffer());
}
