import PDFDocument from 'pdfkit';
import type { IndicatorStatus } from '#libs/calculations';
import { codeLabel, cumulativeFigures, targetToDateText } from '../labels.js';
import type {
  ProjectReportContent,
  ReportIndicatorRow,
  ReportOutcomeSection,
  ReportOutputSection,
} from '../project-report.js';
import {
  END_TARGET,
  FONT_BOLD,
  FONT_ITALIC,
  MUTED,
  NAVY,
  PANEL,
  PdfWriter,
  RULE,
  TARGET_TO_DATE,
  TEXT,
  type TableCell,
  type TableColumn,
  type TextStyle,
} from './pdf-writer.js';
import { assumptionsSection, narrativeOf, narrativeSection } from './pdf-sections.js';
import {
  countTotal,
  formatDate,
  formatPercent,
  formatPeriod,
  formatValue,
  isQuantitative,
  STATUS_COLOURS,
  STATUS_LABELS,
  STATUS_ORDER,
  statusLabel,
  revisionText,
  thresholdsText,
  validationText,
} from './presentation.js';

/** Media type of the report PDF. */
export const REPORT_PDF_MEDIA_TYPE = 'application/pdf';

/** The banner of a report that must not go to donors (cover page and every footer). */
export const INTERNAL_BANNER = 'INTERNAL – not for donors';

/**
 * Lets timers and I/O run between parts of a long synchronous layout (a worker renews its job lock
 * meanwhile; BullMQ would take a job whose lock lapsed for stalled).
 */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Options of {@link renderReportPdf}. */
export interface RenderReportPdfOptions {
  /**
   * The PDF's creation date (document info). Default: the report's as-of date at 00:00 UTC, so the
   * same content always gives the same bytes (the stored file's content hash stays stable).
   */
  creationDate?: Date;
  /** Called with the code points no embedded font covers (drawn as boxes and named in the PDF's rendering notes). */
  onMissingCharacters?: (codePoints: number[]) => void;
}

/** Code points as `U+0378, U+E000`. */
export function missingCharactersText(codePoints: number[]): string {
  return codePoints.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
}

const A4 = 'A4';
const MARGINS = { top: 54, bottom: 64, left: 50, right: 50 };

/** The indicator table's columns (widths are relative). */
const INDICATOR_COLUMNS: TableColumn[] = [
  { header: 'Code', width: 48 },
  { header: 'Indicator', width: 142 },
  { header: 'Baseline', width: 50, align: 'right' },
  { header: 'Target to date', width: 54, align: 'right' },
  { header: 'Actual to date', width: 54, align: 'right' },
  { header: 'Achieve-ment', width: 46, align: 'right' },
  { header: 'Progress to end target', width: 48, align: 'right' },
  { header: 'Status', width: 72 },
];

function indicatorCells(row: ReportIndicatorRow): TableCell[] {
  const unit = row.unit && row.measure !== 'percentage' ? `\n(${row.unit})` : '';
  return [
    row.code,
    `${row.title}${unit}`,
    formatValue(row.baseline, row),
    formatValue(row.targetToDate, row),
    formatValue(row.actualToDate, row),
    formatPercent(row.achievementPercent),
    formatPercent(row.progressPercent),
    { status: row.status },
  ];
}

const countsText = (counts: Record<IndicatorStatus, number>) =>
  STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} ${STATUS_LABELS[s].toLowerCase()}`)
    .join(', ') || 'no indicators';

/** Renders the document; see {@link renderReportPdf}. */
class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  readonly w: PdfWriter;

  constructor(
    private readonly content: ProjectReportContent,
    creationDate: Date,
    private readonly onMissingCharacters?: (codePoints: number[]) => void,
  ) {
    const { scope, quarter } = content;
    this.doc = new PDFDocument({
      size: A4,
      margins: MARGINS,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang: 'en',
      info: {
        Title: `${scope.code} – ${scope.title} – quarterly report ${quarter.label}`,
        Author: 'RBM Tracker',
        Subject: `Quarterly outcome-level report, ${quarter.label}${content.internal ? ` (${INTERNAL_BANNER})` : ''}`,
        Keywords: `results-based management; ${scope.code}; ${quarter.label}`,
        CreationDate: creationDate,
        ModDate: creationDate,
      },
    });
    this.w = new PdfWriter(this.doc, (w) => this.runningHeader(w));
  }

  /** A small running header on every page after the cover. */
  private runningHeader(w: PdfWriter): void {
    const { scope, quarter } = this.content;
    const s: TextStyle = { size: 7.5, colour: MUTED };
    w.textAt(`${scope.code} · ${scope.title}`, w.left, 30, w.width - 110, { ...s }, 10);
    w.textAt(`Quarterly report ${quarter.label}`, w.right - 110, 30, 110, { ...s, align: 'right' }, 10);
    this.doc.moveTo(w.left, 42).lineTo(w.right, 42).lineWidth(0.4).strokeColor(RULE).stroke();
  }

  async render(): Promise<void> {
    this.cover();
    await yieldToEventLoop();
    this.w.newPage();
    if (narrativeOf(this.content)) {
      this.doc.outline.addItem('Quarterly narrative');
      narrativeSection(this.w, this.content, 18);
      this.w.y += 6;
    }
    this.statusSummary();
    if (this.content.impactIndicators.length > 0) {
      this.doc.outline.addItem('Impact indicators');
      this.w.heading('Impact indicators', 12, 120);
      this.indicatorTable(this.content.impactIndicators, 'Impact indicators');
      await this.indicatorDetails(this.content.impactIndicators);
    }
    for (const outcome of this.content.outcomes) {
      await yieldToEventLoop();
      this.w.newPage();
      await this.outcome(outcome);
    }
    if (this.content.unlinkedOutputs.length > 0) {
      this.doc.outline.addItem('Outputs not linked to an outcome');
      this.w.heading('Outputs not yet linked to an outcome', 16, 160);
      for (const output of this.content.unlinkedOutputs) await this.output(output);
    }
    if (this.content.assumptions.length > 0) {
      this.doc.outline.addItem('Assumptions and risks');
      assumptionsSection(this.w, this.content, 16);
    }
    await yieldToEventLoop();
    this.renderingNotes();
    this.footers();
    this.w.finish();
  }

  /** Characters no embedded font has are drawn as boxes: named at the end and handed to `onMissingCharacters`. */
  private renderingNotes(): void {
    const missing = [...this.w.text.missing];
    if (missing.length === 0) return;
    this.onMissingCharacters?.(missing);
    this.w.heading('Rendering notes', 11, 40, TEXT);
    this.w.paragraph(
      `Characters without a font in this PDF, shown as boxes: ${missingCharactersText(missing)}.`,
      { size: 8.5, colour: MUTED },
      6,
    );
  }

  private cover(): void {
    const { w, doc, content } = this;
    const { scope, quarter } = content;
    doc.outline.addItem('Cover');
    // Title band across the top of the page.
    doc.rect(0, 0, doc.page.width, 150).fill(NAVY);
    w.textAt('QUARTERLY OUTCOME-LEVEL REPORT', w.left, 48, w.width, { size: 10, font: FONT_BOLD, colour: '#BDD7EE' });
    w.textAt(`${quarter.label}  ·  ${formatPeriod(quarter)}`, w.left, 66, w.width, {
      size: 16,
      font: FONT_BOLD,
      colour: '#FFFFFF',
    });
    w.textAt(`Results-based management report prepared with RBM Tracker`, w.left, 92, w.width, {
      size: 9,
      colour: '#DDEBF7',
    });
    w.y = 180;
    const titleStyle: TextStyle = { size: 22, font: FONT_BOLD, colour: TEXT, lineGap: 2, tag: 'H1' };
    w.y += w.textAt(scope.title, w.left, w.y, w.width, titleStyle, 200) + 8;
    const ids = [`Project ${scope.code}`, scope.iatiIdentifier ? `IATI identifier ${scope.iatiIdentifier}` : null]
      .filter(Boolean)
      .join('   ·   ');
    w.y += w.textAt(ids, w.left, w.y, w.width, { size: 11, colour: MUTED }) + 18;

    if (content.internal) {
      const reasons = content.internalReasons.map((r) => `•  ${r}`).join('\n') || '•  Not yet approved and validated';
      const reasonsHeight = w.measure(reasons, { size: 9.5 }, w.width - 28);
      const height = 16 + 18 + reasonsHeight + 14;
      doc.rect(w.left, w.y, w.width, height).fill('#C00000');
      w.textAt(INTERNAL_BANNER, w.left + 14, w.y + 12, w.width - 28, { size: 15, font: FONT_BOLD, colour: '#FFFFFF' });
      w.textAt(reasons, w.left + 14, w.y + 34, w.width - 28, { size: 9.5, colour: '#FFFFFF' });
      w.y += height + 12;
    } else {
      const text = `Donor-ready: approved logframe revision ${content.revision.number}; progress for ${quarter.label} validated.`;
      const height = w.measure(text, { size: 10, font: FONT_BOLD }, w.width - 28) + 16;
      doc.rect(w.left, w.y, w.width, height).fill('#E2F0D9');
      doc.rect(w.left, w.y, 4, height).fill(STATUS_COLOURS.on_track);
      w.textAt(text, w.left + 14, w.y + 8, w.width - 28, { size: 10, font: FONT_BOLD, colour: '#1B5E20' });
      w.y += height + 12;
    }
    if (content.validation.restated) {
      const again =
        content.validation.status === 'validated'
          ? 'and validated again; figures in this report replace earlier editions.'
          : `and is now ${statusLabel(content.validation.status).toLowerCase()}; figures may still change.`;
      const text =
        `Restated. Progress for ${quarter.label} was reopened after validation ${again}` +
        (content.validation.reopenReason ? ` Reason for reopening: ${content.validation.reopenReason}` : '');
      const height = w.measure(text, { size: 9.5 }, w.width - 28) + 16;
      doc.rect(w.left, w.y, w.width, height).fill('#FFF4D6');
      doc.rect(w.left, w.y, 4, height).fill(STATUS_COLOURS.at_risk);
      w.textAt(text, w.left + 14, w.y + 8, w.width - 28, { size: 9.5, colour: TEXT });
      w.y += height + 12;
    }

    w.y += 6;
    const facts: [string, string][] = [
      ['Reporting quarter', `${quarter.label} (${formatPeriod(quarter)})`],
      ['As-of date', formatDate(content.asOfDate)],
      ['Logframe revision', revisionText(content)],
      ['Validation', validationText(content)],
      ['Status thresholds', thresholdsText(content)],
      ['SDG targets', content.sdgTargets.join(', ') || 'none linked'],
      [
        'Results reported',
        `${content.outcomes.length} outcome${content.outcomes.length === 1 ? '' : 's'}, ${content.summary.indicators} indicators`,
      ],
    ];
    const labelWidth = 120;
    for (const [label, value] of facts) {
      const h = Math.max(w.measure(value, { size: 10 }, w.width - labelWidth), 12);
      w.ensure(h + 8);
      w.textAt(label, w.left, w.y, labelWidth - 8, { size: 10, font: FONT_BOLD, colour: MUTED });
      w.textAt(value, w.left + labelWidth, w.y, w.width - labelWidth, { size: 10, colour: TEXT });
      w.y += h + 6;
      doc
        .moveTo(w.left, w.y - 3)
        .lineTo(w.right, w.y - 3)
        .lineWidth(0.3)
        .strokeColor(RULE)
        .stroke();
    }
    const sha = content.revision.snapshotSha256;
    const note =
      `Figures are computed by RBM Tracker (calculation version ${content.calculationVersion}) from the logframe revision's snapshot` +
      `${sha ? ` (SHA-256 ${sha})` : ''} and the progress data reported up to the as-of date. Percentages are rounded to one decimal.`;
    const noteHeight = w.measure(note, { size: 7.5 });
    const noteY = Math.max(w.y + 12, w.bottom - noteHeight);
    if (noteY + noteHeight <= w.bottom) w.textAt(note, w.left, noteY, w.width, { size: 7.5, colour: MUTED });
  }

  private statusSummary(): void {
    const { w, content } = this;
    this.doc.outline.addItem('Status summary');
    w.heading('Status summary', 18, 120);
    const counts = content.summary.statusCounts;
    w.paragraph(
      `Status of the ${content.summary.indicators} indicators of the logframe as of ${formatDate(content.asOfDate)}: ${countsText(counts)}. ` +
        `An indicator's status compares its actual to date with its target to date (status thresholds ${thresholdsText(content)}).`,
      { size: 9.5, colour: TEXT, lineGap: 2 },
      10,
    );
    w.heading('Indicators by status', 11, 150, TEXT);
    w.statusBarChart(counts);
    w.legend();
    w.y += 6;
    const t = content.thresholds;
    const meanings: [IndicatorStatus, string][] = [
      ['exceeded', `achievement above ${t.exceededAbove} % of the target to date`],
      ['on_track', `achievement from ${t.onTrackFrom} % to ${t.exceededAbove} %`],
      ['at_risk', `achievement from ${t.atRiskFrom} % to below ${t.onTrackFrom} %`],
      ['off_track', `achievement below ${t.atRiskFrom} %`],
      ['no_data', 'nothing reported up to the as-of date'],
      ['not_assessable', 'data reported but not yet comparable with a target'],
    ];
    w.paragraph(
      meanings.map(([s, m]) => `${STATUS_LABELS[s]}: ${m}.`).join('  '),
      { size: 7.5, colour: MUTED, lineGap: 1 },
      12,
    );

    w.heading('Outcomes at a glance', 12, 80);
    w.table(
      [
        { header: 'Outcome', width: 50 },
        { header: 'Statement', width: 220 },
        { header: 'Indicators by status', width: 90 },
        { header: 'Computed status', width: 68 },
        { header: "Manager's rating", width: 68 },
      ],
      content.outcomes.map((o) => [
        o.code,
        o.statement,
        { counts: o.statusCounts },
        { status: o.computedStatus },
        { status: o.rating?.rating ?? null },
      ]),
      { continued: 'Outcomes at a glance' },
    );
    const outputs = [
      ...content.outcomes.flatMap((o) => o.outputs.map((p) => ({ outcome: o.code, output: p }))),
      ...content.unlinkedOutputs.map((p) => ({ outcome: '–', output: p })),
    ];
    if (outputs.length > 0) {
      w.heading('Outputs at a glance', 12, 80);
      w.table(
        [
          { header: 'Outcome', width: 50 },
          { header: 'Output', width: 50 },
          { header: 'Statement', width: 250 },
          { header: 'Indicators by status', width: 120 },
        ],
        outputs.map(({ outcome, output }) => [outcome, output.code, output.statement, { counts: output.statusCounts }]),
        { continued: 'Outputs at a glance' },
      );
    }
  }

  private async outcome(outcome: ReportOutcomeSection): Promise<void> {
    const { w, doc } = this;
    doc.outline.addItem(`Outcome ${outcome.code}`);
    w.textAt(`OUTCOME ${outcome.code}`, w.left, w.y, w.width, { size: 9, font: FONT_BOLD, colour: NAVY });
    w.y += 13;
    w.paragraph(outcome.statement, { size: 14, font: FONT_BOLD, colour: TEXT, lineGap: 2 }, 4);
    w.paragraph(`SDG targets: ${outcome.sdgTargets.join(', ') || 'none linked'}`, { size: 9, colour: MUTED }, 10);

    // Computed status beside the manager's rating, with the justification below.
    const justification = outcome.rating
      ? `Justification: ${outcome.rating.justification || '(none given)'}`
      : 'The project manager has not yet rated this outcome for the quarter.';
    const jHeight = w.measure(justification, { size: 9, font: FONT_ITALIC }, w.width - 24);
    const boxHeight = 12 + 14 + 8 + jHeight + 10;
    w.ensure(boxHeight + 10);
    doc.rect(w.left, w.y, w.width, boxHeight).fill(PANEL);
    const half = w.width / 2;
    w.textAt('Computed status', w.left + 12, w.y + 12, 90, { size: 9, font: FONT_BOLD, colour: MUTED });
    w.chip(w.left + 100, w.y + 10.5, outcome.computedStatus, 8);
    w.textAt("Manager's rating", w.left + half, w.y + 12, 90, { size: 9, font: FONT_BOLD, colour: MUTED });
    if (outcome.rating) w.chip(w.left + half + 88, w.y + 10.5, outcome.rating.rating, 8);
    else w.textAt('not yet rated', w.left + half + 88, w.y + 12, 100, { size: 9, font: FONT_ITALIC, colour: MUTED });
    w.textAt(justification, w.left + 12, w.y + 34, w.width - 24, { size: 9, font: FONT_ITALIC, colour: TEXT });
    w.y += boxHeight + 10;

    w.heading(`Indicators by status (${countTotal(outcome.statusCounts)} outcome indicators)`, 10.5, 140, TEXT);
    w.statusBarChart(outcome.statusCounts, { barHeight: 10, gap: 4 });
    w.legend();

    if (outcome.indicators.length > 0) {
      w.heading(`Outcome indicators of ${outcome.code}`, 11.5, 70);
      this.indicatorTable(outcome.indicators, `Outcome indicators of ${outcome.code}`);
      await this.indicatorDetails(outcome.indicators);
    }
    for (const output of outcome.outputs) await this.output(output);
  }

  private async output(output: ReportOutputSection): Promise<void> {
    const { w } = this;
    w.heading(`Output ${output.code}`, 12.5, 90);
    w.paragraph(output.statement, { size: 10, font: FONT_BOLD, colour: TEXT, lineGap: 1.5 }, 3);
    w.paragraph(`Indicators by status: ${countsText(output.statusCounts)}.`, { size: 8.5, colour: MUTED }, 6);
    if (output.indicators.length === 0) return;
    this.indicatorTable(output.indicators, `Indicators of output ${output.code}`);
    await this.indicatorDetails(output.indicators);
  }

  private indicatorTable(rows: ReportIndicatorRow[], title: string): void {
    this.w.table(INDICATOR_COLUMNS, rows.map(indicatorCells), { continued: title });
  }

  /** Per indicator: a chart of actual to date against the targets (quantitative), key figures, variance explanation. */
  private async indicatorDetails(rows: ReportIndicatorRow[]): Promise<void> {
    const { w } = this;
    if (rows.length === 0) return;
    // Keep the heading with the first block.
    w.heading('Progress against targets', 10, detailLayout(w, rows[0]).height + 8, TEXT);
    for (const row of rows) {
      await yieldToEventLoop();
      indicatorDetail(w, row);
    }
  }

  /** Footer on every page: report identity with the whole as-of date, the internal banner when internal, `Page n of N`. */
  private footers(): void {
    const { doc, content } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      this.w.footer(
        [
          content.scope.code,
          content.quarter.label,
          `as of ${formatDate(content.asOfDate)}`,
          `revision ${content.revision.number}`,
        ],
        content.internal ? INTERNAL_BANNER : null,
        `Page ${i - range.start + 1} of ${range.count}`,
      );
    }
  }
}

/**
 * Renders a project's quarterly outcome-level report (DESIGN.md §6) as a donor-ready A4 PDF:
 * a cover page (project title and code, quarter and period, as-of date, revision and approver,
 * the `INTERNAL – not for donors` banner with its reasons when `content.internal`, the restatement
 * note when restated); a status summary page (indicators per status as a horizontal bar chart with
 * a legend, outcomes and outputs at a glance); per outcome a section with its statement, SDG
 * targets, computed status beside the manager's rating, a bar chart of its indicators by status, a
 * table of its indicators and, per indicator, a chart of actual to date against target to date and
 * end target (quantitative indicators) with the variance explanation; then each output likewise.
 *
 * Fonts: embedded Noto fonts for every script (see `pdf-text.ts`); tagged for screen readers. Tables
 * continue on the next page with their header; page numbers in the footer. Percents are on a
 * 0–100 scale with 1 dp. Pure: no database.
 *
 * @returns the PDF file bytes (media type {@link REPORT_PDF_MEDIA_TYPE})
 */
export async function renderReportPdf(
  content: ProjectReportContent,
  options: RenderReportPdfOptions = {},
): Promise<Buffer> {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(content.asOfDate);
  const creationDate =
    options.creationDate ?? (m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(0));
  const report = new ReportPdf(content, creationDate, options.onMissingCharacters);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    report.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    report.doc.on('end', () => resolve(Buffer.concat(chunks)));
    report.doc.on('error', reject);
  });
  await report.render();
  report.doc.end();
  return done;
}

/** What an indicator's block holds and how tall it is (points). */
function detailLayout(w: PdfWriter, row: ReportIndicatorRow) {
  const inner = w.width - 20;
  const titleStyle: TextStyle = { size: 9, font: FONT_BOLD, colour: TEXT };
  const title = `${row.code}  ${row.title}${row.unit && row.measure === 'number' ? ` (${row.unit})` : ''}`;
  const titleHeight = w.measure(title, titleStyle, inner - 90);
  const quantitative = isQuantitative(row);
  const chartHeight = quantitative ? 3 * 15 - 5 + (typeof row.baseline === 'number' ? 11 : 0) + 8 : 0;
  const figures = figuresText(row, quantitative);
  const figuresHeight = w.measure(figures, { size: 8 }, inner);
  const variance = row.varianceExplanation ? `Variance explanation: ${row.varianceExplanation}` : null;
  const varianceStyle: TextStyle = { size: 8.5, font: FONT_ITALIC, colour: TEXT };
  const varianceHeight = variance ? w.measure(variance, varianceStyle, inner - 12) + 8 : 0;
  const notes = [
    row.statusNote,
    row.flags.length ? `Flags: ${row.flags.map((f) => codeLabel('flag', f)).join(', ')}` : null,
  ]
    .filter(Boolean)
    .join('  ·  ');
  const notesHeight = notes ? w.measure(notes, { size: 7.5 }, inner) + 2 : 0;
  const base = 8 + titleHeight + 6 + chartHeight + figuresHeight + notesHeight + 8;
  // A variance explanation too long for one page flows as a paragraph after the box.
  const varianceInBox = variance !== null && base + varianceHeight + 4 <= w.pageHeight;
  const height = base + (varianceInBox ? varianceHeight + 4 : 0);
  return {
    inner,
    titleStyle,
    title,
    titleHeight,
    quantitative,
    figures,
    figuresHeight,
    variance,
    varianceStyle,
    varianceHeight,
    varianceInBox,
    notes,
    height,
  };
}

/**
 * One indicator's block at the cursor: title with its status chip, a chart of actual to date
 * against target to date and end target (quantitative indicators, baseline marked), key figures,
 * the variance explanation and notes. Kept on one page when it fits.
 */
export function indicatorDetail(w: PdfWriter, row: ReportIndicatorRow): void {
  const doc = w.doc;
  const l = detailLayout(w, row);
  w.ensure(l.height + 6);
  const top = w.y;
  doc.rect(w.left, top, w.width, l.height).lineWidth(0.5).strokeColor(RULE).stroke();
  doc.rect(w.left, top, 3, l.height).fill(STATUS_COLOURS[row.status]);
  let y = top + 8;
  w.textAt(l.title, w.left + 10, y, l.inner - 90, l.titleStyle);
  w.chip(
    w.right - 10 - (w.textWidth(STATUS_LABELS[row.status], { size: 7.5, font: FONT_BOLD }) + 10),
    y - 1,
    row.status,
  );
  y += l.titleHeight + 6;
  if (l.quantitative) {
    const num = (v: number | string | null) => (typeof v === 'number' ? v : null);
    const bars = [
      {
        label: 'Actual to date',
        value: num(row.actualToDate),
        text: row.actualToDate === null ? 'no actual reported' : formatValue(row.actualToDate, row, true),
        colour: STATUS_COLOURS[row.status],
      },
      {
        label: 'Target to date',
        value: num(row.targetToDate),
        text: targetToDateText(row),
        colour: TARGET_TO_DATE,
      },
      {
        label: 'End target',
        value: num(row.endTarget),
        text: row.endTarget === null ? 'no end target set' : formatValue(row.endTarget, row, true),
        colour: END_TARGET,
      },
    ];
    const marker =
      typeof row.baseline === 'number'
        ? {
            value: row.baseline,
            label: `baseline ${formatValue(row.baseline, row)}${row.baselineYear ? ` (${row.baselineYear})` : ''}${row.direction === 'decrease' ? ' · lower is better' : ''}`,
          }
        : undefined;
    y += w.valueBars(bars, w.left + 10, y, l.inner, marker) + 8;
  }
  w.textAt(l.figures, w.left + 10, y, l.inner, { size: 8, colour: TEXT });
  y += l.figuresHeight;
  if (l.variance && l.varianceInBox) {
    y += 4;
    doc.rect(w.left + 10, y, l.inner, l.varianceHeight).fill('#FFF8E1');
    doc.rect(w.left + 10, y, 2.5, l.varianceHeight).fill(STATUS_COLOURS.at_risk);
    w.textAt(l.variance, w.left + 18, y + 4, l.inner - 12, l.varianceStyle);
    y += l.varianceHeight;
  }
  if (l.notes) w.textAt(l.notes, w.left + 10, y + 2, l.inner, { size: 7.5, colour: MUTED });
  w.y = top + l.height + 6;
  if (l.variance && !l.varianceInBox) w.paragraph(l.variance, l.varianceStyle, 8, 10);
}

function figuresText(row: ReportIndicatorRow, quantitative: boolean): string {
  const latest = row.latestActual
    ? `Latest actual ${formatValue(row.latestActual.value, row, true)} (${formatPeriod(row.latestActual.period)})`
    : 'No actual reported yet';
  const parts = [latest];
  if (quantitative) {
    parts.push(...cumulativeFigures(row));
    parts.push(`achievement ${formatPercent(row.achievementPercent)}`);
    parts.push(`progress to end target ${formatPercent(row.progressPercent)}`);
  } else {
    parts.push(
      `target to date: ${formatValue(row.targetToDate, row)}`,
      `end target: ${formatValue(row.endTarget, row)}`,
    );
  }
  parts.push(`status ${statusLabel(row.status).toLowerCase()}`);
  return parts.join('  ·  ');
}
