import ExcelJS from 'exceljs';
import type { PortfolioReportContent } from '../portfolio-report.js';
import { reportRows } from '../project-report.js';
import { safeCsvText } from '../report-csv.js';
import { INDICATOR_STATUSES, xlsxNumberFormat } from '#libs/calculations';
import { codeLabel, type ReportLanguage, reportText, statusText } from '../labels.js';
import { disaggregationText, NARRATIVE_PARTS } from '../report-csv.js';
import { STATUS_ORDER } from './presentation.js';
import { type RenderOptions, XLSX_PERCENT_FORMAT } from './report-xlsx.js';

const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? v : safeCsvText(String(v)));
const scopeTitle = (c: PortfolioReportContent, lang: ReportLanguage = 'en') => {
  const kind = codeLabel('scope', c.scope.type, lang).toLowerCase();
  const restriction = c.scope.restrictedTo?.length
    ? ` (restricted to ${c.scope.restrictedTo.map((u) => `${u.code} ${u.name}`).join(', ')} and the units below)`
    : '';
  return `${kind[0].toUpperCase()}${kind.slice(1)} report: ${c.scope.name}${restriction}`;
};

/** A portfolio workbook being written: its language, status labels and the sheet factory. */
interface PortfolioBook {
  workbook: ExcelJS.Workbook;
  lang: ReportLanguage;
  statusLabels: Record<(typeof INDICATOR_STATUSES)[number], string>;
  sheet: (
    name: string,
    columns: { header: string; key: string; width: number; numFmt?: string; exact?: boolean }[],
  ) => ExcelJS.Worksheet;
}

/**
 * A new workbook whose sheets have a bold, frozen header row in the language asked; columns marked
 * `exact` format each number to show exactly what it is.
 */
function portfolioBook(lang: ReportLanguage): PortfolioBook {
  const statusLabels = Object.fromEntries(INDICATOR_STATUSES.map((s) => [s, statusText(s, lang)])) as Record<
    (typeof INDICATOR_STATUSES)[number],
    string
  >;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'RBM Tracker';
  /** Columns of entered or computed values: each number is formatted to show exactly what it is. */
  const exactKeys = new Map<ExcelJS.Worksheet, string[]>();
  const sheet = (
    name: string,
    columns: { header: string; key: string; width: number; numFmt?: string; exact?: boolean }[],
  ) => {
    const ws = workbook.addWorksheet(reportText(name, lang), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({
      header: reportText(c.header, lang),
      key: c.key,
      width: c.width,
      style: c.numFmt ? { numFmt: c.numFmt } : {},
    }));
    ws.getRow(1).font = { bold: true };
    exactKeys.set(
      ws,
      columns.filter((c) => c.exact).map((c) => c.key),
    );
    const addRow = ws.addRow.bind(ws);
    ws.addRow = ((data: Record<string, unknown>) => {
      const row = addRow(data);
      for (const key of exactKeys.get(ws) ?? []) {
        const cell = row.getCell(key);
        if (typeof cell.value === 'number') cell.numFmt = xlsxNumberFormat(cell.value);
      }
      return row;
    }) as typeof ws.addRow;
    return ws;
  };
  return { workbook, lang, statusLabels, sheet };
}

/** The Summary sheet: scope, quarter, completeness and indicators per status. */
function summarySheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang, statusLabels } = b;
  const summary = sheet('Summary', [
    { header: 'Item', key: 'item', width: 32 },
    { header: 'Value', key: 'value', width: 80 },
  ]);
  const facts: [string, unknown][] = [
    ['Scope', scopeTitle(content, lang)],
    ['Quarter', `${content.quarter.label} (${content.quarter.start}..${content.quarter.end})`],
    ['As-of date', content.asOfDate],
    ['Thresholds version', content.thresholds.version],
    ['For donors', content.internal ? `No: ${content.internalReasons.join('; ')}` : 'Yes'],
    ['Projects', content.completeness.projects],
    ['Projects with figures', content.completeness.included],
    ['Validated', content.completeness.validated.join(', ')],
    ['Not validated by the cut-off', content.completeness.notValidated.join(', ')],
    ['Logframe not approved', content.completeness.notApproved.join(', ')],
    ['Overdue indicators', content.completeness.overdueIndicators],
    ['Indicators without data', content.completeness.noDataIndicators],
    ...STATUS_ORDER.map((s): [string, unknown] => [
      `${reportText('Indicators', lang)} ${statusLabels[s].toLowerCase()}`,
      content.statusCounts[s],
    ]),
  ];
  for (const [item, value] of facts) summary.addRow({ item: reportText(item, lang), value: text(value) });
}

/** The Projects sheet: funders, revision, validation, figures included or why not. */
function projectsSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang } = b;
  const projects = sheet('Projects', [
    { header: 'Project', key: 'code', width: 22 },
    { header: 'Title', key: 'title', width: 50 },
    { header: 'Funded by', key: 'funders', width: 30 },
    { header: 'Revision', key: 'revision', width: 16 },
    { header: 'Quarter', key: 'validation', width: 16 },
    { header: 'Figures included', key: 'included', width: 16 },
    { header: 'Why not', key: 'reason', width: 40 },
  ]);
  for (const p of content.projects) {
    projects.addRow({
      code: text(p.code),
      title: text(p.title),
      funders: text(p.fundedBy.map((d) => d.name).join(', ')),
      revision: `${p.revision.number} (${codeLabel('revisionStatus', p.revision.status, lang)})`,
      validation: `${codeLabel('quarterStatus', p.validation.status, lang)}${p.validation.restated ? `, ${codeLabel('flag', 'restated', lang).toLowerCase()}` : ''}`,
      included: reportText(p.included ? 'Yes' : 'No', lang),
      reason: text(p.excludedReason),
    });
  }
}

/** The Indicators sheet: every included project's indicator rows, each naming its project. */
function indicatorsSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, statusLabels } = b;
  const indicators = sheet('Indicators', [
    { header: 'Project', key: 'project', width: 22 },
    { header: 'Outcome', key: 'outcome', width: 10 },
    { header: 'Output', key: 'output', width: 10 },
    { header: 'Indicator', key: 'code', width: 12 },
    { header: 'Title', key: 'title', width: 50 },
    { header: 'Unit', key: 'unit', width: 14 },
    { header: 'Baseline', key: 'baseline', width: 12, exact: true },
    { header: 'End target', key: 'end', width: 12, exact: true },
    { header: 'Target to date', key: 'target', width: 14, exact: true },
    { header: 'Actual to date', key: 'actual', width: 14, exact: true },
    { header: 'Achievement %', key: 'achievement', width: 14, numFmt: XLSX_PERCENT_FORMAT },
    { header: 'Progress to end target %', key: 'progress', width: 14, numFmt: XLSX_PERCENT_FORMAT },
    { header: 'Status', key: 'status', width: 14 },
    { header: 'Explanation of variance', key: 'variance', width: 50 },
    { header: 'Disaggregated values to date', key: 'disaggregation', width: 30 },
  ]);
  for (const p of content.projects.filter((x) => x.report)) {
    for (const { outcome, output, row } of reportRows(p.report!)) {
      indicators.addRow({
        project: text(p.code),
        outcome: text(outcome),
        output: text(output),
        code: text(row.code),
        title: text(row.title),
        unit: text(row.unit),
        baseline: row.baseline,
        end: typeof row.endTarget === 'number' ? row.endTarget : text(row.endTarget),
        target: typeof row.targetToDate === 'number' ? row.targetToDate : text(row.targetToDate),
        actual: typeof row.actualToDate === 'number' ? row.actualToDate : text(row.actualToDate),
        achievement: row.achievementPercent,
        progress: row.progressPercent,
        status: statusLabels[row.status],
        variance: text(row.varianceExplanation),
        disaggregation: text(disaggregationText(row.disaggregations)),
      });
    }
  }
}

/** The Narrative sheet (projects with a quarterly narrative), when any has one. */
function narrativeSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang } = b;
  const narratives = content.projects.filter((p) => p.narrative);
  if (narratives.length) {
    const labels: Record<(typeof NARRATIVE_PARTS)[number][0], string> = {
      progressSummary: 'Progress summary',
      challenges: 'Challenges',
      lessonsLearned: 'Lessons learned',
      nextQuarter: 'Next quarter',
    };
    const narrative = sheet('Narrative', [
      { header: 'Project', key: 'project', width: 22 },
      { header: 'Item', key: 'item', width: 24 },
      { header: 'Text', key: 'text', width: 110 },
    ]);
    for (const p of narratives)
      for (const [key] of NARRATIVE_PARTS)
        if (p.narrative![key])
          narrative.addRow({
            project: text(p.code),
            item: reportText(labels[key], lang),
            text: text(p.narrative![key]),
          });
  }
}

/** The Assumptions and risks sheet with the update of the quarter. */
function risksSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang } = b;
  const risks = sheet('Assumptions and risks', [
    { header: 'Project', key: 'project', width: 22 },
    { header: 'Element', key: 'element', width: 12 },
    { header: 'Kind', key: 'kind', width: 12 },
    { header: 'Statement', key: 'statement', width: 60 },
    { header: 'Update this quarter', key: 'status', width: 18 },
    { header: 'Note', key: 'note', width: 60 },
  ]);
  for (const p of content.projects.filter((x) => x.report))
    for (const a of p.report!.assumptions)
      risks.addRow({
        project: text(p.code),
        element: text(a.element),
        kind: codeLabel('assumptionKind', a.kind, lang),
        statement: text(a.statement),
        status: a.update ? codeLabel('assumptionStatus', a.update.status, lang) : '',
        note: text(a.update?.note),
      });
}

/** The Roll-ups sheet: combined only through standard indicators. */
function rollUpsSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang, statusLabels } = b;
  const rollUps = sheet('Roll-ups', [
    { header: 'Standard indicator', key: 'standard', width: 38 },
    { header: 'Projects', key: 'projects', width: 30 },
    { header: 'Combined actual to date', key: 'actual', width: 18, exact: true },
    { header: 'Combined target to date', key: 'target', width: 18, exact: true },
    { header: 'Achievement %', key: 'achievement', width: 14, numFmt: XLSX_PERCENT_FORMAT },
    { header: 'Combined baseline', key: 'baseline', width: 18, exact: true },
    { header: 'Combined status', key: 'status', width: 16 },
    { header: 'Unit', key: 'unit', width: 14 },
    { header: 'Not combined because', key: 'reason', width: 50 },
    { header: 'Notes', key: 'notes', width: 60 },
  ]);
  for (const r of content.rollUps) {
    rollUps.addRow({
      standard: text(
        r.standardIndicator
          ? `${r.standardIndicator.code} ${r.standardIndicator.title}`
          : reportText('(not mapped)', lang),
      ),
      projects: text(r.projects.map((p) => p.projectCode).join(', ')),
      actual: r.combinedActualToDate,
      target: r.combinedTargetToDate,
      achievement: r.combinedAchievementPercent,
      baseline: r.combinedBaseline,
      status: r.combinedStatus ? statusLabels[r.combinedStatus] : '',
      unit: text(r.measure === 'percentage' ? '%' : r.unit),
      reason: text(r.notCombinedReason),
      notes: text(r.notes.join(' ')),
    });
  }
}

/** The SDG contributions sheet (SDG target reports). */
function sdgSheet(b: PortfolioBook, content: PortfolioReportContent): void {
  const { sheet, lang, statusLabels } = b;
  if (content.sdgContributions) {
    const sdg = sheet('SDG contributions', [
      { header: 'Project', key: 'project', width: 22 },
      { header: 'Element', key: 'element', width: 14 },
      { header: 'Code', key: 'code', width: 12 },
      { header: 'Statement', key: 'statement', width: 60 },
      { header: 'Contribution', key: 'contribution', width: 14 },
      { header: 'Indicators and statuses', key: 'indicators', width: 60 },
    ]);
    for (const c of content.sdgContributions) {
      sdg.addRow({
        project: text(c.projectCode),
        element: codeLabel('level', c.elementType, lang),
        code: text(c.elementCode),
        statement: text(c.statement),
        contribution: text(c.contribution),
        indicators: text(c.indicators.map((i) => `${i.code}: ${statusLabels[i.status]}`).join('; ')),
      });
    }
  }
}

/**
 * A multi-project report (donor, programme, org unit, SDG target) as XLSX: "Summary" (scope, quarter,
 * completeness), "Projects" (funders, revision, validation, included or why not), "Indicators" (every
 * included project's indicator rows, each naming its project), "Roll-ups" (combined only through
 * standard indicators) and, for SDG targets, "SDG contributions". Frozen headers, number formats;
 * text cells neutralised against formula injection.
 */
export async function renderPortfolioXlsx(
  content: PortfolioReportContent,
  options: RenderOptions = {},
): Promise<Buffer> {
  const book = portfolioBook(options.lang ?? 'en');
  for (const write of [
    summarySheet,
    projectsSheet,
    indicatorsSheet,
    narrativeSheet,
    risksSheet,
    rollUpsSheet,
    sdgSheet,
  ])
    write(book, content);
  return Buffer.from(await book.workbook.xlsx.writeBuffer());
}
