import PDFDocument from 'pdfkit';
import type { PortfolioFunding, PortfolioProject, PortfolioReportContent } from '../portfolio-report.js';
import type { ReportOutcomeSection } from '../project-report.js';
import { assumptionsSection, humanise, narrativeSection } from './pdf-sections.js';
import { FONT_BOLD, FONT_ITALIC, MUTED, NAVY, PANEL, PdfWriter, RULE, TEXT, type TextStyle } from './pdf-writer.js';
import {
  countTotal,
  formatDate,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatValue,
  revisionText,
  STATUS_LABELS,
  STATUS_ORDER,
} from './presentation.js';
import { INTERNAL_BANNER, indicatorDetail, missingCharactersText, yieldToEventLoop } from './report-pdf.js';

const MARGINS = { top: 54, bottom: 64, left: 50, right: 50 };

const SCOPE_LABELS: Record<PortfolioReportContent['scope']['type'], string> = {
  donor: 'Donor report',
  programme: 'Programme report',
  org_unit: 'Organisational unit report',
  sdg_target: 'SDG target report',
};

/** `Donor report: FCDO` (with the org units it is restricted to, when restricted). */
export function portfolioTitle(c: PortfolioReportContent): string {
  const restriction = c.scope.restrictedTo?.length
    ? ` (restricted to ${c.scope.restrictedTo.map((u) => `${u.code} ${u.name}`).join(', ')} and the units below)`
    : '';
  return `${SCOPE_LABELS[c.scope.type]}: ${c.scope.name}${restriction}`;
}

/** A funding amount with its currency (`GBP 1,250,000`), or `amount not recorded`. */
function amountText(f: PortfolioFunding): string {
  if (f.amount === null || f.amount === undefined) return 'amount not recorded';
  return `${f.currency ? `${f.currency} ` : ''}${formatNumber(f.amount)}`;
}

function agreementPeriod(f: PortfolioFunding): string {
  if (f.startDate && f.endDate) return formatPeriod({ start: f.startDate, end: f.endDate });
  if (f.startDate) return `from ${formatDate(f.startDate)}`;
  if (f.endDate) return `until ${formatDate(f.endDate)}`;
  return 'dates not recorded';
}

/** Options of {@link renderPortfolioPdf}. */
export interface RenderPortfolioPdfOptions {
  /** Called with the code points no embedded font covers (drawn as boxes, named in the rendering notes). */
  onMissingCharacters?: (codePoints: number[]) => void;
}

class PortfolioPdf {
  readonly doc: PDFKit.PDFDocument;
  readonly w: PdfWriter;

  constructor(
    private readonly content: PortfolioReportContent,
    private readonly options: RenderPortfolioPdfOptions,
  ) {
    const creationDate = new Date(`${content.asOfDate}T00:00:00Z`);
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGINS,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang: 'en',
      info: {
        Title: `${portfolioTitle(content)} – ${content.quarter.label}`,
        Author: 'RBM Tracker',
        Subject: `Quarterly outcome-level results, ${content.quarter.label}${content.internal ? ` (${INTERNAL_BANNER})` : ''}`,
        CreationDate: creationDate,
        ModDate: creationDate,
      },
    });
    this.w = new PdfWriter(this.doc, (w) => this.runningHeader(w));
  }

  private runningHeader(w: PdfWriter): void {
    const s: TextStyle = { size: 7.5, colour: MUTED };
    w.textAt(portfolioTitle(this.content), w.left, 30, w.width - 130, s, 10);
    w.textAt(`Quarterly report ${this.content.quarter.label}`, w.right - 130, 30, 130, { ...s, align: 'right' }, 10);
    this.doc.moveTo(w.left, 42).lineTo(w.right, 42).lineWidth(0.4).strokeColor(RULE).stroke();
  }

  async render(): Promise<void> {
    this.cover();
    await yieldToEventLoop();
    this.portfolioStatus();
    for (const project of this.content.projects) {
      await yieldToEventLoop();
      await this.project(project);
    }
    await yieldToEventLoop();
    this.rollUps();
    const missing = [...this.w.text.missing];
    if (missing.length > 0) {
      this.options.onMissingCharacters?.(missing);
      this.w.heading('Rendering notes', 11, 40, TEXT);
      this.w.paragraph(`Characters without a font in this PDF, shown as boxes: ${missingCharactersText(missing)}.`, {
        size: 8.5,
        colour: MUTED,
      });
    }
    this.footers();
    this.w.finish();
  }

  private cover(): void {
    const { w, doc, content } = this;
    const { quarter } = content;
    doc.outline.addItem('Cover');
    w.artifact(() => doc.rect(0, 0, doc.page.width, 150).fill(NAVY), 'Layout');
    w.textAt(SCOPE_LABELS[content.scope.type].toUpperCase(), w.left, 48, w.width, {
      size: 10,
      font: FONT_BOLD,
      colour: '#BDD7EE',
    });
    w.textAt(`${quarter.label}  ·  ${formatPeriod(quarter)}`, w.left, 66, w.width, {
      size: 16,
      font: FONT_BOLD,
      colour: '#FFFFFF',
    });
    w.textAt('Quarterly outcome-level results prepared with RBM Tracker', w.left, 92, w.width, {
      size: 9,
      colour: '#DDEBF7',
    });
    w.y = 172;
    w.y +=
      w.textAt(portfolioTitle(content), w.left, w.y, w.width, {
        size: 20,
        font: FONT_BOLD,
        colour: TEXT,
        lineGap: 2,
        tag: 'H1',
      }) + 10;

    const banner = content.internal
      ? `${INTERNAL_BANNER}: ${content.internalReasons.join('; ') || 'not every project is approved and validated'}`
      : 'Donor-ready: approved logframes and validated quarters only.';
    const bannerStyle: TextStyle = { size: 9.5, font: FONT_BOLD, colour: content.internal ? '#FFFFFF' : '#1B5E20' };
    const bannerHeight = w.measure(banner, bannerStyle, w.width - 28) + 14;
    doc.rect(w.left, w.y, w.width, bannerHeight).fill(content.internal ? '#C00000' : '#E2F0D9');
    w.textAt(banner, w.left + 14, w.y + 7, w.width - 28, bannerStyle);
    w.y += bannerHeight + 12;

    const c = content.completeness;
    const facts: [string, string][] = [
      ['Reporting quarter', `${quarter.label} (${formatPeriod(quarter)})`],
      ['As-of date', formatDate(content.asOfDate)],
      ['Projects', `${c.projects} in scope, ${c.included} with figures in this report`],
      ['Validated', c.validated.join(', ') || 'none'],
      ['Not validated by the cut-off', c.notValidated.join(', ') || 'none'],
      ['Logframe not approved', c.notApproved.join(', ') || 'none'],
      ['Data completeness', `${c.noDataIndicators} indicators without data, ${c.overdueIndicators} overdue`],
      ['Status thresholds', `version ${content.thresholds.version}`],
    ];
    this.facts(facts);
    this.fundingAgreements();
  }

  private facts(facts: [string, string][]): void {
    const { w, doc } = this;
    const labelWidth = 150;
    for (const [label, value] of facts) {
      const h = Math.max(w.measure(value, { size: 9.5 }, w.width - labelWidth), 12);
      w.ensure(h + 8);
      w.textAt(label, w.left, w.y, labelWidth - 8, { size: 9.5, font: FONT_BOLD, colour: MUTED });
      w.textAt(value, w.left + labelWidth, w.y, w.width - labelWidth, { size: 9.5, colour: TEXT });
      w.y += h + 5;
      doc
        .moveTo(w.left, w.y - 2.5)
        .lineTo(w.right, w.y - 2.5)
        .lineWidth(0.3)
        .strokeColor(RULE)
        .stroke();
    }
  }

  /** Funding agreements of every project: donor, amount and currency, dates; co-funders beside them. */
  private fundingAgreements(): void {
    const { w, content } = this;
    w.heading('Funding agreements', 13, 60);
    const donorScope = content.scope.type === 'donor';
    const rows = content.projects.map((p) => {
      const own = donorScope ? p.fundedBy.filter((f) => f.donorId === content.scope.id) : p.fundedBy;
      const others = donorScope ? p.fundedBy.filter((f) => f.donorId !== content.scope.id) : [];
      const agreements = (own.length ? own : p.fundedBy)
        .map((f) => `${donorScope ? '' : `${f.name}: `}${amountText(f)}`)
        .join('\n');
      const periods = (own.length ? own : p.fundedBy).map(agreementPeriod).join('\n');
      const cofunders = others.map((f) => `${f.name} (${amountText(f)})`).join('\n') || 'none';
      return [`${p.code}\n${p.title}`, agreements || 'none recorded', periods || '–', cofunders];
    });
    w.table(
      [
        { header: 'Project', width: 170 },
        { header: donorScope ? `Amount (${content.scope.name})` : 'Funders and amounts', width: 100 },
        { header: 'Agreement period', width: 120 },
        { header: donorScope ? 'Co-funders' : '–', width: 110 },
      ].filter((c) => donorScope || c.header !== '–'),
      donorScope ? rows : rows.map((r) => r.slice(0, 3)),
      { continued: 'Funding agreements' },
    );
  }

  private portfolioStatus(): void {
    const { w, content } = this;
    this.doc.outline.addItem('Portfolio status');
    w.heading('Portfolio status', 16, 220);
    const total = countTotal(content.statusCounts);
    w.paragraph(
      `Status of the ${total} indicators of the ${content.completeness.included} projects with figures, as of ${formatDate(content.asOfDate)}.`,
      { size: 9.5, colour: TEXT },
      6,
    );
    w.statusBarChart(content.statusCounts, { barHeight: 12, gap: 5 });
    w.legend();
    const included = content.projects.filter((p) => p.report);
    if (included.length > 0) {
      w.heading('Projects at a glance', 12, 60);
      w.table(
        [
          { header: 'Project', width: 190 },
          { header: 'Quarter', width: 80 },
          { header: 'Indicators by status', width: 130 },
        ],
        content.projects.map((p) => [
          `${p.code} ${p.title}`,
          p.report ? `${humanise(p.validation.status)}${p.validation.restated ? ', restated' : ''}` : 'No figures',
          p.report ? { counts: p.report.summary.statusCounts } : (p.excludedReason ?? '–'),
        ]),
        { continued: 'Projects at a glance' },
      );
    }
  }

  /** One project: identity and funding, then its narrative, outcomes with indicators, risks. Flows on. */
  private async project(p: PortfolioProject): Promise<void> {
    const { w, doc } = this;
    doc.outline.addItem(`${p.code} ${p.title}`);
    const title = `${p.code}  ${p.title}`;
    const titleStyle: TextStyle = { size: 15, font: FONT_BOLD, colour: NAVY, tag: 'H1' };
    w.ensure(w.measure(title, titleStyle) + 160);
    if (w.y > w.top) w.y += 10;
    w.rule(NAVY);
    w.y += w.textAt(title, w.left, w.y, w.width, titleStyle) + 4;
    const revision = p.report ? revisionText(p.report) : `${p.revision.number} (${p.revision.status})`;
    w.paragraph(
      `Funded by ${p.fundedBy.map((f) => f.name).join(', ') || '–'} · logframe revision ${revision} · quarter ${humanise(p.validation.status).toLowerCase()}${p.validation.restated ? ' (restated)' : ''}`,
      { size: 8.5, colour: MUTED },
      8,
    );
    if (!p.report) {
      w.paragraph(`No figures: ${p.excludedReason ?? 'not included in this report'}.`, {
        size: 10,
        font: FONT_ITALIC,
        colour: TEXT,
      });
      return;
    }
    narrativeSection(w, p.report, 12);
    for (const outcome of p.report.outcomes) await this.outcome(outcome);
    assumptionsSection(w, p.report, 11);
  }

  private async outcome(outcome: ReportOutcomeSection): Promise<void> {
    const { w, doc } = this;
    w.heading(`Outcome ${outcome.code}`, 11.5, 80);
    w.paragraph(outcome.statement, { size: 10.5, font: FONT_BOLD, colour: TEXT, lineGap: 1.5 }, 4);
    const justification = outcome.rating
      ? `Justification: ${outcome.rating.justification || '(none given)'}`
      : 'The project manager has not yet rated this outcome for the quarter.';
    const jStyle: TextStyle = { size: 8.5, font: FONT_ITALIC, colour: TEXT };
    const jHeight = w.measure(justification, jStyle, w.width - 20);
    const boxHeight = 8 + 14 + 4 + jHeight + 6;
    if (boxHeight <= w.pageHeight / 2) {
      w.ensure(boxHeight + 6);
      doc.rect(w.left, w.y, w.width, boxHeight).fill(PANEL);
      const half = w.width / 2;
      w.textAt('Computed status', w.left + 10, w.y + 9, 90, { size: 8.5, font: FONT_BOLD, colour: MUTED });
      w.chip(w.left + 96, w.y + 7.5, outcome.computedStatus, 7.5);
      w.textAt("Manager's rating", w.left + half, w.y + 9, 90, { size: 8.5, font: FONT_BOLD, colour: MUTED });
      if (outcome.rating) w.chip(w.left + half + 86, w.y + 7.5, outcome.rating.rating, 7.5);
      else w.textAt('not yet rated', w.left + half + 86, w.y + 9, 100, { size: 8.5, font: FONT_ITALIC, colour: MUTED });
      w.textAt(justification, w.left + 10, w.y + 26, w.width - 20, jStyle);
      w.y += boxHeight + 6;
    } else w.paragraph(justification, jStyle, 6);
    for (const row of outcome.indicators) {
      await yieldToEventLoop();
      indicatorDetail(w, row);
    }
    const outputs = outcome.outputs.map(
      (o) =>
        `${o.code} ${o.statement}: ${
          STATUS_ORDER.filter((s) => (o.statusCounts[s] ?? 0) > 0)
            .map((s) => `${o.statusCounts[s]} ${STATUS_LABELS[s].toLowerCase()}`)
            .join(', ') || 'no indicators'
        }`,
    );
    if (outputs.length > 0) {
      w.heading('Outputs', 9.5, 24, TEXT);
      for (const line of outputs) w.paragraph(line, { size: 8.5, colour: TEXT }, 2, 8);
      w.y += 4;
    }
  }

  private rollUps(): void {
    const { w, content } = this;
    const rows = content.rollUps.filter((r) => r.standardIndicator);
    if (rows.length === 0) return;
    this.doc.outline.addItem('Combined through standard indicators');
    w.heading('Combined through standard indicators', 14, 80);
    for (const r of rows) {
      const figure = (v: number | null) =>
        r.measure === 'percentage' ? formatPercent(v) : formatValue(v, { measure: 'number', unit: r.unit }, true);
      const status = r.combinedStatus ? `, ${STATUS_LABELS[r.combinedStatus].toLowerCase()}` : '';
      w.heading(`${r.standardIndicator!.code} ${r.standardIndicator!.title}`, 10, 30, TEXT);
      w.paragraph(
        `${r.projects.map((p) => p.projectCode).join(', ')}: actual ${figure(r.combinedActualToDate)} against a target of ${figure(r.combinedTargetToDate)}` +
          `${r.combinedBaseline !== null ? ` from a baseline of ${figure(r.combinedBaseline)}` : ''}` +
          ` (achievement ${formatPercent(r.combinedAchievementPercent)}${status})${r.notCombinedReason ? `; not combined: ${r.notCombinedReason}` : ''}`,
        { size: 9, colour: TEXT },
        6,
      );
    }
  }

  private footers(): void {
    const { doc, content } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      this.w.footer(
        [
          SCOPE_LABELS[content.scope.type],
          content.scope.name,
          content.quarter.label,
          `as of ${formatDate(content.asOfDate)}`,
        ],
        content.internal ? INTERNAL_BANNER : null,
        `Page ${i - range.start + 1} of ${range.count}`,
      );
    }
  }
}

/**
 * A multi-project report (donor, programme, org unit, SDG target) as a donor-ready A4 PDF: a cover
 * with the scope, quarter, as-of date, completeness and every funding agreement (amount, currency,
 * dates; co-funders for a donor); the portfolio's indicators by status as a chart with the projects
 * at a glance; then per project, one after another without forced page breaks, its funders and
 * revision (approver by name), the quarterly narrative, each outcome's statement with computed
 * status, manager's rating and justification, a chart and figures per outcome indicator with its
 * explanation of variance, outputs, and the assumptions and risks update; finally the roll-ups
 * through standard indicators. Embedded Unicode fonts, tagged; every footer carries the whole as-of
 * date. Pure: no database.
 *
 * @returns the PDF file bytes (`application/pdf`)
 */
export async function renderPortfolioPdf(
  content: PortfolioReportContent,
  options: RenderPortfolioPdfOptions = {},
): Promise<Buffer> {
  const report = new PortfolioPdf(content, options);
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
