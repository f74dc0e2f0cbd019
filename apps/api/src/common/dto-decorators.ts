import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsExactNumber } from './exact-number.js';

/**
 * Composite property decorators for the request and response DTOs: one name for each decorator stack
 * the DTOs repeat. Each one writes the same OpenAPI property and the same class-validator rules, in the
 * same order, as the stack it names, so the document and the field errors (codes, params and English
 * messages) stay as they were.
 */

/** Swagger options of a composite, merged over its own (descriptions, examples, `readOnly`). */
type Api = Omit<ApiPropertyOptions, 'type' | 'required' | 'nullable' | 'format'>;

type Decorator = PropertyDecorator;

/**
 * Applies decorators as if stacked above a property in the order given: the lowest runs first, as
 * TypeScript runs a written stack. The order matters: with `stopAtFirstError` the first rule that
 * fails is the only one reported.
 */
export function stacked(...decorators: Decorator[]): Decorator {
  return applyDecorators(...[...decorators].reverse());
}

/** A decorator built from the property's own name (for messages that name the field). */
function named(build: (name: string) => Decorator): Decorator {
  return (target, key) => build(String(key))(target, key);
}

/** Calendar date `YYYY-MM-DD` (month 01–12, day 01–31). */
export const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The message of a failed calendar date: "`name` must be a calendar date YYYY-MM-DD". */
export const dateMessage = (name: string) => ({ message: `${name} must be a calendar date YYYY-MM-DD` });

/** Optional, and null allowed: the other rules of the property run only on a value that is neither. */
export const Nullable = () => ValidateIf((_, v) => v !== null && v !== undefined);

/**
 * An array of nested objects of class `type()`, each validated: `{ type: [X] }` in OpenAPI; field
 * errors `isArray` (not an array), `arrayMaxSize` with `{ max }` (more than `max` elements), then the
 * elements' own errors under `field[i]`.
 * @param type the element class (a thunk, as `@Type` takes it)
 * @param options `max`: most elements accepted; `optional`: the field may be left out (`required: false`)
 */
export function NestedArray(type: () => new () => object, options: { max: number; optional?: boolean }, api?: Api) {
  const optional = options.optional ?? false;
  return stacked(
    ApiProperty({ type: [type()], ...(optional ? { required: false } : {}), ...api }),
    ...(optional ? [IsOptional()] : []),
    IsArray(),
    ArrayMaxSize(options.max),
    ValidateNested({ each: true }),
    Type(type),
  );
}

/**
 * A nested object of class `type()` that may be left out or null: `{ type: X, nullable: true,
 * required: false }` in OpenAPI; its own field errors under `field.`.
 */
export function NullableNested(type: () => new () => object, api?: Api) {
  return stacked(
    ApiProperty({ required: false, nullable: true, type: type(), ...api }),
    Nullable(),
    ValidateNested(),
    Type(type),
  );
}

/**
 * A number that may be left out or null, under the one number rule (`isExactNumber`: at most 15
 * significant digits, 10 decimal places, magnitude below 10^15). Units: those of the indicator.
 */
export function NullableNumber(api?: Api) {
  return stacked(ApiProperty({ type: Number, required: false, nullable: true, ...api }), Nullable(), IsExactNumber());
}

/**
 * A text of at most `max` characters that may be left out or null: field errors `isString`, then
 * `maxLength` with `{ max }`.
 */
export function NullableText(max: number, api?: Api) {
  return stacked(
    ApiProperty({ type: String, required: false, nullable: true, ...api }),
    Nullable(),
    IsString(),
    MaxLength(max),
  );
}

/**
 * A calendar date `YYYY-MM-DD` that may be left out or null (`format: date` in OpenAPI): field error
 * `matches`, "<field> must be a calendar date YYYY-MM-DD".
 */
export function NullableDate(api?: Api) {
  return named((name) =>
    stacked(
      ApiProperty({ type: String, format: 'date', required: false, nullable: true, ...api }),
      Nullable(),
      Matches(DATE, dateMessage(name)),
    ),
  );
}

/**
 * A required text, not blank, of at most `max` characters: field errors `isString`, `notBlank` with
 * the message given (it says what the text is for), then `maxLength` with `{ max }`.
 */
export function NonBlankText(blankMessage: string, max: number, api?: ApiPropertyOptions) {
  return stacked(ApiProperty({ ...api }), IsString(), Matches(/\S/, { message: blankMessage }), MaxLength(max));
}

/**
 * A stable id that may be left out (a new element; then matched by code where it has one): `format:
 * uuid` in OpenAPI; field error `isUUID`, "id must be a UUID".
 */
export function OptionalId(api?: Api) {
  return stacked(
    ApiProperty({ required: false, format: 'uuid', ...api }),
    IsOptional(),
    IsUUID('all', { message: 'id must be a UUID' }),
  );
}

/**
 * A required reference to another record by its UUID: `format: uuid` in OpenAPI; field error
 * `isUUID`, "<field> must be a UUID".
 */
export function UuidRef(api?: Api) {
  return named((name) =>
    stacked(ApiProperty({ format: 'uuid', ...api }), IsUUID('all', { message: `${name} must be a UUID` })),
  );
}

/** A reference by UUID that may be left out (a filter): as {@link UuidRef}, `required: false`. */
export function OptionalUuidRef(api?: Api) {
  return named((name) =>
    stacked(
      ApiProperty({ required: false, format: 'uuid', ...api }),
      IsOptional(),
      IsUUID('all', { message: `${name} must be a UUID` }),
    ),
  );
}

/** A reference by UUID that may be left out or null: as {@link UuidRef}, `required: false, nullable: true`. */
export function NullableUuidRef(api?: Api) {
  return named((name) =>
    stacked(
      ApiProperty({ type: String, required: false, nullable: true, format: 'uuid', ...api }),
      Nullable(),
      IsUUID('all', { message: `${name} must be a UUID` }),
    ),
  );
}
