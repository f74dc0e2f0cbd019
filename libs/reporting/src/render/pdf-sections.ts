import type { ProjectReportContent } from '../project-report.js';
import { FONT_BOLD, FONT_ITALIC, MUTED, PANEL, type PdfWriter, TEXT } from './pdf-writer.js';
import { statusLabel } from './presentation.js';

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

/** A code in words for readers (`partly_achieved` → `Partly achieved`). */
export const humanise = (code: string): string => statusLabel(code);

/**
 * The quarterly narrative under a heading (`size` points): each part given, in order; nothing
 * when the report has no narrative or every part is empty.
 */
export function narrativeSection(w: PdfWriter, content: ProjectReportContent, size = 13): void {
  const narrative = narrativeOf(content);
  const parts = narrative ? NARRATIVE_PARTS.filter(([key]) => narrative[key]?.trim()) : [];
  if (!narrative || parts.length === 0) return;
  w.heading('Quarterly narrative', size, 60);
  for (const [key, label] of parts) {
    w.heading(label, Math.max(9.5, size - 3), 30, TEXT);
    w.paragraph(narrative[key] ?? '', { size: 9.5, colour: TEXT, lineGap: 2 }, 6);
  }
}

/** Assumptions and risks with the manager's update for the quarter, one block each; nothing when none. */
export function assumptionsSection(w: PdfWriter, content: ProjectReportContent, size = 12): void {
  if (content.assumptions.length === 0) return;
  w.heading('Assumptions and risks: update for the quarter', size, 60);
  for (const a of content.assumptions) {
    const meta = [
      `${humanise(a.kind)} (${a.element})`,
      a.likelihood ? `likelihood ${humanise(a.likelihood).toLowerCase()}` : null,
      a.impact ? `impact ${humanise(a.impact).toLowerCase()}` : null,
    ]
      .filter(Boolean)
      .join(' · ');
    const update = a.update
      ? `Update: ${humanise(a.update.status)}${a.update.note ? `. ${a.update.note}` : ''}`
      : 'No update given for the quarter.';
    const lines = [
      { text: meta, style: { size: 8, font: FONT_BOLD, colour: MUTED } },
      { text: a.statement, style: { size: 9, colour: TEXT } },
      ...(a.mitigation ? [{ text: `Mitigation: ${a.mitigation}`, style: { size: 8.5, colour: TEXT } }] : []),
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
