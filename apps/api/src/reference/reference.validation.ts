import { exactNumberProblem } from '../common/exact-number.js';
import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { CalcDecimal } from '#libs/calculations';
import { DomainException, ErrorCode } from '#libs/common';
import type { ReferencePageRequest } from '#libs/logframe';
import { type PageQueryDto, resolveSort } from '../common/paging.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar date `YYYY-MM-DD` (no 2026-02-30) in the years 1900–2199. */
export function isCalendarDate(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar date `YYYY-MM-DD` (years 1900–2199), held as a string in every time zone. */
export const IsCalendarDate = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: isCalendarDate,
        defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD (years 1900–2199)`,
      },
    },
    options,
  );

/** An optional field that, when sent, must not be null (unlike `@IsOptional()`, which lets null through unchecked). */
export const OptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Text with at least one character that is not white space. */
export const NotBlank = (field: string): PropertyDecorator => Matches(/\S/, { message: `${field} must not be blank` });

/** Largest money amount accepted (exclusive): 10^15, so every accepted JSON number converts to its exact decimal. */
export const MAX_AMOUNT = 1e15;
/** Most decimal places of a money amount (ISO 4217 minor units go up to 4). */
export const MAX_AMOUNT_DECIMALS = 4;

/**
 * A money amount as a JSON number: finite, 0 ≤ amount < 10^15, at most 4 decimal places (checked on
 * the number's shortest decimal form, so `1e-7` is refused too).
 */
export const IsMoneyAmount = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isMoneyAmount',
      constraints: [MAX_AMOUNT, MAX_AMOUNT_DECIMALS],
      validator: {
        validate: (value: unknown) =>
          exactNumberProblem(value) === null &&
          typeof value === 'number' &&
          Number.isFinite(value) &&
          value >= 0 &&
          value < MAX_AMOUNT &&
          new CalcDecimal(String(value)).decimalPlaces() <= MAX_AMOUNT_DECIMALS,
        defaultMessage: (args) =>
          `${args?.property} must be a JSON number from 0 to less than 10^15 with at most ${MAX_AMOUNT_DECIMALS} decimal places`,
      },
    },
    options,
  );

/** The exact decimal string of a JSON number (the API's one number rule, `common/exact-number.ts`). */
export { decimalFromJson } from '../common/exact-number.js';

/** The JSON number of a stored decimal string, at the API edge only (null stays null). */
export function jsonFromDecimal(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** Query booleans: `true`/`false` become booleans; anything else stays as sent (and fails `@IsBoolean`). */
export const QueryBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/**
 * The page request of a list from the shared paging query: page 1 and 50 rows by default, `sort` one
 * of `fields` (prefix `-` for descending), else `fallback`.
 * @throws DomainException bad_request (field `sort`) naming the allowed fields
 */
export function pageRequest<F extends string>(
  query: PageQueryDto,
  fields: readonly F[],
  fallback: F,
): ReferencePageRequest<F> {
  const resolved = resolveSort(query.sort, Object.fromEntries(fields.map((f) => [f, f])), fallback);
  if (resolved.error)
    throw DomainException.badRequest(ErrorCode.VALIDATION_FAILED, resolved.error, [
      { path: 'sort', code: 'isIn', params: { values: fields.join(', ') }, message: resolved.error },
    ]);
  return {
    page: query.page ?? 1,
    pageSize: query.pageSize ?? 50,
    sort: resolved.column as F,
    direction: resolved.direction,
  };
}
