import type { ProjectReportContent } from '../project-report.js';
import { FONT_BOLD, FONT_ITALIC, MUTED, PANEL, type PdfWriter, RULE, TEXT, type TextStyle } from './pdf-writer.js';
import { codeLabel } from '../labels.js';

/** The quarterly narrative of a project (four parts, each text or null), when the report carries one. */
export interface ReportNarrative {
  progressSummary: string | null;
  challenges: string | null;
  lessonsLearned: string | null;
  nextQuarter: string | null;
}

/** The narrative of a report's content: `content.narrative` when present and not null, else null. */
export function narrativeOf(content: ProjectReportContent): ReportNarrative | null {
  const narrative = (content as ProjectReportContent & { narrative?: ReportNarrative | null }).narrative;
  return narrative ?? null;
}

const NARRATIVE_PARTS: [keyof ReportNarrative, string][] = [
  ['progressSummary', 'Progress summary'],
  ['challenges', 'Challenges'],
  ['lessonsLearned', 'Lessons learned'],
  ['nextQuarter', 'Next quarter'],
];

/**
 * Label and value rows at the cursor, each followed by a thin rule (a cover's facts). A label that wraps
 * (French) sets the row's height when it is the taller.
 */
export function factsTable(
  w: PdfWriter,
  facts: [string, string][],
  o: { labelWidth: number; size: number; gap: number },
): void {
  const labelStyle: TextStyle = { size: o.size, font: FONT_BOLD, colour: MUTED };
  for (const [label, value] of facts) {
    const labelHeight = w.measure(label, labelStyle, o.labelWidth - 8);
    const valueHeight = w.measure(value, { size: o.size }, w.width - o.labelWidth);
    const h = Math.max(valueHeight, 12, labelHeight > 1.5 * o.size ? labelHeight : 0);
    w.ensure(h + 8);
    w.textAt(label, w.left, w.y, o.labelWidth - 8, labelStyle);
    w.textAt(value, w.left + o.labelWidth, w.y, w.width - o.labelWidth, { size: o.size, colour: TEXT });
    w.y += h + o.gap;
    w.doc
      .moveTo(w.left, w.y - o.gap / 2)
      .lineTo(w.right, w.y - o.gap / 2)
      .lineWidth(0.3)
      .strokeColor(RULE)
      .stroke();
  }
}

/** Code points as `U+0378, U+E000`. */
export function missingCharactersText(codePoints: number[]): string {
  return codePoints.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
}

/**
 * Characters no embedded font has are drawn as boxes: named in a last section ("Rendering notes") and
 * handed to `onMissingCharacters` (the report file row records them; the report's flags list them).
 */
export function renderingNotes(w: PdfWriter, onMissingCharacters?: (codePoints: number[]) => void): void {
  const missing = [...w.text.missing].sort((a, b) => a - b);
  if (missing.length === 0) return;
  onMissingCharacters?.(missing);
  w.heading(w.t('Rendering notes'), 11, 40, TEXT);
  w.paragraph(
    w.t('Characters without a font in this PDF, shown as boxes: {codes}.', { codes: missingCharactersText(missing) }),
    { size: 8.5, colour: MUTED },
    6,
  );
}

/** The footer of every page: `items` (the whole as-of date among them), the internal banner, `Page n of N`. */
export function pdfFooters(w: PdfWriter, items: string[], banner: string | null): void {
  const range = w.doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    w.doc.switchToPage(i);
    w.footer(items, banner, w.t('Page {n} of {total}', { n: i - range.start + 1, total: range.count }));
  }
}

/** The bytes of a pdfkit document once `render` has drawn it (the document is ended here). */
export async function pdfBytes(doc: PDFKit.PDFDocument, render: () => Promise<void>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  await render();
  doc.end();
  return done;
}

/**
 * The quarterly narrative under a heading (`size` points): each part given, in order; nothing
 * when the report has no narrative or every part is empty.
 */
export function narrativeSection(w: PdfWriter, content: ProjectReportContent, size = 13): void {
  const narrative = narrativeOf(content);
  const parts = narrative ? NARRATIVE_PARTS.filter(([key]) => narrative[key]?.trim()) : [];
  if (!narrative || parts.length === 0) return;
  w.heading(w.t('Quarterly narrative'), size, 60);
  for (const [key, label] of parts) {
    w.heading(w.t(label), Math.max(9.5, size - 3), 30, TEXT);
    w.paragraph(narrative[key] ?? '', { size: 9.5, colour: TEXT, lineGap: 2 }, 6);
  }
}

/** Assumptions and risks with the manager's update for the quarter, one block each; nothing when none. */
export function assumptionsSection(w: PdfWriter, content: ProjectReportContent, size = 12): void {
  if (content.assumptions.length === 0) return;
  w.heading(w.t('Assumptions and risks: update for the quarter'), size, 60);
  const lang = w.lang;
  for (const a of content.assumptions) {
    const meta = [
      `${codeLabel('assumptionKind', a.kind, lang)} (${a.element})`,
      a.likelihood ? w.t('likelihood {x}', { x: codeLabel('likelihood', a.likelihood, lang).toLowerCase() }) : null,
      a.impact ? w.t('impact {x}', { x: codeLabel('likelihood', a.impact, lang).toLowerCase() }) : null,
    ]
      .filter(Boolean)
      .join(' · ');
    const update = a.update
      ? w.t('Update: {status}{note}', {
          status: codeLabel('assumptionStatus', a.update.status, lang),
          note: a.update.note ? `. ${a.update.note}` : '',
        })
      : w.t('No update given for the quarter.');
    const lines = [
      { text: meta, style: { size: 8, font: FONT_BOLD, colour: MUTED } },
      { text: a.statement, style: { size: 9, colour: TEXT } },
      ...(a.mitigation
        ? [{ text: w.t('Mitigation: {text}', { text: a.mitigation }), style: { size: 8.5, colour: TEXT } }]
        : []),
      { text: update, style: { size: 8.5, font: FONT_ITALIC, colour: TEXT } },
    ];
    const inner = w.width - 16;
    const height = lines.reduce((h, l) => h + w.measure(l.text, l.style, inner) + 2, 10);
    if (height <= w.pageHeight) {
      w.ensure(height + 4);
      w.doc.rect(w.left, w.y, w.width, height).fill(PANEL);
      let y = w.y + 5;
      for (const l of lines) y += w.textAt(l.text, w.left + 8, y, inner, l.style) + 2;
      w.y += height + 4;
    } else for (const l of lines) w.paragraph(l.text, l.style, 2, 8);
  }
}
