import { CalcDecimal } from '#libs/calculations';

/** Why a raw IATI value could not be read as a number. */
export type IatiNumberProblem =
  /** nothing there (`''`, blanks) */
  | 'empty'
  /** a stand-in for "no figure": `:`, `-`, `N/A`, `TBD`, `none`, ... */
  | 'placeholder'
  /** a year and a figure run together, e.g. `2020:2160` or `2020:Yes` */
  | 'year_prefixed'
  /** digit grouping that could also be a decimal comma, e.g. `12,5` or `1,23,456` */
  | 'ambiguous_separator'
  /** anything else: narrative text, ranges, several numbers */
  | 'not_numeric';

/** Outcome of {@link parseIatiNumber}. */
export interface IatiNumber {
  /** Normalised exact decimal string (`'3500000'`, `'12.5'`), or `null` when unusable. */
  value: string | null;
  /** ISO 4217 code when the raw value carried a currency symbol or code (`£` → `GBP`). */
  currency: string | null;
  /** `true` when the raw value ended with `%` (the number is kept on its 0–100 scale). */
  percent: boolean;
  /** Why `value` is `null`; `null` when it parsed. */
  problem: IatiNumberProblem | null;
  /** Plain-English reason, quoting nothing (callers quote the raw value); `null` when it parsed. */
  reason: string | null;
  /**
   * For `year_prefixed` values only: the year and the text after the colon, and that text
   * as a number when it is one (`'2020:2160'` → `{ year: '2020', figure: '2160', figureValue: '2160' }`).
   * The figure is NOT used as the value: which period it belongs to is unclear.
   */
  yearPrefix?: { year: string; figure: string; figureValue: string | null };
}

/** Currency symbols read in front of or after a figure. `$` is taken as US dollars. */
const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  '£': 'GBP',
  '€': 'EUR',
  $: 'USD',
  US$: 'USD',
};

/** Active ISO 4217 codes, accepted as `USD 100`, `100 USD`, `usd100`. */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN ' +
    'BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
    'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN ' +
    'NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK ' +
    'SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU ' +
    'UZS VED VES VND VUV WST XAF XCD XDR XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Words publishers write instead of a figure. */
const PLACEHOLDER_WORDS = new Set([
  'n/a',
  'na',
  'n.a.',
  'n.a',
  'nil',
  'none',
  'null',
  'tbd',
  'tbc',
  'not applicable',
  'not available',
  'unknown',
]);

/**
 * sign? currency-prefix? sign? body currency-or-percent-suffix?
 * Groups: 1 sign, 2 symbol prefix, 3 code prefix, 4 sign, 5 body, 6 percent, 7 symbol suffix, 8 code suffix.
 */
const NUMBER_PATTERN =
  /^([+-])?\s*(?:(US\$|[£€$])|([A-Za-z]{3})(?=\s*[+\-.\d]))?\s*([+-])?\s*(\d[\d, ]*(?:\.\d+)?|\.\d+)\s*(?:(%)|([£€$])|([A-Za-z]{3}))?$/;

const YEAR_PREFIX = /^((?:19|20)\d{2})\s*:\s*(.*)$/s;
/** Integer part with grouping: 1-3 digits then groups of exactly three, one separator kind. */
const GROUPED_COMMA = /^\d{1,3}(?:,\d{3})+$/;
const GROUPED_SPACE = /^\d{1,3}(?: \d{3})+$/;

function fail(problem: IatiNumberProblem, reason: string, extra: Partial<IatiNumber> = {}): IatiNumber {
  return { value: null, currency: null, percent: false, problem, reason, ...extra };
}

/**
 * Normalises a plain decimal string (`'0012.50'` → `'12.5'`, `'-0'` → `'0'`) without exponent notation.
 * @throws Error when `plain` is not a decimal number.
 */
export function normaliseDecimal(plain: string): string {
  const d = new CalcDecimal(plain);
  if (!d.isFinite()) throw new Error(`Not a finite decimal: ${plain}`);
  return d.isZero() ? '0' : d.toFixed();
}

/**
 * Compares two normalised decimal strings exactly: negative when `a < b`, 0 when equal, positive when `a > b`.
 */
export function compareDecimals(a: string, b: string): number {
  return new CalcDecimal(a).cmp(new CalcDecimal(b));
}

/** Adds normalised decimal strings exactly. */
export function sumDecimals(values: readonly string[]): string {
  let total = new CalcDecimal(0);
  for (const v of values) total = total.plus(v);
  return total.isZero() ? '0' : total.toFixed();
}

/**
 * Reads an IATI `@value` (of `<target>`, `<actual>`, `<baseline>`, `<budget><value>`) as an exact
 * decimal string. Never uses JS floats.
 *
 * Accepted: `'12'`, `'12.5'`, `' 1,234 '` → `'1234'`, `'1 234 567'`, `'-3'`, `'.5'` → `'0.5'`,
 * `'£3,500,000'` → `'3500000'` + `GBP` (also `$` → USD, `US$`, `€`, `'USD 100'`, `'100 EUR'`),
 * `'45%'` → `'45'` + `percent`.
 * Refused (value `null`, with `problem` and `reason`): `''`, `':'`, `'N/A'`, `'2020:2160'`
 * (a year and a figure run together), `'12,5'` (could be a decimal comma), ranges and narrative text.
 *
 * @param raw the attribute or element text as written; `null`/`undefined` count as empty.
 * @returns never throws.
 */
export function parseIatiNumber(raw: string | null | undefined): IatiNumber {
  if (raw === null || raw === undefined) return fail('empty', 'no value is given');
  // No-break and thin spaces are used as thousands separators; treat them as plain spaces.
  const text = raw.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').trim();
  if (text === '') return fail('empty', 'the value is empty');
  if (/^[\s:;\-–—./?*_x]*$/i.test(text) || PLACEHOLDER_WORDS.has(text.toLowerCase())) {
    return fail('placeholder', 'it is a placeholder, not a figure');
  }

  const yearMatch = YEAR_PREFIX.exec(text);
  if (yearMatch) {
    const [, year, rest] = yearMatch;
    const figure = rest.trim();
    const inner = figure === '' ? null : parseIatiNumber(figure);
    const figureValue = inner && inner.value !== null ? inner.value : null;
    const reason =
      figure === ''
        ? `it is a year (${year}) followed by a colon with no figure`
        : figureValue !== null
          ? `it looks like a year (${year}) and a figure (${figure}) run together, so it is unclear which period the figure belongs to`
          : `it is a year (${year}) followed by text ("${figure}"), not a figure`;
    return fail('year_prefixed', reason, { yearPrefix: { year, figure, figureValue } });
  }

  const m = NUMBER_PATTERN.exec(text);
  if (!m) return fail('not_numeric', 'it is not a number');
  const [, sign1, symbolPrefix, codePrefix, sign2, body, percentSign, symbolSuffix, codeSuffix] = m;
  if (sign1 && sign2) return fail('not_numeric', 'it has two signs');

  const currencies: string[] = [];
  for (const code of [codePrefix, codeSuffix]) {
    if (code === undefined) continue;
    const upper = code.toUpperCase();
    if (!ISO_4217.has(upper)) return fail('not_numeric', 'it is not a number');
    currencies.push(upper);
  }
  for (const symbol of [symbolPrefix, symbolSuffix]) {
    if (symbol !== undefined) currencies.push(CURRENCY_SYMBOLS[symbol]);
  }
  if (currencies.length > 1) return fail('not_numeric', 'it names more than one currency');
  if (percentSign && currencies.length > 0) return fail('not_numeric', 'it has both a currency and a percent sign');

  const [intPart, fraction] = body.trim().split('.');
  let digits = intPart;
  if (/[, ]/.test(intPart)) {
    if (GROUPED_COMMA.test(intPart)) digits = intPart.replace(/,/g, '');
    else if (GROUPED_SPACE.test(intPart)) digits = intPart.replace(/ /g, '');
    else if (/ /.test(intPart)) return fail('not_numeric', 'it holds several numbers or text');
    else return fail('ambiguous_separator', 'the comma could be a decimal comma or a thousands separator');
  }
  const sign = sign1 ?? sign2 ?? '';
  const plain = `${sign === '-' ? '-' : ''}${digits === '' ? '0' : digits}${fraction !== undefined ? `.${fraction}` : ''}`;
  return {
    value: normaliseDecimal(plain),
    currency: currencies[0] ?? null,
    percent: Boolean(percentSign),
    problem: null,
    reason: null,
  };
}
