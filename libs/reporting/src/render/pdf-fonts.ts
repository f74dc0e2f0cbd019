import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/**
 * The Unicode fonts the report PDFs embed: Debian's Noto fonts (packages `fonts-noto-core` and
 * `fonts-noto-cjk`, installed by `.ci/run` and the Dockerfile). Each font file is read and parsed
 * once per process, on first use, and shared by every document (pdfkit embeds a subset of the
 * glyphs a document uses).
 */

/** Weight and slant of a text style. */
export type FontWeight = 'regular' | 'bold' | 'italic';

/** One parsed font face: a stable key (the name it is registered under in a document) and the font. */
export interface FontFace {
  key: string;
  font: fontkit.Font;
}

interface FaceSource {
  /** File name under one of {@link FONT_DIRECTORIES}. */
  file: string;
  /** PostScript name of the face inside a collection (`.ttc`). */
  postscriptName?: string;
}

interface ScriptFonts {
  /** The scripts (Unicode `Script` property values) the family is preferred for. */
  scripts: string[];
  regular: FaceSource;
  bold?: FaceSource;
  italic?: FaceSource;
}

/** Where Debian installs the Noto fonts. */
export const FONT_DIRECTORIES = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/opentype/noto'];

/**
 * The font families in fallback order: a character is drawn with the family preferred for its
 * script; a character of no particular script (spaces, digits, punctuation) with the family of the
 * text around it when that family has it; anything else with the first family that has it.
 */
const FAMILIES: ScriptFonts[] = [
  {
    scripts: ['Latin', 'Cyrillic', 'Greek'],
    regular: { file: 'NotoSans-Regular.ttf' },
    bold: { file: 'NotoSans-Bold.ttf' },
    italic: { file: 'NotoSans-Italic.ttf' },
  },
  {
    scripts: ['Arabic'],
    regular: { file: 'NotoNaskhArabic-Regular.ttf' },
    bold: { file: 'NotoNaskhArabic-Bold.ttf' },
  },
  {
    scripts: ['Han', 'Hiragana', 'Katakana', 'Bopomofo', 'Hangul'],
    regular: { file: 'NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
    bold: { file: 'NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' },
  },
  {
    scripts: ['Devanagari'],
    regular: { file: 'NotoSansDevanagari-Regular.ttf' },
    bold: { file: 'NotoSansDevanagari-Bold.ttf' },
  },
  { scripts: ['Hebrew'], regular: { file: 'NotoSansHebrew-Regular.ttf' }, bold: { file: 'NotoSansHebrew-Bold.ttf' } },
  { scripts: ['Thai'], regular: { file: 'NotoSansThai-Regular.ttf' }, bold: { file: 'NotoSansThai-Bold.ttf' } },
  {
    scripts: ['Bengali'],
    regular: { file: 'NotoSansBengali-Regular.ttf' },
    bold: { file: 'NotoSansBengali-Bold.ttf' },
  },
  {
    scripts: ['Myanmar'],
    regular: { file: 'NotoSansMyanmar-Regular.ttf' },
    bold: { file: 'NotoSansMyanmar-Bold.ttf' },
  },
  {
    scripts: ['Ethiopic'],
    regular: { file: 'NotoSansEthiopic-Regular.ttf' },
    bold: { file: 'NotoSansEthiopic-Bold.ttf' },
  },
  { scripts: ['Khmer'], regular: { file: 'NotoSansKhmer-Regular.ttf' }, bold: { file: 'NotoSansKhmer-Bold.ttf' } },
  {
    scripts: ['Georgian'],
    regular: { file: 'NotoSansGeorgian-Regular.ttf' },
    bold: { file: 'NotoSansGeorgian-Bold.ttf' },
  },
  {
    scripts: ['Armenian'],
    regular: { file: 'NotoSansArmenian-Regular.ttf' },
    bold: { file: 'NotoSansArmenian-Bold.ttf' },
  },
  { scripts: [], regular: { file: 'NotoSansSymbols-Regular.ttf' }, bold: { file: 'NotoSansSymbols-Bold.ttf' } },
  { scripts: [], regular: { file: 'NotoSansSymbols2-Regular.ttf' } },
  { scripts: [], regular: { file: 'NotoSansMath-Regular.ttf' } },
];

const SCRIPT_PATTERNS = FAMILIES.flatMap((family, index) =>
  family.scripts.map((script) => ({ family: index, pattern: new RegExp(`^\\p{Script=${script}}$`, 'u') })),
);

/** Fallback order for characters of no script: Latin, then the symbol fonts, then the rest. */
const COMMON_ORDER = [
  FAMILIES[0],
  ...FAMILIES.filter((f) => f.scripts.length === 0),
  ...FAMILIES.slice(1).filter((f) => f.scripts.length > 0),
];

const parsed = new Map<string, FontFace | null>();

function locate(file: string): string | null {
  for (const dir of FONT_DIRECTORIES) {
    const path = `${dir}/${file}`;
    if (existsSync(path)) return path;
  }
  return null;
}

/** Parses a face once per process (the same object every time); null when its file is not installed. */
function load(source: FaceSource): FontFace | null {
  const key = source.postscriptName ?? source.file.replace(/\.(ttf|otf|ttc)$/, '');
  let found = parsed.get(key);
  if (found === undefined) {
    const path = locate(source.file);
    const font = path ? fontkit.create(readFileSync(path), source.postscriptName) : null;
    // A collection without the named face answers the collection itself.
    found = font && 'layout' in font ? { key, font: font as fontkit.Font } : null;
    parsed.set(key, found);
  }
  return found;
}

/** The faces parsed so far in this process (for checks of what a document embeds). */
export function loadedFaces(): FontFace[] {
  return [...parsed.values()].filter((f): f is FontFace => f !== null);
}

function face(family: ScriptFonts, weight: FontWeight): FontFace | null {
  const wanted = weight === 'bold' ? family.bold : weight === 'italic' ? family.italic : undefined;
  return (wanted && load(wanted)) || load(family.regular);
}

/** The Noto fonts are not installed: a report PDF is not rendered rather than printed unreadable. */
export class PdfFontsMissingError extends Error {
  readonly code = 'pdf_fonts_missing';
  constructor() {
    super(`PDF fonts not found in ${FONT_DIRECTORIES.join(' or ')}: install fonts-noto-core and fonts-noto-cjk`);
    this.name = 'PdfFontsMissingError';
  }
}

/** The primary face (Noto Sans) in a weight. @throws PdfFontsMissingError when Noto Sans is not installed */
export function primaryFace(weight: FontWeight): FontFace {
  const found = face(FAMILIES[0], weight);
  if (!found) throw new PdfFontsMissingError();
  return found;
}

/** The index of the family preferred for a character's script, or null (no particular script). */
function preferredFamily(ch: string): number | null {
  for (const { family, pattern } of SCRIPT_PATTERNS) if (pattern.test(ch)) return family;
  return null;
}

/**
 * The face to draw `codePoint` with in a weight: the family preferred for its script when it has
 * the glyph, else `neighbour` (the face of the text before it) when that has it, else the first
 * family that has it. Null when no installed font has a glyph for it.
 */
export function faceFor(codePoint: number, weight: FontWeight, neighbour: FontFace | null): FontFace | null {
  const ch = String.fromCodePoint(codePoint);
  const preferred = preferredFamily(ch);
  if (preferred !== null) {
    const f = face(FAMILIES[preferred], weight);
    if (f?.font.hasGlyphForCodePoint(codePoint)) return f;
  } else if (neighbour?.font.hasGlyphForCodePoint(codePoint)) return neighbour;
  for (const family of preferred === null ? COMMON_ORDER : FAMILIES) {
    const f = face(family, weight);
    if (f?.font.hasGlyphForCodePoint(codePoint)) return f;
  }
  return null;
}

/** Whether a character belongs to no particular script (spaces, digits, punctuation, combining marks). */
export function isCommonScript(ch: string): boolean {
  return /^[\p{Script=Common}\p{Script=Inherited}]$/u.test(ch);
}
