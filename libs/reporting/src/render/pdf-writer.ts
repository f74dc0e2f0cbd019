import type { IndicatorStatus } from '#libs/calculations';
import type { FontWeight } from './pdf-fonts.js';
import { lineHeight, TextEngine } from './pdf-text.js';
import { reportPhrase, type ReportLanguage, statusText } from '../labels.js';
import { STATUS_COLOURS, STATUS_TEXT_COLOURS, STATUS_ORDER, statusLabel } from './presentation.js';

/**
 * Low-level layout on a pdfkit document: wrapped text that never overflows its box, headings kept
 * with what follows, tables that continue on the next page with their header repeated, and charts
 * drawn with pdfkit's own vector graphics. Coordinates are PDF points (1/72 inch) from the page's
 * top-left corner. Text in any script goes through the {@link TextEngine} (embedded Noto fonts,
 * per-run fallback, bidirectional order); the document is tagged (headings, paragraphs, figures with
 * alternative text; running headers and footers are artifacts).
 */

export const FONT: FontWeight = 'regular';
export const FONT_BOLD: FontWeight = 'bold';
export const FONT_ITALIC: FontWeight = 'italic';

export const NAVY = '#1F4E79';
export const TEXT = '#222222';
export const MUTED = '#5F6368';
export const RULE = '#BFC5CC';
export const PANEL = '#F3F6FA';
export const TARGET_TO_DATE = '#6FA8DC';
export const END_TARGET = '#1F4E79';

/** Structure tags of the tagged PDF a text can carry. */
export type TextTag = 'P' | 'H1' | 'H2' | 'H3' | 'Caption';

/** Text style: size in points, weight, colour `#RRGGBB`; `tag` its structure (default `P`). */
export interface TextStyle {
  size: number;
  font?: FontWeight;
  tag?: TextTag;
  colour?: string;
  align?: 'left' | 'right' | 'center';
  lineGap?: number;
}

/** A table column: header text, width in points (scaled to fit the content width), alignment. */
export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}
/** A table cell: text, a status chip (null: `–`), or a stacked bar of indicators per status. */
export type TableCell = string | { status: string | null } | { counts: Record<IndicatorStatus, number> };

const CHIP_HEIGHT = 12;

/**
 * A writer over one pdfkit document (created with `tagged: true`); `y` is the cursor, in points from
 * the top of the current page. Call {@link PdfWriter.finish} before `doc.end()`.
 */
export class PdfWriter {
  y: number;
  /** The text engine: code points no font covers are in `text.missing`. */
  readonly text: TextEngine;
  private readonly root: PDFKit.PDFStructureElement;
  /** Inside a figure, an artifact or another tagged element: text is part of it, not tagged itself. */
  private marking = 0;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly onNewPage: (writer: PdfWriter) => void = () => undefined,
    /** Language of every label the document prints (the catalogues of `labels.ts`). */
    readonly lang: ReportLanguage = 'en',
  ) {
    this.y = doc.page.margins.top;
    this.text = new TextEngine(doc);
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
  }

  /** A fixed phrase in the document's language, `{key}` places filled (`labels.ts` catalogues). */
  t(english: string, values: Readonly<Record<string, string | number>> = {}): string {
    return reportPhrase(english, values, this.lang);
  }

  /** The label of an indicator status in the document's language. */
  status(status: IndicatorStatus): string {
    return statusText(status, this.lang);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get right(): number {
    return this.left + this.width;
  }
  get top(): number {
    return this.doc.page.margins.top;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  /** Usable height of a whole page between the margins. */
  get pageHeight(): number {
    return this.bottom - this.top;
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
    this.artifact(() => this.onNewPage(this));
  }

  /** Ends the structure tree; call once, after the last drawing and before `doc.end()`. */
  finish(): void {
    this.root.end();
  }

  /** Draws `draw` as one structure element (`tag`, with `alt` text for figures); nested marks are left as they are. */
  tagged(tag: string, draw: () => void, options: { alt?: string; lang?: string } = {}): void {
    if (this.marking > 0) {
      draw();
      return;
    }
    this.marking++;
    try {
      this.root.add(this.doc.struct(tag, options, () => draw()));
    } finally {
      this.marking--;
    }
  }

  /** Draws decoration or pagination (running headers, footers) as an artifact, outside the structure tree. */
  artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Pagination'): void {
    if (this.marking > 0) {
      draw();
      return;
    }
    this.marking++;
    this.doc.markContent('Artifact', { type });
    try {
      draw();
    } finally {
      this.doc.endMarkedContent();
      this.marking--;
    }
  }

  /** A figure (chart) with its alternative text for screen readers. */
  figure(alt: string, draw: () => void): void {
    this.tagged('Figure', draw, { alt });
  }

  /** Starts a new page unless `height` points still fit below the cursor (a block taller than a page starts a page). */
  ensure(height: number): void {
    if (this.y + Math.min(height, this.pageHeight) > this.bottom) this.newPage();
  }

  private lineStep(s: TextStyle): number {
    return lineHeight(s.size) + (s.lineGap ?? 1);
  }

  /** Height of `text` wrapped to `width` in a style. */
  measure(text: string, s: TextStyle, width = this.width): number {
    return this.text.lineCount(text, { size: s.size, weight: s.font ?? FONT }, width) * this.lineStep(s);
  }

  /** Width of one line of `text` in a style. */
  textWidth(text: string, s: TextStyle): number {
    return this.text.widthOf(text, { size: s.size, weight: s.font ?? FONT });
  }

  /**
   * Draws wrapped text at (x, y) within `width`; clipped with an ellipsis to `maxHeight` when
   * given (the text never runs past its box or the page). Returns the height used.
   */
  textAt(text: string, x: number, y: number, width: number, s: TextStyle, maxHeight?: number): number {
    const step = this.lineStep(s);
    const limit = Math.min(maxHeight ?? Infinity, this.bottom - y);
    const maxLines = Math.max(1, Math.floor((limit + 0.5) / step));
    let lines = 0;
    this.tagged(s.tag ?? 'P', () => {
      this.doc.fillColor(s.colour ?? TEXT);
      lines = this.text.draw(
        text,
        x,
        y,
        width,
        { size: s.size, weight: s.font ?? FONT },
        {
          align: s.align ?? 'left',
          lineGap: s.lineGap ?? 1,
          maxLines,
        },
      );
    });
    return lines * step;
  }

  /** A paragraph at the cursor, full width (or from `indent`); flows onto a new page when needed. */
  paragraph(text: string, s: TextStyle, after = 4, indent = 0): void {
    const width = this.width - indent;
    const style = { size: s.size, weight: s.font ?? FONT };
    const direction = this.text.directionOf(text);
    const step = this.lineStep(s);
    let rest = text;
    // Split long paragraphs at line boundaries so each page's part fits (no overflow past the margin).
    while (rest) {
      this.ensure(step * 2);
      const fit = Math.max(1, Math.floor((this.bottom - this.y + 0.5) / step));
      const [head, tail] = this.text.splitAfterLines(rest, style, width, fit);
      this.tagged(s.tag ?? 'P', () => {
        this.doc.fillColor(s.colour ?? TEXT);
        this.text.draw(head, this.left + indent, this.y, width, style, {
          align: s.align ?? 'left',
          lineGap: s.lineGap ?? 1,
          direction,
        });
      });
      this.y += this.measure(head, s, width);
      rest = tail;
      if (rest) this.newPage();
      else this.y += after;
    }
  }

  /** A section heading kept together with at least `keep` points of what follows (H1 from 16 pt, H2 from 12 pt, else H3). */
  heading(text: string, size = 13, keep = 60, colour = NAVY): void {
    const s: TextStyle = { size, font: FONT_BOLD, colour, tag: size >= 16 ? 'H1' : size >= 12 ? 'H2' : 'H3' };
    const height = this.measure(text, s);
    this.ensure(height + keep);
    this.y += this.y > this.top ? 6 : 0;
    this.textAt(text, this.left, this.y, this.width, s);
    this.y += height + 4;
  }

  /**
   * The footer of the current page, in the band below the bottom margin: `items` joined by ` · `
   * (wrapped between items onto a second line when they do not fit, never cut), `banner` in bold
   * red in the middle, `page` on the right. An artifact (not read as content).
   */
  footer(items: string[], banner: string | null, page: string): void {
    const { doc } = this;
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    this.artifact(() => {
      const y = doc.page.height - 44;
      doc.moveTo(this.left, y).lineTo(this.right, y).lineWidth(0.4).strokeColor(RULE).stroke();
      const s: TextStyle = { size: 7.5, colour: MUTED };
      const bannerStyle: TextStyle = { size: 7.5, font: FONT_BOLD, colour: '#C00000' };
      const pageWidth = this.textWidth(page, s) + 4;
      const bannerWidth = banner ? this.textWidth(banner, bannerStyle) + 12 : 0;
      const available = this.width - pageWidth - bannerWidth - 8;
      const lines: string[] = [];
      for (const item of items) {
        const last = lines.length - 1;
        if (last >= 0 && this.textWidth(`${lines[last]} · ${item}`, s) <= available) lines[last] += ` · ${item}`;
        else lines.push(item);
      }
      lines.forEach((line, n) => this.textAt(line, this.left, y + 6 + n * 10.5, available, s, 10.5));
      if (banner) this.textAt(banner, this.left + available + 6, y + 6, bannerWidth, bannerStyle, 10.5);
      this.textAt(page, this.right - pageWidth, y + 6, pageWidth, { ...s, align: 'right' }, 10.5);
    });
    doc.page.margins.bottom = margin;
  }

  /** A thin horizontal rule across the content width. */
  rule(colour = RULE): void {
    this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(0.6).strokeColor(colour).stroke();
    this.y += 6;
  }

  /** A rounded status chip at (x, y) with its label; returns its width. `null` draws a muted dash. */
  chip(x: number, y: number, status: string | null, size = 7.5, maxWidth = Infinity): number {
    if (status === null) {
      this.textAt('–', x, y + 2, 20, { size: 8, colour: MUTED });
      return 10;
    }
    const known = status in STATUS_COLOURS ? (status as IndicatorStatus) : null;
    const label = statusLabel(status, this.lang);
    const s: TextStyle = { size, font: FONT_BOLD, colour: known ? STATUS_TEXT_COLOURS[known] : TEXT };
    // Shrink the label to fit a narrow cell (never below 5 pt).
    while (this.textWidth(label, s) + 8 > maxWidth && s.size > 5) s.size -= 0.25;
    const pad = Math.min(5, Math.max(2, (maxWidth - this.textWidth(label, s)) / 2));
    const w = this.textWidth(label, s) + 2 * pad;
    this.doc.roundedRect(x, y, w, CHIP_HEIGHT, 3).fill(known ? STATUS_COLOURS[known] : PANEL);
    this.textAt(label, x + pad, y + (CHIP_HEIGHT - s.size) / 2 + 0.5, w, s);
    return w;
  }

  /** Colour squares with the status labels, wrapped across the content width. */
  legend(x = this.left, width = this.width): void {
    const s: TextStyle = { size: 8, colour: TEXT };
    let cx = x;
    const height = 12;
    this.ensure(height + 4);
    for (const status of STATUS_ORDER) {
      const w = 14 + this.textWidth(this.status(status), s) + 14;
      if (cx + w > x + width) {
        cx = x;
        this.y += height;
      }
      this.doc.rect(cx, this.y + 1, 9, 9).fill(STATUS_COLOURS[status]);
      if (status === 'not_assessable')
        this.doc
          .rect(cx, this.y + 1, 9, 9)
          .lineWidth(0.4)
          .strokeColor('#9E9E9E')
          .stroke();
      this.textAt(this.status(status), cx + 13, this.y + 1.5, w, s);
      cx += w;
    }
    this.y += height + 4;
  }

  /**
   * A horizontal bar chart of the number of indicators per status (one bar per status, in report
   * order, on a common count scale), each bar labelled with its count and share of the total.
   */
  statusBarChart(
    counts: Record<IndicatorStatus, number>,
    opts: { barHeight?: number; gap?: number; labelWidth?: number } = {},
  ): void {
    const barHeight = opts.barHeight ?? 14;
    const gap = opts.gap ?? 6;
    const labelWidth = opts.labelWidth ?? 90;
    const total = STATUS_ORDER.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    const max = Math.max(1, ...STATUS_ORDER.map((s) => counts[s] ?? 0));
    const x0 = this.left + labelWidth;
    const valueWidth = 60;
    const barArea = this.width - labelWidth - valueWidth;
    const height = STATUS_ORDER.length * (barHeight + gap) + 4;
    this.ensure(height + 20);
    const top = this.y;
    const bars = STATUS_ORDER.map((s) => `${this.status(s)} ${counts[s] ?? 0}`).join(', ');
    const alt = this.t('Bar chart of indicators by status: {bars} ({total} in all).', { bars, total });
    this.figure(alt, () =>
      this.drawStatusBars(counts, { barHeight, gap, labelWidth, total, max, x0, valueWidth, barArea, top }),
    );
    this.y = top + height;
  }

  private drawStatusBars(
    counts: Record<IndicatorStatus, number>,
    o: {
      barHeight: number;
      gap: number;
      labelWidth: number;
      total: number;
      max: number;
      x0: number;
      valueWidth: number;
      barArea: number;
      top: number;
    },
  ): void {
    const { barHeight, gap, labelWidth, total, max, x0, valueWidth, barArea, top } = o;
    STATUS_ORDER.forEach((status, index) => {
      const y = top + index * (barHeight + gap);
      const count = counts[status] ?? 0;
      this.textAt(this.status(status), this.left, y + (barHeight - 8) / 2, labelWidth - 8, {
        size: 8.5,
        colour: TEXT,
        align: 'right',
      });
      const w = (count / max) * barArea;
      if (w > 0) {
        this.doc.rect(x0, y, w, barHeight).fill(STATUS_COLOURS[status]);
        if (status === 'not_assessable')
          this.doc.rect(x0, y, w, barHeight).lineWidth(0.4).strokeColor('#9E9E9E').stroke();
      }
      const share = total > 0 ? ` (${Math.round((count / total) * 100)} %)` : '';
      this.textAt(`${count}${share}`, x0 + w + 4, y + (barHeight - 8) / 2, valueWidth + 20, {
        size: 8.5,
        font: FONT_BOLD,
        colour: TEXT,
      });
    });
    this.doc
      .moveTo(x0, top - 2)
      .lineTo(x0, top + STATUS_ORDER.length * (barHeight + gap) - gap + 2)
      .lineWidth(0.8)
      .strokeColor(MUTED)
      .stroke();
  }

  /** Indicators per status in words: `2 on track, 1 at risk` (`no indicators` when none). */
  countsText(counts: Record<IndicatorStatus, number>): string {
    return (
      STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0)
        .map((s) => `${counts[s]} ${this.status(s).toLowerCase()}`)
        .join(', ') || this.t('no indicators')
    );
  }

  /** A stacked bar of indicators per status in a box (x, y, w, h), with the total written after it. */
  stackedBar(counts: Record<IndicatorStatus, number>, x: number, y: number, w: number, h: number): void {
    const total = STATUS_ORDER.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    const barWidth = w - 18;
    if (total === 0) {
      this.textAt(this.t('no indicators'), x, y + 1, w, { size: 7.5, colour: MUTED });
      return;
    }
    const alt = this.t('{total} indicators: {counts}.', { total, counts: this.countsText(counts) });
    this.figure(alt, () => {
      let cx = x;
      for (const status of STATUS_ORDER) {
        const part = ((counts[status] ?? 0) / total) * barWidth;
        if (part <= 0) continue;
        this.doc.rect(cx, y, part, h).fill(STATUS_COLOURS[status]);
        cx += part;
      }
      this.doc.rect(x, y, barWidth, h).lineWidth(0.4).strokeColor('#9E9E9E').stroke();
      this.textAt(String(total), x + barWidth + 3, y + (h - 7.5) / 2, 18, { size: 7.5, font: FONT_BOLD });
    });
  }

  /**
   * Horizontal bars on a common scale (zero included), one per row, each with its value written
   * after the bar; `marker` draws a dashed vertical line (e.g. the baseline). Null values are
   * written as `missing` text without a bar. Returns the height used.
   */
  valueBars(
    bars: { label: string; value: number | null; text: string; colour: string }[],
    x: number,
    y: number,
    width: number,
    marker?: { value: number; label: string },
  ): number {
    const labelWidth = 82;
    const valueWidth = 92;
    const barHeight = 10;
    const gap = 5;
    const numbers = [
      ...bars.map((b) => b.value).filter((v): v is number => v !== null),
      ...(marker ? [marker.value] : []),
      0,
    ];
    const lo = Math.min(...numbers);
    let hi = Math.max(...numbers);
    if (hi === lo) hi = lo + 1;
    const x0 = x + labelWidth;
    const area = width - labelWidth - valueWidth;
    const at = (v: number) => x0 + ((v - lo) / (hi - lo)) * area;
    const alt = this.t('Bar chart: {bars}.', {
      bars: `${bars.map((b) => `${b.label} ${b.text}`).join('; ')}${marker ? `; ${marker.label}` : ''}`,
    });
    let used = bars.length * (barHeight + gap) - gap + (marker ? 11 : 0);
    this.figure(alt, () => {
      used = this.drawValueBars(bars, { x, y, width, marker, labelWidth, valueWidth, barHeight, gap, x0, area, at });
    });
    return used;
  }

  private drawValueBars(
    bars: { label: string; value: number | null; text: string; colour: string }[],
    o: {
      x: number;
      y: number;
      width: number;
      marker?: { value: number; label: string };
      labelWidth: number;
      valueWidth: number;
      barHeight: number;
      gap: number;
      x0: number;
      area: number;
      at: (v: number) => number;
    },
  ): number {
    const { x, y, width, marker, labelWidth, valueWidth, barHeight, gap, x0, area, at } = o;
    bars.forEach((bar, index) => {
      const by = y + index * (barHeight + gap);
      this.textAt(bar.label, x, by + 1.5, labelWidth - 6, { size: 7.5, colour: MUTED, align: 'right' });
      if (bar.value === null) {
        this.textAt(bar.text, x0 + 3, by + 1.5, area + valueWidth - 3, { size: 7.5, font: FONT_ITALIC, colour: MUTED });
        return;
      }
      const a = at(Math.min(0, bar.value));
      const b = at(Math.max(0, bar.value));
      this.doc.rect(a, by, Math.max(b - a, 0.8), barHeight).fill(bar.colour);
      if (bar.colour === STATUS_COLOURS.not_assessable)
        this.doc
          .rect(a, by, Math.max(b - a, 0.8), barHeight)
          .lineWidth(0.4)
          .strokeColor('#9E9E9E')
          .stroke();
      this.textAt(bar.text, Math.max(b, at(0)) + 3, by + 1.5, valueWidth + (x0 + area - Math.max(b, at(0))) - 3, {
        size: 7.5,
        font: FONT_BOLD,
      });
    });
    const chartHeight = bars.length * (barHeight + gap) - gap;
    this.doc
      .moveTo(at(0), y - 2)
      .lineTo(at(0), y + chartHeight + 2)
      .lineWidth(0.6)
      .strokeColor(MUTED)
      .stroke();
    let used = chartHeight;
    if (marker) {
      const mx = at(marker.value);
      this.doc
        .moveTo(mx, y - 3)
        .lineTo(mx, y + chartHeight + 3)
        .lineWidth(0.7)
        .dash(2, { space: 2 })
        .strokeColor('#333333')
        .stroke()
        .undash();
      const style: TextStyle = { size: 6.5, colour: MUTED };
      const markerWidth = this.textWidth(marker.label, style) + 2;
      // Right of the marker when it fits in the chart, else ending just left of it.
      const lx = mx + 2 + markerWidth <= x + width ? mx + 2 : Math.max(x, mx - 2 - markerWidth);
      this.textAt(marker.label, lx, y + chartHeight + 3, markerWidth + 2, style);
      used += 11;
    }
    return used;
  }

  /**
   * A table at the cursor. Rows wrap their text; a row that does not fit goes to the next page,
   * where the header is repeated (with `continued` above it). Column widths are scaled to the
   * content width. A cell taller than a page is clipped with an ellipsis.
   */
  table(columns: TableColumn[], rows: TableCell[][], opts: { continued?: string; fontSize?: number } = {}): void {
    const fontSize = opts.fontSize ?? 8;
    const pad = 3.5;
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const headerStyle: TextStyle = { size: 7.5, font: FONT_BOLD, colour: '#FFFFFF' };
    const cellStyle: TextStyle = { size: fontSize, colour: TEXT };
    const headerHeight =
      Math.max(...columns.map((c, i) => this.measure(c.header, headerStyle, widths[i] - 2 * pad))) + 2 * pad;
    const maxCell = this.pageHeight - headerHeight - 40;
    const cellHeight = (cell: TableCell, i: number) =>
      typeof cell === 'string'
        ? Math.min(this.measure(cell || ' ', cellStyle, widths[i] - 2 * pad), maxCell)
        : CHIP_HEIGHT;
    const rowHeight = (row: TableCell[]) => Math.max(...row.map(cellHeight)) + 2 * pad;

    const drawHeader = (continued: boolean) => {
      if (continued && opts.continued) {
        this.textAt(this.t('{title} (continued)', { title: opts.continued }), this.left, this.y, this.width, {
          size: 8,
          font: FONT_ITALIC,
          colour: MUTED,
        });
        this.y += 12;
      }
      this.doc.rect(this.left, this.y, this.width, headerHeight).fill(NAVY);
      let cx = this.left;
      columns.forEach((c, i) => {
        this.textAt(c.header, cx + pad, this.y + pad, widths[i] - 2 * pad, {
          ...headerStyle,
          align: c.align ?? 'left',
        });
        cx += widths[i];
      });
      this.y += headerHeight;
    };

    this.ensure(headerHeight + (rows[0] ? rowHeight(rows[0]) : 0) + 4);
    drawHeader(false);
    rows.forEach((row, r) => {
      const h = rowHeight(row);
      if (this.y + h > this.bottom) {
        this.newPage();
        drawHeader(true);
      }
      if (r % 2 === 1) this.doc.rect(this.left, this.y, this.width, h).fill(PANEL);
      let cx = this.left;
      row.forEach((cell, i) => {
        const w = widths[i];
        if (typeof cell === 'string')
          this.textAt(
            cell || ' ',
            cx + pad,
            this.y + pad,
            w - 2 * pad,
            { ...cellStyle, align: columns[i].align ?? 'left' },
            maxCell,
          );
        else if ('status' in cell) this.chip(cx + pad, this.y + pad, cell.status, 7, w - 2 * pad);
        else this.stackedBar(cell.counts, cx + pad, this.y + pad + 1, w - 2 * pad, CHIP_HEIGHT - 2);
        cx += w;
      });
      this.y += h;
      this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(0.3).strokeColor(RULE).stroke();
    });
    this.y += 8;
  }
}
