import PDFDocument from 'pdfkit';
import type { PortfolioFunding, PortfolioProject, PortfolioReportContent } from '../portfolio-report.js';
import type { ReportOutcomeSection } from '../project-report.js';
import { codeLabel, reportPhrase, type ReportLanguage, reportText } from '../labels.js';
import {
  assumptionsSection,
  factsTable,
  narrativeSection,
  pdfBytes,
  pdfFooters,
  renderingNotes,
} from './pdf-sections.js';
import { FONT_BOLD, FONT_ITALIC, MUTED, NAVY, PdfWriter, RULE, TEXT, type TextStyle } from './pdf-writer.js';
import {
  countTotal,
  formatDate,
  formatNumber,
  formatPercent,
  formatPeriod,
  formatValue,
  revisionText,
  statusLabel,
} from './presentation.js';
import { INTERNAL_BANNER, indicatorDetail, ratingPanel, yieldToEventLoop } from './report-pdf.js';

const MARGINS = { top: 54, bottom: 64, left: 50, right: 50 };

const SCOPE_LABELS: Record<PortfolioReportContent['scope']['type'], string> = {
  donor: 'Donor report',
  programme: 'Programme report',
  org_unit: 'Organisational unit report',
  sdg_target: 'SDG target report',
};

/** `Donor report: FCDO` (with the org units it is restricted to, when restricted), in a language. */
export function portfolioTitle(c: PortfolioReportContent, lang: ReportLanguage = 'en'): string {
  const restriction = c.scope.restrictedTo?.length
    ? reportPhrase(
        ' (restricted to {units} and the units below)',
        { units: c.scope.restrictedTo.map((u) => `${u.code} ${u.name}`).join(', ') },
        lang,
      )
    : '';
  return reportPhrase(
    '{scope}: {name}{restriction}',
    { scope: reportText(SCOPE_LABELS[c.scope.type], lang), name: c.scope.name, restriction },
    lang,
  );
}

/** A funding amount with its currency (`GBP 1,250,000`), or `amount not recorded`. */
function amountText(f: PortfolioFunding, lang: ReportLanguage): string {
  if (f.amount === null || f.amount === undefined) return reportText('amount not recorded', lang);
  return `${f.currency ? `${f.currency} ` : ''}${formatNumber(f.amount, lang)}`;
}

function agreementPeriod(f: PortfolioFunding, lang: ReportLanguage): string {
  if (f.startDate && f.endDate) return formatPeriod({ start: f.startDate, end: f.endDate }, lang);
  if (f.startDate) return reportPhrase('from {date}', { date: formatDate(f.startDate, lang) }, lang);
  if (f.endDate) return reportPhrase('until {date}', { date: formatDate(f.endDate, lang) }, lang);
  return reportText('dates not recorded', lang);
}

/** Options of {@link renderPortfolioPdf}. */
export interface RenderPortfolioPdfOptions {
  /** Called with the code points no embedded font covers (drawn as boxes, named in the rendering notes). */
  onMissingCharacters?: (codePoints: number[]) => void;
  /** Language of every label (the catalogues of `labels.ts`); default English. */
  lang?: ReportLanguage;
}

class PortfolioPdf {
  private readonly lang: ReportLanguage;
  readonly doc: PDFKit.PDFDocument;
  readonly w: PdfWriter;

  constructor(
    private readonly content: PortfolioReportContent,
    private readonly options: RenderPortfolioPdfOptions,
  ) {
    const creationDate = new Date(`${content.asOfDate}T00:00:00Z`);
    const lang = (this.lang = options.lang ?? 'en');
    const t = (english: string, values: Record<string, string | number> = {}) => reportPhrase(english, values, lang);
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGINS,
      bufferPages: true,
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang,
      info: {
        Title: `${portfolioTitle(content, lang)} – ${content.quarter.label}`,
        Author: 'RBM Tracker',
        Subject: `${t('Quarterly outcome-level results, {quarter}', { quarter: content.quarter.label })}${content.internal ? ` (${t(INTERNAL_BANNER)})` : ''}`,
        CreationDate: creationDate,
        ModDate: creationDate,
      },
    });
    this.w = new PdfWriter(this.doc, (w) => this.runningHeader(w), lang);
  }

  private runningHeader(w: PdfWriter): void {
    const s: TextStyle = { size: 7.5, colour: MUTED };
    w.textAt(portfolioTitle(this.content, this.lang), w.left, 30, w.width - 130, s, 10);
    w.textAt(
      w.t('Quarterly report {quarter}', { quarter: this.content.quarter.label }),
      w.right - 130,
      30,
      130,
      { ...s, align: 'right' },
      10,
    );
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
    renderingNotes(this.w, this.options.onMissingCharacters);
    const { content, w } = this;
    pdfFooters(
      w,
      [
        w.t(SCOPE_LABELS[content.scope.type]),
        content.scope.name,
        content.quarter.label,
        w.t('as of {date}', { date: formatDate(content.asOfDate, this.lang) }),
      ],
      content.internal ? w.t(INTERNAL_BANNER) : null,
    );
    w.finish();
  }

  private cover(): void {
    const { w, doc, content, lang } = this;
    const { quarter } = content;
    doc.outline.addItem(w.t('Cover'));
    w.artifact(() => doc.rect(0, 0, doc.page.width, 150).fill(NAVY), 'Layout');
    w.textAt(w.t(SCOPE_LABELS[content.scope.type]).toUpperCase(), w.left, 48, w.width, {
      size: 10,
      font: FONT_BOLD,
      colour: '#BDD7EE',
    });
    w.textAt(`${quarter.label}  ·  ${formatPeriod(quarter, lang)}`, w.left, 66, w.width, {
      size: 16,
      font: FONT_BOLD,
      colour: '#FFFFFF',
    });
    w.textAt(w.t('Quarterly outcome-level results prepared with RBM Tracker'), w.left, 92, w.width, {
      size: 9,
      colour: '#DDEBF7',
    });
    w.y = 172;
    w.y +=
      w.textAt(portfolioTitle(content, lang), w.left, w.y, w.width, {
        size: 20,
        font: FONT_BOLD,
        colour: TEXT,
        lineGap: 2,
        tag: 'H1',
      }) + 10;

    const banner = content.internal
      ? w.t('{internal}: {reasons}', {
          internal: w.t(INTERNAL_BANNER),
          reasons: content.internalReasons.join('; ') || w.t('not every project is approved and validated'),
        })
      : w.t('Donor-ready: approved logframes and validated quarters only.');
    const bannerStyle: TextStyle = { size: 9.5, font: FONT_BOLD, colour: content.internal ? '#FFFFFF' : '#1B5E20' };
    const bannerHeight = w.measure(banner, bannerStyle, w.width - 28) + 14;
    doc.rect(w.left, w.y, w.width, bannerHeight).fill(content.internal ? '#C00000' : '#E2F0D9');
    w.textAt(banner, w.left + 14, w.y + 7, w.width - 28, bannerStyle);
    w.y += bannerHeight + 12;

    const c = content.completeness;
    const none = w.t('none');
    const facts: [string, string][] = [
      [w.t('Reporting quarter'), `${quarter.label} (${formatPeriod(quarter, lang)})`],
      [w.t('As-of date'), formatDate(content.asOfDate, lang)],
      [
        w.t('Projects'),
        w.t('{projects} in scope, {included} with figures in this report', {
          projects: c.projects,
          included: c.included,
        }),
      ],
      [w.t('Validated'), c.validated.join(', ') || none],
      [w.t('Not validated by the cut-off'), c.notValidated.join(', ') || none],
      [w.t('Logframe not approved'), c.notApproved.join(', ') || none],
      [
        w.t('Data completeness'),
        w.t('{noData} indicators without data, {overdue} overdue', {
          noData: c.noDataIndicators,
          overdue: c.overdueIndicators,
        }),
      ],
      [w.t('Status thresholds'), w.t('version {n}', { n: content.thresholds.version })],
    ];
    factsTable(w, facts, { labelWidth: 150, size: 9.5, gap: 5 });
    this.fundingAgreements();
  }

  /** Funding agreements of every project: donor, amount and currency, dates; co-funders beside them. */
  private fundingAgreements(): void {
    const { w, content, lang } = this;
    w.heading(w.t('Funding agreements'), 13, 60);
    const donorScope = content.scope.type === 'donor';
    const rows = content.projects.map((p) => {
      const own = donorScope ? p.fundedBy.filter((f) => f.donorId === content.scope.id) : p.fundedBy;
      const others = donorScope ? p.fundedBy.filter((f) => f.donorId !== content.scope.id) : [];
      const agreements = (own.length ? own : p.fundedBy)
        .map((f) => `${donorScope ? '' : `${f.name}: `}${amountText(f, lang)}`)
        .join('\n');
      const periods = (own.length ? own : p.fundedBy).map((f) => agreementPeriod(f, lang)).join('\n');
      const cofunders = others.map((f) => `${f.name} (${amountText(f, lang)})`).join('\n') || w.t('none');
      return [`${p.code}\n${p.title}`, agreements || w.t('none recorded'), periods || '–', cofunders];
    });
    const columns = [
      { header: w.t('Project'), width: 170 },
      {
        header: donorScope ? w.t('Amount ({donor})', { donor: content.scope.name }) : w.t('Funders and amounts'),
        width: 100,
      },
      { header: w.t('Agreement period'), width: 120 },
      { header: w.t('Co-funders'), width: 110 },
    ];
    w.table(donorScope ? columns : columns.slice(0, 3), donorScope ? rows : rows.map((r) => r.slice(0, 3)), {
      continued: w.t('Funding agreements'),
    });
  }

  private portfolioStatus(): void {
    const { w, content, lang } = this;
    this.doc.outline.addItem(w.t('Portfolio status'));
    w.heading(w.t('Portfolio status'), 16, 220);
    const total = countTotal(content.statusCounts);
    w.paragraph(
      w.t('Status of the {total} indicators of the {included} projects with figures, as of {date}.', {
        total,
        included: content.completeness.included,
        date: formatDate(content.asOfDate, lang),
      }),
      { size: 9.5, colour: TEXT },
      6,
    );
    w.statusBarChart(content.statusCounts, { barHeight: 12, gap: 5 });
    w.legend();
    const included = content.projects.filter((p) => p.report);
    if (included.length > 0) {
      w.heading(w.t('Projects at a glance'), 12, 60);
      w.table(
        [
          { header: w.t('Project'), width: 190 },
          { header: w.t('Quarter'), width: 80 },
          { header: w.t('Indicators by status'), width: 130 },
        ],
        content.projects.map((p) => [
          `${p.code} ${p.title}`,
          p.report
            ? `${statusLabel(p.validation.status, lang)}${p.validation.restated ? w.t(', restated') : ''}`
            : w.t('No figures'),
          p.report ? { counts: p.report.summary.statusCounts } : (p.excludedReason ?? '–'),
        ]),
        { continued: w.t('Projects at a glance') },
      );
    }
  }

  /** One project: identity and funding, then its narrative, outcomes with indicators, risks. Flows on. */
  private async project(p: PortfolioProject): Promise<void> {
    const { w, doc, lang } = this;
    doc.outline.addItem(`${p.code} ${p.title}`);
    const title = `${p.code}  ${p.title}`;
    const titleStyle: TextStyle = { size: 15, font: FONT_BOLD, colour: NAVY, tag: 'H1' };
    w.ensure(w.measure(title, titleStyle) + 160);
    if (w.y > w.top) w.y += 10;
    w.rule(NAVY);
    w.y += w.textAt(title, w.left, w.y, w.width, titleStyle) + 4;
    const revision = p.report
      ? revisionText(p.report, lang)
      : `${p.revision.number} (${codeLabel('revisionStatus', p.revision.status, lang).toLowerCase()})`;
    w.paragraph(
      w.t('Funded by {funders} · logframe revision {revision} · quarter {status}{restated}', {
        funders: p.fundedBy.map((f) => f.name).join(', ') || '–',
        revision,
        status: statusLabel(p.validation.status, lang).toLowerCase(),
        restated: p.validation.restated ? w.t(' (restated)') : '',
      }),
      { size: 8.5, colour: MUTED },
      8,
    );
    if (!p.report) {
      w.paragraph(w.t('No figures: {reason}.', { reason: p.excludedReason ?? w.t('not included in this report') }), {
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
    const { w } = this;
    w.heading(w.t('Outcome {code}', { code: outcome.code }), 11.5, 80);
    w.paragraph(outcome.statement, { size: 10.5, font: FONT_BOLD, colour: TEXT, lineGap: 1.5 }, 4);
    ratingPanel(w, outcome, {
      size: 8.5,
      pad: 10,
      chipAt: 86,
      labelTop: 9,
      textTop: 26,
      bottom: 6,
      keep: 6,
      flowWhenTall: true,
    });
    for (const row of outcome.indicators) {
      await yieldToEventLoop();
      indicatorDetail(w, row);
    }
    const outputs = outcome.outputs.map((o) => `${o.code} ${o.statement}: ${w.countsText(o.statusCounts)}`);
    if (outputs.length > 0) {
      w.heading(w.t('Outputs'), 9.5, 24, TEXT);
      for (const line of outputs) w.paragraph(line, { size: 8.5, colour: TEXT }, 2, 8);
      w.y += 4;
    }
  }

  private rollUps(): void {
    const { w, content, lang } = this;
    const rows = content.rollUps.filter((r) => r.standardIndicator);
    if (rows.length === 0) return;
    this.doc.outline.addItem(w.t('Combined through standard indicators'));
    w.heading(w.t('Combined through standard indicators'), 14, 80);
    for (const r of rows) {
      const figure = (v: number | null) =>
        r.measure === 'percentage'
          ? formatPercent(v, lang)
          : formatValue(v, { measure: 'number', unit: r.unit }, true, lang);
      const status = r.combinedStatus ? `, ${w.status(r.combinedStatus).toLowerCase()}` : '';
      w.heading(`${r.standardIndicator!.code} ${r.standardIndicator!.title}`, 10, 30, TEXT);
      w.paragraph(
        w.t(
          '{projects}: actual {actual} against a target of {target}{baseline} (achievement {achievement}{status}){notCombined}',
          {
            projects: r.projects.map((p) => p.projectCode).join(', '),
            actual: figure(r.combinedActualToDate),
            target: figure(r.combinedTargetToDate),
            baseline:
              r.combinedBaseline !== null ? w.t(' from a baseline of {x}', { x: figure(r.combinedBaseline) }) : '',
            achievement: formatPercent(r.combinedAchievementPercent, lang),
            status,
            notCombined: r.notCombinedReason ? w.t('; not combined: {reason}', { reason: r.notCombinedReason }) : '',
          },
        ),
        { size: 9, colour: TEXT },
        6,
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
 * date. Every label in `options.lang` (English or French). Pure: no database.
 *
 * @returns the PDF file bytes (`application/pdf`)
 */
export async function renderPortfolioPdf(
  content: PortfolioReportContent,
  options: RenderPortfolioPdfOptions = {},
): Promise<Buffer> {
  const report = new PortfolioPdf(content, options);
  return pdfBytes(report.doc, () => report.render());
}
