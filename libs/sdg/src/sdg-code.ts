/**
 * Normalisation of UN SDG codes as written in IATI files.
 *
 * The UN framework writes goals `1`..`17`, targets `16.4` / `1.a` (letters lower case) and
 * indicators `16.4.1` / `1.a.1`. Publishers write `1.A`, `01.2`, ` 16.4 `, `SDG 16.4`, `Target 16.4`.
 * The one place SDG codes are normalised (the API's lookups and the IATI importer use it).
 */

/** Normalised forms, as the framework writes them. */
const GOAL_CODE = /^([1-9]|1[0-7])$/;
const TARGET_CODE = /^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])$/;
const INDICATOR_CODE = /^([1-9]|1[0-7])\.([1-9][0-9]?|[a-z])\.([1-9][0-9]?)$/;

/** A normalised code and whether it differs from what was written. */
export interface NormalisedSdgCode {
  /** The UN form, e.g. `'1.a'`. */
  code: string;
  /** `true` when `code` differs from the trimmed raw code (e.g. `'1.A'` → `'1.a'`). */
  changed: boolean;
}

const GOAL = /^(?:sdg|goal)?\s*0*(\d{1,2})$/i;
const TARGET = /^(?:sdg|target)?\s*0*(\d{1,2})\s*\.\s*(?:0*(\d{1,2})|([a-z]))$/i;
const INDICATOR = /^(?:sdg|indicator)?\s*0*(\d{1,2})\s*\.\s*(?:0*(\d{1,2})|([a-z]))\s*\.\s*0*(\d{1,2})$/i;

function isGoal(n: string): boolean {
  const goal = Number(n);
  return goal >= 1 && goal <= 17;
}

function result(raw: string, code: string): NormalisedSdgCode {
  return { code, changed: code !== raw.trim() };
}

/**
 * Normalises an SDG goal code (`'01'` → `'1'`, `'SDG 5'` → `'5'`).
 * @returns `null` when it is not a goal number 1–17.
 */
export function normaliseSdgGoalCode(raw: string | null | undefined): NormalisedSdgCode | null {
  const m = GOAL.exec((raw ?? '').trim());
  if (!m || !isGoal(m[1])) return null;
  return result(raw ?? '', String(Number(m[1])));
}

/**
 * Normalises an SDG target code: `'1.A'` → `'1.a'`, `'01.02'` → `'1.2'`, `'Target 16.4'` → `'16.4'`.
 * Checks the form only (goal 1–17, target a number or one letter); whether the target exists in
 * the framework is the caller's question.
 * @returns `null` when the code is not of a target's form.
 */
export function normaliseSdgTargetCode(raw: string | null | undefined): NormalisedSdgCode | null {
  const m = TARGET.exec((raw ?? '').trim());
  if (!m || !isGoal(m[1])) return null;
  const target = m[2] !== undefined ? String(Number(m[2])) : m[3].toLowerCase();
  if (target === '0') return null;
  return result(raw ?? '', `${Number(m[1])}.${target}`);
}

/**
 * Normalises an SDG indicator code: `'1.A.1'` → `'1.a.1'`, `'16.04.01'` → `'16.4.1'`.
 * @returns `null` when the code is not of an indicator's form.
 */
export function normaliseSdgIndicatorCode(raw: string | null | undefined): NormalisedSdgCode | null {
  const m = INDICATOR.exec((raw ?? '').trim());
  if (!m || !isGoal(m[1])) return null;
  const target = m[2] !== undefined ? String(Number(m[2])) : m[3].toLowerCase();
  if (target === '0' || Number(m[4]) === 0) return null;
  return result(raw ?? '', `${Number(m[1])}.${target}.${Number(m[4])}`);
}

/**
 * The normalised form of any SDG code (indicator, target or goal) as the framework writes it:
 * `' 1.A '` → `'1.a'`, `'16.04.01'` → `'16.4.1'`. A string of no SDG form is only trimmed and
 * lower-cased (lookups then answer "not found"). Does not check that the code exists.
 */
export function normaliseSdgCode(raw: string): string {
  const normalised = normaliseSdgIndicatorCode(raw) ?? normaliseSdgTargetCode(raw) ?? normaliseSdgGoalCode(raw);
  return normalised?.code ?? raw.trim().toLowerCase();
}

/** `'goal' | 'target' | 'indicator'` for a well-formed (normalised) code, else `null`. */
export function sdgCodeKind(code: string): 'goal' | 'target' | 'indicator' | null {
  if (GOAL_CODE.test(code)) return 'goal';
  if (TARGET_CODE.test(code)) return 'target';
  if (INDICATOR_CODE.test(code)) return 'indicator';
  return null;
}

/** The target an indicator code belongs to (`16.4.1` → `16.4`). */
export function targetOfIndicator(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}
