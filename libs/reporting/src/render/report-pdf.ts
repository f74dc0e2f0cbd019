import PDFDocument from 'pdfkit';
import type { IndicatorStatus } from '#libs/calculations';
import {
  codeLabel,
  cumulativeFigures,
  phrases,
  reportPhrase,
  type ReportLanguage,
  reportText,
  targetToDateText,
} from '../labels.js';
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
import {
  assumptionsSection,
  narrativeOf,
  narrativeSection,
  pdfBytes,
  pdfFooters,
  factsTable,
  renderingNotes,
} from './pdf-sections.js';
import {
  countTotal,
  formatDate,
  formatPercent,
  formatPeriod,
  formatValue,
  isQuantitative,
  STATUS_COLOURS,
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
  /** Language of every label (the catalogues of `labels.ts`); default English. */
  lang?: ReportLanguage;
}

export { missingCharactersText } from './pdf-sections.js';

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

function indicatorCells(row: ReportIndicatorRow, lang: ReportLanguage): TableCell[] {
  const unit = row.unit && row.measure !== 'percentage' ? `\n(${row.unit})` : '';
  return [
    row.code,
    `${row.title}${unit}`,
    formatValue(row.baseline, row, false, lang),
    formatValue(row.targetToDate, row, false, lang),
    formatValue(row.actualToDate, row, false, lang),
    formatPercent(row.achievementPercent, lang),
    formatPercent(row.progressPercent, lang),
    { status: row.status },
  ];
}

/** Table columns with their headers in a language. */
const columnsIn = (columns: TableColumn[], lang: ReportLanguage): TableColumn[] =>
  columns.map((c) => ({ ...c, header: reportText(c.header, lang) }));

/** Renders the document; see {@link renderReportPdf}. */
class ReportPdf {
  readonly doc: PDFKit.PDFDocument;
  readonly w: PdfWriter;

  constructor(
    private readonly content: ProjectReportContent,
    creationDate: Date,
    private readonly onMissingCharacters?: (codePoints: number[]) => void,
    private readonly lang: ReportLanguage = 'en',
  ) {
    const { scope, quarter } = content;
    const t = (english: string, values: Record<string, string | number> = {}) => reportPhrase(english, values, lang);
    this.doc = new PDFDocument({
      size: A4,
      margins: MARGINS,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang,
      info: {
        Title: `${scope.code} – ${scope.title} – ${t('quarterly report {quarter}', { quarter: quarter.label })}`,
        Author: 'RBM Tracker',
        Subject: `${t('Quarterly outcome-level report, {quarter}', { quarter: quarter.label })}${content.internal ? ` (${t(INTERNAL_BANNER)})` : ''}`,
        Keywords: `results-based management; ${scope.code}; ${quarter.label}`,
        CreationDate: creationDate,
        ModDate: creationDate,
      },
    });
    this.w = new PdfWriter(this.doc, (w) => this.runningHeader(w), lang);
  }

  /** A small running header on every page after the cover. */
  private runningHeader(w: PdfWriter): void {
    const { scope, quarter } = this.content;
    const s: TextStyle = { size: 7.5, colour: MUTED };
    w.textAt(`${scope.code} · ${scope.title}`, w.left, 30, w.width - 110, { ...s }, 10);
    w.textAt(
      w.t('Quarterly report {quarter}', { quarter: quarter.label }),
      w.right - 110,
      30,
      110,
      { ...s, align: 'right' },
      10,
    );
    this.doc.moveTo(w.left, 42).lineTo(w.right, 42).lineWidth(0.4).strokeColor(RULE).stroke();
  }

  async render(): Promise<void> {
    this.cover();
    await yieldToEventLoop();
    this.w.newPage();
    if (narrativeOf(this.content)) {
      this.doc.outline.addItem(this.w.t('Quarterly narrative'));
      narrativeSection(this.w, this.content, 18);
      this.w.y += 6;
    }
    this.statusSummary();
    if (this.content.impactIndicators.length > 0) {
      this.doc.outline.addItem(this.w.t('Impact indicators'));
      this.w.heading(this.w.t('Impact indicators'), 12, 120);
      this.indicatorTable(this.content.impactIndicators, this.w.t('Impact indicators'));
      await this.indicatorDetails(this.content.impactIndicators);
    }
    for (const outcome of this.content.outcomes) {
      await yieldToEventLoop();
      this.w.newPage();
      await this.outcome(outcome);
    }
    if (this.content.unlinkedOutputs.length > 0) {
      this.doc.outline.addItem(this.w.t('Outputs not linked to an outcome'));
      this.w.heading(this.w.t('Outputs not yet linked to an outcome'), 16, 160);
      for (const output of this.content.unlinkedOutputs) await this.output(output);
    }
    if (this.content.assumptions.length > 0) {
      this.doc.outline.addItem(this.w.t('Assumptions and risks'));
      assumptionsSection(this.w, this.content, 16);
    }
    await yieldToEventLoop();
    renderingNotes(this.w, this.onMissingCharacters);
    const { content } = this;
    pdfFooters(
      this.w,
      [
        content.scope.code,
        content.quarter.label,
        this.w.t('as of {date}', { date: formatDate(content.asOfDate, this.lang) }),
        this.w.t('revision {n}', { n: content.revision.number }),
      ],
      content.internal ? this.w.t(INTERNAL_BANNER) : null,
    );
    this.w.finish();
  }

  private cover(): void {
    const { w, doc, content } = this;
    const { scope, quarter } = content;
    doc.outline.addItem(w.t('Cover'));
    // Title band across the top of the page.
    doc.rect(0, 0, doc.page.width, 150).fill(NAVY);
    w.textAt(w.t('QUARTERLY OUTCOME-LEVEL REPORT'), w.left, 48, w.width, {
      size: 10,
      font: FONT_BOLD,
      colour: '#BDD7EE',
    });
    w.textAt(`${quarter.label}  ·  ${formatPeriod(quarter, this.lang)}`, w.left, 66, w.width, {
      size: 16,
      font: FONT_BOLD,
      colour: '#FFFFFF',
    });
    w.textAt(w.t('Results-based management report prepared with RBM Tracker'), w.left, 92, w.width, {
      size: 9,
      colour: '#DDEBF7',
    });
    w.y = 180;
    const titleStyle: TextStyle = { size: 22, font: FONT_BOLD, colour: TEXT, lineGap: 2, tag: 'H1' };
    w.y += w.textAt(scope.title, w.left, w.y, w.width, titleStyle, 200) + 8;
    const ids = [
      w.t('Project {code}', { code: scope.code }),
      scope.iatiIdentifier ? w.t('IATI identifier {id}', { id: scope.iatiIdentifier }) : null,
    ]
      .filter(Boolean)
      .join('   ·   ');
    w.y += w.textAt(ids, w.left, w.y, w.width, { size: 11, colour: MUTED }) + 18;
    this.coverBanner();
    if (content.validation.restated) this.restatedNote();
    w.y += 6;
    this.coverFacts();
    this.coverNote();
  }

  /** The internal banner with its reasons, or the donor-ready band. */
  private coverBanner(): void {
    const { w, doc, content } = this;
    if (content.internal) {
      const reasons =
        content.internalReasons.map((r) => `•  ${r}`).join('\n') || `•  ${w.t('Not yet approved and validated')}`;
      const reasonsHeight = w.measure(reasons, { size: 9.5 }, w.width - 28);
      const height = 16 + 18 + reasonsHeight + 14;
      doc.rect(w.left, w.y, w.width, height).fill('#C00000');
      w.textAt(w.t(INTERNAL_BANNER), w.left + 14, w.y + 12, w.width - 28, {
        size: 15,
        font: FONT_BOLD,
        colour: '#FFFFFF',
      });
      w.textAt(reasons, w.left + 14, w.y + 34, w.width - 28, { size: 9.5, colour: '#FFFFFF' });
      w.y += height + 12;
      return;
    }
    const text = w.t('Donor-ready: approved logframe revision {revision}; progress for {quarter} validated.', {
      revision: content.revision.number,
      quarter: content.quarter.label,
    });
    const height = w.measure(text, { size: 10, font: FONT_BOLD }, w.width - 28) + 16;
    doc.rect(w.left, w.y, w.width, height).fill('#E2F0D9');
    doc.rect(w.left, w.y, 4, height).fill(STATUS_COLOURS.on_track);
    w.textAt(text, w.left + 14, w.y + 8, w.width - 28, { size: 10, font: FONT_BOLD, colour: '#1B5E20' });
    w.y += height + 12;
  }

  /** The restatement note of a quarter reopened after validation. */
  private restatedNote(): void {
    const { w, doc, content } = this;
    const again =
      content.validation.status === 'validated'
        ? w.t('and validated again; figures in this report replace earlier editions.')
        : w.t('and is now {status}; figures may still change.', {
            status: statusLabel(content.validation.status, this.lang).toLowerCase(),
          });
    const text =
      w.t('Restated. Progress for {quarter} was reopened after validation {again}', {
        quarter: content.quarter.label,
        again,
      }) +
      (content.validation.reopenReason
        ? w.t(' Reason for reopening: {reason}', { reason: content.validation.reopenReason })
        : '');
    const height = w.measure(text, { size: 9.5 }, w.width - 28) + 16;
    doc.rect(w.left, w.y, w.width, height).fill('#FFF4D6');
    doc.rect(w.left, w.y, 4, height).fill(STATUS_COLOURS.at_risk);
    w.textAt(text, w.left + 14, w.y + 8, w.width - 28, { size: 9.5, colour: TEXT });
    w.y += height + 12;
  }

  /** The cover's facts: quarter, as-of date, revision, validation, thresholds, SDG targets, results. */
  private coverFacts(): void {
    const { w, content, lang } = this;
    const { quarter } = content;
    const outcomes = content.outcomes.length;
    const facts: [string, string][] = [
      [w.t('Reporting quarter'), `${quarter.label} (${formatPeriod(quarter, lang)})`],
      [w.t('As-of date'), formatDate(content.asOfDate, lang)],
      [w.t('Logframe revision'), revisionText(content, lang)],
      [w.t('Validation'), validationText(content, lang)],
      [w.t('Status thresholds'), thresholdsText(content, lang)],
      [w.t('SDG targets'), content.sdgTargets.join(', ') || w.t('none linked')],
      [
        w.t('Results reported'),
        w.t(
          outcomes === 1
            ? '{outcomes} outcome, {indicators} indicators'
            : '{outcomes} outcomes, {indicators} indicators',
          {
            outcomes,
            indicators: content.summary.indicators,
          },
        ),
      ],
    ];
    factsTable(w, facts, { labelWidth: 120, size: 10, gap: 6 });
  }

  /** How the figures are computed, at the foot of the cover. */
  private coverNote(): void {
    const { w, content } = this;
    const sha = content.revision.snapshotSha256;
    const note = w.t(
      "Figures are computed by RBM Tracker (calculation version {version}) from the logframe revision's snapshot{sha} and the progress data reported up to the as-of date. Percentages are rounded to one decimal.",
      { version: content.calculationVersion, sha: sha ? w.t(' (SHA-256 {sha})', { sha }) : '' },
    );
    const noteHeight = w.measure(note, { size: 7.5 });
    const noteY = Math.max(w.y + 12, w.bottom - noteHeight);
    if (noteY + noteHeight <= w.bottom) w.textAt(note, w.left, noteY, w.width, { size: 7.5, colour: MUTED });
  }

  private statusSummary(): void {
    const { w, content } = this;
    this.doc.outline.addItem(w.t('Status summary'));
    w.heading(w.t('Status summary'), 18, 120);
    const counts = content.summary.statusCounts;
    w.paragraph(
      w.t(
        "Status of the {n} indicators of the logframe as of {date}: {counts}. An indicator's status compares its actual to date with its target to date (status thresholds {thresholds}).",
        {
          n: content.summary.indicators,
          date: formatDate(content.asOfDate, this.lang),
          counts: w.countsText(counts),
          thresholds: thresholdsText(content, this.lang),
        },
      ),
      { size: 9.5, colour: TEXT, lineGap: 2 },
      10,
    );
    w.heading(w.t('Indicators by status'), 11, 150, TEXT);
    w.statusBarChart(counts);
    w.legend();
    w.y += 6;
    const t = content.thresholds;
    const meanings: [IndicatorStatus, string][] = [
      ['exceeded', w.t('achievement above {x} % of the target to date', { x: t.exceededAbove })],
      ['on_track', w.t('achievement from {from} % to {to} %', { from: t.onTrackFrom, to: t.exceededAbove })],
      ['at_risk', w.t('achievement from {from} % to below {to} %', { from: t.atRiskFrom, to: t.onTrackFrom })],
      ['off_track', w.t('achievement below {x} %', { x: t.atRiskFrom })],
      ['no_data', w.t('nothing reported up to the as-of date')],
      ['not_assessable', w.t('data reported but not yet comparable with a target')],
    ];
    w.paragraph(
      meanings.map(([s, m]) => `${w.status(s)}${this.lang === 'fr' ? ' :' : ':'} ${m}.`).join('  '),
      { size: 7.5, colour: MUTED, lineGap: 1 },
      12,
    );
    this.atAGlance();
  }

  /** The outcomes and outputs at a glance (tables). */
  private atAGlance(): void {
    const { w, content, lang } = this;
    w.heading(w.t('Outcomes at a glance'), 12, 80);
    w.table(
      columnsIn(
        [
          { header: 'Outcome', width: 50 },
          { header: 'Statement', width: 220 },
          { header: 'Indicators by status', width: 90 },
          { header: 'Computed status', width: 68 },
          { header: "Manager's rating", width: 68 },
        ],
        lang,
      ),
      content.outcomes.map((o) => [
        o.code,
        o.statement,
        { counts: o.statusCounts },
        { status: o.computedStatus },
        { status: o.rating?.rating ?? null },
      ]),
      { continued: w.t('Outcomes at a glance') },
    );
    const outputs = [
      ...content.outcomes.flatMap((o) => o.outputs.map((p) => ({ outcome: o.code, output: p }))),
      ...content.unlinkedOutputs.map((p) => ({ outcome: '–', output: p })),
    ];
    if (outputs.length === 0) return;
    w.heading(w.t('Outputs at a glance'), 12, 80);
    w.table(
      columnsIn(
        [
          { header: 'Outcome', width: 50 },
          { header: 'Output', width: 50 },
          { header: 'Statement', width: 250 },
          { header: 'Indicators by status', width: 120 },
        ],
        lang,
      ),
      outputs.map(({ outcome, output }) => [outcome, output.code, output.statement, { counts: output.statusCounts }]),
      { continued: w.t('Outputs at a glance') },
    );
  }

  private async outcome(outcome: ReportOutcomeSection): Promise<void> {
    const { w, doc } = this;
    doc.outline.addItem(w.t('Outcome {code}', { code: outcome.code }));
    w.textAt(w.t('OUTCOME {code}', { code: outcome.code }), w.left, w.y, w.width, {
      size: 9,
      font: FONT_BOLD,
      colour: NAVY,
    });
    w.y += 13;
    w.paragraph(outcome.statement, { size: 14, font: FONT_BOLD, colour: TEXT, lineGap: 2 }, 4);
    w.paragraph(
      w.t('SDG targets: {targets}', { targets: outcome.sdgTargets.join(', ') || w.t('none linked') }),
      { size: 9, colour: MUTED },
      10,
    );
    ratingPanel(w, outcome, {
      size: 9,
      pad: 12,
      chipAt: 88,
      labelTop: 12,
      textTop: 34,
      bottom: 10,
      keep: 10,
      flowWhenTall: false,
    });

    w.heading(
      w.t('Indicators by status ({n} outcome indicators)', { n: countTotal(outcome.statusCounts) }),
      10.5,
      140,
      TEXT,
    );
    w.statusBarChart(outcome.statusCounts, { barHeight: 10, gap: 4 });
    w.legend();

    if (outcome.indicators.length > 0) {
      const title = w.t('Outcome indicators of {code}', { code: outcome.code });
      w.heading(title, 11.5, 70);
      this.indicatorTable(outcome.indicators, title);
      await this.indicatorDetails(outcome.indicators);
    }
    for (const output of outcome.outputs) await this.output(output);
  }

  private async output(output: ReportOutputSection): Promise<void> {
    const { w } = this;
    w.heading(w.t('Output {code}', { code: output.code }), 12.5, 90);
    w.paragraph(output.statement, { size: 10, font: FONT_BOLD, colour: TEXT, lineGap: 1.5 }, 3);
    w.paragraph(
      w.t('Indicators by status: {counts}.', { counts: w.countsText(output.statusCounts) }),
      { size: 8.5, colour: MUTED },
      6,
    );
    if (output.indicators.length === 0) return;
    this.indicatorTable(output.indicators, w.t('Indicators of output {code}', { code: output.code }));
    await this.indicatorDetails(output.indicators);
  }

  private indicatorTable(rows: ReportIndicatorRow[], title: string): void {
    this.w.table(
      columnsIn(INDICATOR_COLUMNS, this.lang),
      rows.map((r) => indicatorCells(r, this.lang)),
      { continued: title },
    );
  }

  /** Per indicator: a chart of actual to date against the targets (quantitative), key figures, variance explanation. */
  private async indicatorDetails(rows: ReportIndicatorRow[]): Promise<void> {
    const { w } = this;
    if (rows.length === 0) return;
    // Keep the heading with the first block.
    w.heading(w.t('Progress against targets'), 10, detailLayout(w, rows[0]).height + 8, TEXT);
    for (const row of rows) {
      await yieldToEventLoop();
      indicatorDetail(w, row);
    }
  }
}

/**
 * The computed status beside the manager's rating, with the justification below, in a panel at the
 * cursor (a justification too long for half a page flows as a paragraph). Project and portfolio PDFs
 * draw it alike, at their own sizes; the cursor ends below the panel.
 */
export function ratingPanel(
  w: PdfWriter,
  outcome: ReportOutcomeSection,
  l: {
    size: number;
    pad: number;
    chipAt: number;
    labelTop: number;
    textTop: number;
    bottom: number;
    /** Space kept below the panel on its page. */
    keep: number;
    /** A justification taller than half a page flows as a paragraph instead. */
    flowWhenTall: boolean;
  },
): void {
  const { doc } = w;
  const justification = outcome.rating
    ? w.t('Justification: {text}', { text: outcome.rating.justification || w.t('(none given)') })
    : w.t('The project manager has not yet rated this outcome for the quarter.');
  const jStyle: TextStyle = { size: l.size, font: FONT_ITALIC, colour: TEXT };
  const jHeight = w.measure(justification, jStyle, w.width - 2 * l.pad);
  const boxHeight = l.textTop + jHeight + l.bottom;
  if (l.flowWhenTall && boxHeight > w.pageHeight / 2) {
    w.paragraph(justification, jStyle, 6);
    return;
  }
  w.ensure(boxHeight + l.keep);
  doc.rect(w.left, w.y, w.width, boxHeight).fill(PANEL);
  const half = w.width / 2;
  const label: TextStyle = { size: l.size, font: FONT_BOLD, colour: MUTED };
  const chipTop = w.y + l.labelTop - 1.5;
  const computed = w.t('Computed status');
  const rating = w.t("Manager's rating");
  // The chip follows its label: at `chipAt`, or further right when the label is longer (French).
  const after = (text: string) => Math.max(l.chipAt, w.textWidth(text, label) + 8);
  w.textAt(computed, w.left + l.pad, w.y + l.labelTop, Math.max(90, after(computed)), label);
  w.chip(w.left + l.pad + after(computed), chipTop, outcome.computedStatus, l.size - 1);
  w.textAt(rating, w.left + half, w.y + l.labelTop, Math.max(90, after(rating)), label);
  if (outcome.rating) w.chip(w.left + half + after(rating), chipTop, outcome.rating.rating, l.size - 1);
  else
    w.textAt(w.t('not yet rated'), w.left + half + after(rating), w.y + l.labelTop, 100, {
      size: l.size,
      font: FONT_ITALIC,
      colour: MUTED,
    });
  w.textAt(justification, w.left + l.pad, w.y + l.textTop, w.width - 2 * l.pad, jStyle);
  w.y += boxHeight + l.keep;
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
 * 0–100 scale with 1 dp. Every label in `options.lang` (English or French, numbers and dates too).
 * Pure: no database.
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
  const report = new ReportPdf(content, creationDate, options.onMissingCharacters, options.lang ?? 'en');
  return pdfBytes(report.doc, () => report.render());
}

/** What an indicator's block holds and how tall it is (points). */
function detailLayout(w: PdfWriter, row: ReportIndicatorRow) {
  const inner = w.width - 20;
  const titleStyle: TextStyle = { size: 9, font: FONT_BOLD, colour: TEXT };
  const title = `${row.code}  ${row.title}${row.unit && row.measure === 'number' ? ` (${row.unit})` : ''}`;
  const titleHeight = w.measure(title, titleStyle, inner - 90);
  const quantitative = isQuantitative(row);
  const chartHeight = quantitative ? 3 * 15 - 5 + (typeof row.baseline === 'number' ? 11 : 0) + 8 : 0;
  const figures = figuresText(w, row, quantitative);
  const figuresHeight = w.measure(figures, { size: 8 }, inner);
  const variance = row.varianceExplanation
    ? w.t('Variance explanation: {text}', { text: row.varianceExplanation })
    : null;
  const varianceStyle: TextStyle = { size: 8.5, font: FONT_ITALIC, colour: TEXT };
  const varianceHeight = variance ? w.measure(variance, varianceStyle, inner - 12) + 8 : 0;
  const notes = [
    row.statusNote,
    row.flags.length
      ? w.t('Flags: {flags}', { flags: row.flags.map((f) => codeLabel('flag', f, w.lang)).join(', ') })
      : null,
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

/** The chart of an indicator: actual to date, target to date and end target on one scale, baseline marked. */
function indicatorChart(w: PdfWriter, row: ReportIndicatorRow, x: number, y: number, width: number): number {
  const lang = w.lang;
  const num = (v: number | string | null) => (typeof v === 'number' ? v : null);
  const bars = [
    {
      label: w.t('Actual to date'),
      value: num(row.actualToDate),
      text: row.actualToDate === null ? w.t('no actual reported') : formatValue(row.actualToDate, row, true, lang),
      colour: STATUS_COLOURS[row.status],
    },
    {
      label: w.t('Target to date'),
      value: num(row.targetToDate),
      text: targetToDateText(row, lang),
      colour: TARGET_TO_DATE,
    },
    {
      label: w.t('End target'),
      value: num(row.endTarget),
      text: row.endTarget === null ? w.t('no end target set') : formatValue(row.endTarget, row, true, lang),
      colour: END_TARGET,
    },
  ];
  const marker =
    typeof row.baseline === 'number'
      ? {
          value: row.baseline,
          label: `${w.t('baseline {x}', { x: formatValue(row.baseline, row, false, lang) })}${row.baselineYear ? ` (${row.baselineYear})` : ''}${row.direction === 'decrease' ? w.t(' · lower is better') : ''}`,
        }
      : undefined;
  return w.valueBars(bars, x, y, width, marker);
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
  w.chip(w.right - 10 - (w.textWidth(w.status(row.status), { size: 7.5, font: FONT_BOLD }) + 10), y - 1, row.status);
  y += l.titleHeight + 6;
  if (l.quantitative) y += indicatorChart(w, row, w.left + 10, y, l.inner) + 8;
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

function figuresText(w: PdfWriter, row: ReportIndicatorRow, quantitative: boolean): string {
  const lang = w.lang;
  const latest = row.latestActual
    ? w.t('Latest actual {x} ({period})', {
        x: formatValue(row.latestActual.value, row, true, lang),
        period: formatPeriod(row.latestActual.period, lang),
      })
    : w.t('No actual reported yet');
  const parts = [latest];
  const p = phrases(lang);
  if (quantitative) {
    parts.push(...cumulativeFigures(row, lang));
    parts.push(p.achievement.replace('{x}', formatPercent(row.achievementPercent, lang)));
    parts.push(p.progress.replace('{x}', formatPercent(row.progressPercent, lang)));
  } else {
    parts.push(
      w.t('target to date: {x}', { x: formatValue(row.targetToDate, row, false, lang) }),
      w.t('end target: {x}', { x: formatValue(row.endTarget, row, false, lang) }),
    );
  }
  parts.push(w.t('status {status}', { status: statusLabel(row.status, lang).toLowerCase() }));
  return parts.join('  ·  ');
}
