import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { IatiParseErrorCode, IatiParseException } from './iati-parse.exception.js';

/**
 * An XML element as read by fast-xml-parser with the options below: attributes under `@_name`
 * (strings), text under `#text`, and every child element name mapped to an ARRAY of elements.
 */
export interface XmlElement {
  [key: string]: XmlElement[] | string | undefined;
}

const ATTR = '@_';
const TEXT = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  // Keep every value a string: figures are parsed exactly by parseIatiNumber, never as floats.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  // Decode numeric character references (`&#xA3;` → `£`, `&#xD;`), which IATI exports use a lot:
  // fast-xml-parser v5 leaves them as written unless `htmlEntities` is on (it also decodes a few
  // HTML names such as `&nbsp;`, harmless here). The option is marked deprecated in favour of
  // `entityDecoder`, which would mean importing fast-xml-parser's own transitive dependency.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element is an array, so repeated and single elements read the same way.
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

/**
 * Parses an XML document into {@link XmlElement}s after checking it is well formed.
 * @returns the root element's name and the element itself.
 * @throws IatiParseException (`xml_malformed`, `empty_document`) when the document cannot be read.
 */
export function readXml(xml: string): { rootName: string; root: XmlElement } {
  const text = typeof xml === 'string' ? xml.replace(/^\uFEFF/, '') : '';
  if (text.trim() === '') {
    throw new IatiParseException(IatiParseErrorCode.Empty, 'The IATI file is empty.');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new IatiParseException(
      IatiParseErrorCode.XmlMalformed,
      `The file is not well-formed XML (line ${line}, column ${col}): ${msg}`,
      line,
      col,
    );
  }
  const doc = parser.parse(text) as XmlElement;
  const rootName = Object.keys(doc).find((k) => !k.startsWith(ATTR) && k !== TEXT && !k.startsWith('?'));
  const roots = rootName ? doc[rootName] : undefined;
  if (!rootName || !Array.isArray(roots) || roots.length === 0) {
    throw new IatiParseException(IatiParseErrorCode.XmlMalformed, 'The file holds no XML element.');
  }
  return { rootName, root: roots[0] };
}

/** Child elements named `name` (empty array when none). */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  const v = el?.[name];
  return Array.isArray(v) ? v : [];
}

/** First child element named `name`. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

/** Attribute value (trimmed by the parser), or `undefined` when absent. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  const v = el?.[ATTR + name];
  return typeof v === 'string' ? v : undefined;
}

/** Attribute value, or `null` when absent or blank. */
export function attrOrNull(el: XmlElement | undefined, name: string): string | null {
  const v = attr(el, name);
  return v === undefined || v.trim() === '' ? null : v.trim();
}

/** Element text (trimmed), `''` when none. */
export function text(el: XmlElement | undefined): string {
  const v = el?.[TEXT];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Text of the best `<narrative>` child: the first non-empty one marked English (`xml:lang` en, any
 * case), else the first non-empty one. `null` when there is none.
 */
export function narrative(el: XmlElement | undefined): string | null {
  let first: string | null = null;
  for (const n of children(el, 'narrative')) {
    const t = text(n).replace(/\r\n?/g, '\n');
    if (t === '') continue;
    const lang = attr(n, 'xml:lang');
    if (lang !== undefined && /^en\b/i.test(lang)) return t;
    first ??= t;
  }
  return first;
}
