import bidiModule from 'bidi-js';
import { LRUCache } from 'lru-cache';
import { faceFor, type FontFace, type FontWeight, isCommonScript, primaryFace } from './pdf-fonts.js';

/**
 * Unicode text on a pdfkit page in any script. A paragraph is broken into lines on its logical
 * text (at spaces, between ideographs, at word boundaries of scripts written without spaces);
 * then each line is cut into runs of one font and one bidirectional level, the runs are put in
 * visual order by the Unicode bidirectional algorithm (bidi-js), and each run is drawn with its own
 * font. fontkit (inside pdfkit) shapes a run and lays out an Arabic or Hebrew run right to left
 * itself, so characters are never reversed here; runs are also cut at spaces (one Arabic run per
 * word: drawing a whole sentence as one run lost a space between two words). A character no
 * installed font covers is drawn as a visible box and reported in {@link TextEngine.missing}.
 * Lengths are PDF points; `size` is the font size in points.
 */

// bidi-js is CommonJS: its module value is the factory its type declarations call `default`.
const bidiFactory = bidiModule as unknown as typeof bidiModule.default;
const bidi = bidiFactory();

/** Line metrics as a share of the font size: room above the baseline and below it. */
const ASCENT = 1.0;
const DESCENT = 0.3;

/** Height of one line of text in a size, without the gap between lines. */
export const lineHeight = (size: number) => size * (ASCENT + DESCENT);

/** The text style the engine needs: size in points and weight. */
export interface RunStyle {
  size: number;
  weight: FontWeight;
}

/** Where a line of a paragraph starts and ends (UTF-16 indices; `end` excludes trailing spaces). */
interface Line {
  start: number;
  end: number;
  width: number;
}

interface Paragraph {
  text: string;
  faces: (FontFace | null)[];
  size: number;
}

const advanceCache = new LRUCache<string, number>({ max: 50_000 });
const faceCache = new LRUCache<string, (FontFace | null)[]>({ max: 5_000 });

/** Advance width of `text` drawn in `face`, in ems (shaped: ligatures, contextual forms, kerning). */
function advance(face: FontFace, text: string): number {
  const key = `${face.key}\u0000${text}`;
  let em = advanceCache.get(key);
  if (em === undefined) {
    em = face.font.layout(text).advanceWidth / face.font.unitsPerEm;
    advanceCache.set(key, em);
  }
  return em;
}

/** Spaces a line may break at (no-break spaces stay glyphs inside their word). */
const WHITESPACE = /^[ \u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]$/u;
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]$/u;
const NO_SPACE_SCRIPTS = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const RTL_SCRIPT = /^[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]$/u;
const JOINING = /^[\p{Mn}\p{Me}\p{Mc}\u200c\u200d]$/u;
const PUNCTUATION_OR_SYMBOL = /^[\p{P}\p{S}]$/u;
const OPENING = /^\p{Ps}$/u;

/** Width of the box drawn for a character no font covers, in ems. */
const PLACEHOLDER_EM = 0.6;
const PLACEHOLDER_COLOUR = '#C00000';

const codePointLength = (text: string, i: number) => ((text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1);

/** Lays out and draws Unicode text for one pdfkit document. */
export class TextEngine {
  /** Code points no installed font covers, in the order met (drawn as boxes). */
  readonly missing = new Set<number>();
  private readonly registered = new Set<string>();

  constructor(private readonly doc: PDFKit.PDFDocument) {
    primaryFace('regular');
  }

  /** The lines of `text` wrapped to `width` (Infinity: no wrapping), per paragraph (`\n` separated). */
  private layout(text: string, style: RunStyle, width: number): { paragraph: Paragraph; lines: Line[] }[] {
    return text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      .split('\n')
      .map((line) => {
        const paragraph = this.paragraph(line, style);
        return { paragraph, lines: this.wrap(paragraph, width) };
      });
  }

  /** Assigns a face to every character: by script, falling back per character (cached per process). */
  private paragraph(text: string, style: RunStyle): Paragraph {
    const key = `${style.weight}\u0000${text}`;
    let faces = faceCache.get(key);
    if (!faces) {
      faces = this.faces(text, style);
      faceCache.set(key, faces);
    }
    return { text, faces, size: style.size };
  }

  private faces(text: string, style: RunStyle): (FontFace | null)[] {
    const faces: (FontFace | null)[] = new Array<FontFace | null>(text.length).fill(null);
    const common: number[] = [];
    for (let i = 0; i < text.length; i += codePointLength(text, i)) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
      if (isCommonScript(ch)) common.push(i);
      else faces[i] = faceFor(text.codePointAt(i) ?? 0, style.weight, null);
    }
    // Characters of no script take the face of the letters before them, else of the letters after them.
    const strong = [...faces];
    for (const i of common) {
      const cp = text.codePointAt(i) ?? 0;
      let neighbour: FontFace | null = null;
      for (let j = i - 1; j >= 0 && !neighbour; j--) neighbour = strong[j];
      if (!neighbour) for (let j = i + 1; j < text.length && !neighbour; j++) neighbour = strong[j];
      faces[i] = faceFor(cp, style.weight, neighbour ?? primaryFace(style.weight));
    }
    for (let i = 0; i < text.length; i++) if (codePointLength(text, i) === 2) faces[i + 1] = faces[i];
    return faces;
  }

  /** Width of text[start, end) in points: the sum of its runs of one face. */
  private width(p: Paragraph, start: number, end: number): number {
    let total = 0;
    let runStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && p.faces[i] === p.faces[runStart]) continue;
      if (runStart < i) {
        const face = p.faces[runStart];
        const run = p.text.slice(runStart, i);
        total += face ? advance(face, run) : PLACEHOLDER_EM * [...run].length;
      }
      runStart = i;
    }
    return total * p.size;
  }

  /** Indices where a line may start: after spaces, around ideographs, at word boundaries of Thai and the like. */
  private breaks(text: string): number[] {
    const out = new Set<number>();
    for (let i = 1; i < text.length; i++) {
      const prev = text[i - 1];
      const ch = text[i];
      if (WHITESPACE.test(ch)) continue;
      if (WHITESPACE.test(prev)) out.add(i);
      else if ((CJK.test(ch) || CJK.test(prev)) && !PUNCTUATION_OR_SYMBOL.test(ch) && !OPENING.test(prev)) out.add(i);
    }
    if (NO_SPACE_SCRIPTS.test(text)) {
      const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
      for (const s of segmenter.segment(text))
        if (s.index > 0 && NO_SPACE_SCRIPTS.test(text[s.index]) && !WHITESPACE.test(text[s.index])) out.add(s.index);
    }
    return [...out].sort((a, b) => a - b);
  }

  /**
   * Width of text[start, end) as the sum of its words and spaces measured one by one (each cached),
   * so breaking a paragraph measures each word once rather than every prefix of every line.
   */
  private span(p: Paragraph, start: number, end: number, stops: ReadonlySet<number>): number {
    let total = 0;
    let from = start;
    for (let i = start + 1; i <= end; i++) {
      if (i < end && !stops.has(i) && WHITESPACE.test(p.text[i]) === WHITESPACE.test(p.text[i - 1])) continue;
      total += this.width(p, from, i);
      from = i;
    }
    return total;
  }

  /** Greedy line breaking on the logical text; a word wider than the line is cut between characters. */
  private wrap(p: Paragraph, width: number): Line[] {
    const text = p.text;
    const trimEnd = (start: number, end: number) => {
      while (end > start && WHITESPACE.test(text[end - 1])) end--;
      return end;
    };
    const breaks = this.breaks(text);
    const stopSet = new Set(breaks);
    if (width === Infinity || text.length === 0) {
      const end = trimEnd(0, text.length);
      return [{ start: 0, end, width: this.span(p, 0, end, stopSet) }];
    }
    const stops = [...breaks, text.length];
    const lines: Line[] = [];
    let start = 0;
    // Width of the line so far: from `start` to `last` (trailing spaces included).
    let last = 0;
    let used = 0;
    const push = (end: number) => {
      const e = trimEnd(start, end);
      lines.push({ start, end: e, width: this.span(p, start, e, stopSet) });
      start = end;
      used = 0;
    };
    for (const stop of stops) {
      const end = trimEnd(last, stop);
      const content = this.span(p, last, end, stopSet);
      if (used + content <= width + 0.01) {
        used += content + this.span(p, end, stop, stopSet);
        last = stop;
        continue;
      }
      if (last > start) push(last);
      // The piece from `start` to `stop` may itself be too wide: cut it between graphemes.
      while (this.width(p, start, trimEnd(start, stop)) > width + 0.01) {
        const graphemes = [
          ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text.slice(start, stop)),
        ];
        let cut = start + graphemes[0].segment.length;
        for (const g of graphemes.slice(1)) {
          const next = start + g.index + g.segment.length;
          if (this.width(p, start, trimEnd(start, next)) > width + 0.01) break;
          cut = next;
        }
        if (cut >= stop) break;
        push(cut);
      }
      used = this.span(p, start, stop, stopSet);
      last = stop;
    }
    if (start < text.length || lines.length === 0) push(text.length);
    return lines;
  }

  /** Number of lines `text` takes at `width`. */
  lineCount(text: string, style: RunStyle, width: number): number {
    return this.layout(text, style, width).reduce((n, p) => n + p.lines.length, 0);
  }

  /**
   * Cuts `text` after its first `count` lines at `width`: the head (those lines' logical text, `\n`
   * between paragraphs kept) and the rest (empty when all fit).
   */
  splitAfterLines(text: string, style: RunStyle, width: number, count: number): [string, string] {
    const all = this.layout(text, style, width);
    const head: string[] = [];
    let left = count;
    for (let k = 0; k < all.length; k++) {
      const { paragraph, lines } = all[k];
      if (lines.length <= left) {
        head.push(paragraph.text);
        left -= lines.length;
        continue;
      }
      const cut = left > 0 ? lines[left].start : 0;
      if (left > 0) head.push(paragraph.text.slice(0, cut).trimEnd());
      const rest = [paragraph.text.slice(cut), ...all.slice(k + 1).map((a) => a.paragraph.text)].join('\n');
      return [head.join('\n'), rest];
    }
    return [head.join('\n'), ''];
  }

  /** The direction of the first paragraph of `text` (from its first strong character). */
  directionOf(text: string): 'ltr' | 'rtl' {
    return (bidi.getEmbeddingLevels(text.split('\n')[0] ?? '').paragraphs[0]?.level ?? 0) % 2 === 1 ? 'rtl' : 'ltr';
  }

  /** Width of the widest paragraph of `text` unwrapped, in points. */
  widthOf(text: string, style: RunStyle): number {
    return Math.max(0, ...this.layout(text, style, Infinity).map((p) => p.lines[0]?.width ?? 0));
  }

  /**
   * Draws `text` wrapped to `width` from (x, y) (top of the first line), at most `maxLines` lines
   * (the last one shown ends with `…` when text is left out). `align` `left` is the start side: a
   * right-to-left paragraph is aligned right. `direction`: the paragraphs' base direction (default:
   * from each paragraph's first strong character). Returns the number of lines drawn.
   */
  draw(
    text: string,
    x: number,
    y: number,
    width: number,
    style: RunStyle,
    opts: {
      align?: 'left' | 'right' | 'center';
      lineGap?: number;
      maxLines?: number;
      direction?: 'ltr' | 'rtl';
    } = {},
  ): number {
    const all = this.layout(text, style, width);
    const step = lineHeight(style.size) + (opts.lineGap ?? 0);
    const maxLines = opts.maxLines ?? Infinity;
    let drawn = 0;
    const total = all.reduce((n, p) => n + p.lines.length, 0);
    for (const { paragraph, lines } of all) {
      const levels = bidi.getEmbeddingLevels(paragraph.text, opts.direction);
      const rtl = (levels.paragraphs[0]?.level ?? 0) % 2 === 1;
      for (const line of lines) {
        if (drawn >= maxLines) return drawn;
        const truncate = drawn === maxLines - 1 && total > maxLines;
        if (truncate) {
          // Shorten the line until it fits with an ellipsis, then lay that text out again.
          let end = line.end;
          const ellipsis = '…';
          const fits = (e: number) =>
            this.widthOf(paragraph.text.slice(line.start, e) + ellipsis, style) <= width + 0.01 || e <= line.start;
          while (!fits(end)) end--;
          const shortened = this.paragraph(paragraph.text.slice(line.start, end).trimEnd() + ellipsis, style);
          const l = { start: 0, end: shortened.text.length, width: this.width(shortened, 0, shortened.text.length) };
          this.drawLine(
            shortened,
            bidi.getEmbeddingLevels(shortened.text, rtl ? 'rtl' : 'ltr'),
            l,
            x,
            y,
            width,
            opts.align,
            rtl,
          );
        } else this.drawLine(paragraph, levels, line, x, y, width, opts.align, rtl);
        y += step;
        drawn++;
      }
    }
    return drawn;
  }

  private face(face: FontFace): string {
    if (!this.registered.has(face.key)) {
      this.doc.registerFont(face.key, face.font as unknown as PDFKit.Mixins.PDFFontSource);
      this.registered.add(face.key);
    }
    return face.key;
  }

  /** One line: runs in visual order, each drawn with its face; spaces are gaps. */
  private drawLine(
    p: Paragraph,
    levels: ReturnType<typeof bidi.getEmbeddingLevels>,
    line: Line,
    x: number,
    y: number,
    width: number,
    align: 'left' | 'right' | 'center' = 'left',
    rtl: boolean,
  ): void {
    if (line.end <= line.start) return;
    const text = p.text;
    const order = bidi
      .getReorderedIndices(text, levels, line.start, line.end - 1)
      // bidi-js answers the whole string's indices, reordered within the line.
      .slice(line.start, line.end)
      // One entry per code point: the index of its first UTF-16 unit.
      .filter((i: number) => !(i > 0 && /[\udc00-\udfff]/.test(text[i]) && /[\ud800-\udbff]/.test(text[i - 1])));
    type Unit = { from: number; to: number; level: number; face: FontFace | null; space: boolean; mirror?: string };
    const units: Unit[] = [];
    for (const i of order) {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
      const level = levels.levels[i];
      const face = p.faces[i];
      const space = WHITESPACE.test(ch);
      const odd = level % 2 === 1;
      const prev = units[units.length - 1];
      const joins =
        prev &&
        !space &&
        !prev.space &&
        prev.face === face &&
        prev.level === level &&
        prev.mirror === undefined &&
        (odd ? i + ch.length === prev.from && (RTL_SCRIPT.test(ch) || JOINING.test(ch)) : i === prev.to);
      if (joins && odd) prev.from = i;
      else if (joins) prev.to = i + ch.length;
      else {
        const mirrored = odd && !RTL_SCRIPT.test(ch) ? bidi.getMirroredCharacter(ch) : null;
        units.push({ from: i, to: i + ch.length, level, face, space, ...(mirrored ? { mirror: mirrored } : {}) });
      }
    }
    const widths = units.map((u) => {
      const t = u.mirror ?? text.slice(u.from, u.to);
      return (u.face ? advance(u.face, t) : PLACEHOLDER_EM * [...t].length) * p.size;
    });
    const total = widths.reduce((a, b) => a + b, 0);
    const side = align === 'left' && rtl ? 'right' : align;
    let cx = side === 'right' ? x + width - total : side === 'center' ? x + (width - total) / 2 : x;
    const baseline = y + p.size * ASCENT;
    units.forEach((u, k) => {
      const t = u.mirror ?? text.slice(u.from, u.to);
      if (!u.space) {
        if (u.face)
          this.doc
            .font(this.face(u.face))
            .fontSize(p.size)
            .text(t, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
        else {
          for (const ch of t) this.missing.add(ch.codePointAt(0) ?? 0);
          const em = p.size;
          [...t].forEach((_, n) => {
            this.doc
              .save()
              .rect(cx + n * PLACEHOLDER_EM * em + 0.1 * em, baseline - 0.7 * em, 0.4 * em, 0.7 * em)
              .lineWidth(Math.max(0.4, em / 20))
              .strokeColor(PLACEHOLDER_COLOUR)
              .stroke()
              .restore();
          });
        }
      }
      cx += widths[k];
    });
  }
}
