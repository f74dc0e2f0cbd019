import type { INestApplication } from '@nestjs/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { Decimal } from 'decimal.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parse as parseLossless } from 'lossless-json';
import { DomainException, ErrorCode } from '#libs/common';

/**
 * The one number rule at the API edge (docs/RULES.md, "Numbers at the API edge"): measures,
 * baselines, targets and amounts are JSON numbers with at most 15 significant digits, at most 10
 * decimal places and a magnitude below 10^15, in any notation (`1e-7` is 0.0000001). Anything else
 * is a 400 naming the field.
 *
 * `JSON.parse` silently rounds a number with more than 15–17 significant digits
 * (12345678901234567891 becomes 12345678901234567000), so request bodies are parsed here with
 * lossless-json: a number token with more than 15 significant digits is kept as an
 * `InexactJsonNumber` marker (never a JS number), which `@IsExactNumber()` and every other
 * validator refuse. Tokens of at most 15 significant digits convert to a double that prints back
 * to the same decimal, so `decimalFromJson` recovers the exact value sent.
 */

/** Most significant digits of a JSON number accepted. */
export const MAX_SIGNIFICANT_DIGITS = 15;
/** Most decimal places accepted. */
export const MAX_DECIMAL_PLACES = 10;
/** Magnitude limit (exclusive). */
export const MAX_MAGNITUDE = 1e15;

const MARKER = '$inexactJsonNumber';

/** A JSON number token that a double cannot hold exactly (its text, as sent). */
export interface InexactJsonNumber {
  [MARKER]: string;
}

export function isInexactJsonNumber(value: unknown): value is InexactJsonNumber {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[MARKER] === 'string';
}

/** Significant digits of a decimal number token (`0.00120` → 2, `1200` → 2, `1.200e3` → 2). */
export function significantDigits(token: string): number {
  const mantissa = token.replace(/^-/, '').replace(/[eE].*$/, '');
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/** lossless-json number parser: a JS number when exact, else the marker. */
function parseNumberToken(token: string): number | InexactJsonNumber {
  return significantDigits(token) > MAX_SIGNIFICANT_DIGITS ? { [MARKER]: token } : Number(token);
}

/**
 * Why a value breaks the number rule, or null when it follows it.
 * @param value what the body parser produced for the field
 */
export function exactNumberProblem(value: unknown, maxDecimalPlaces = MAX_DECIMAL_PLACES): string | null {
  if (isInexactJsonNumber(value)) {
    return `has more than ${MAX_SIGNIFICANT_DIGITS} significant digits (${value[MARKER]})`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a JSON number';
  const decimal = new Decimal(String(value));
  if (decimal.abs().greaterThanOrEqualTo(MAX_MAGNITUDE)) return 'must be below 10^15 in magnitude';
  if (decimal.decimalPlaces() > maxDecimalPlaces) return `must have at most ${maxDecimalPlaces} decimal places`;
  if (decimal.precision(true) > MAX_SIGNIFICANT_DIGITS)
    return `has more than ${MAX_SIGNIFICANT_DIGITS} significant digits`;
  return null;
}

/**
 * Class-validator decorator of the number rule: the message names the field and says what is wrong,
 * e.g. `value has more than 15 significant digits (12345678901234567891)`. A field may allow fewer
 * decimal places (`{ maxDecimalPlaces: 2 }` for a budget), counted on the exact decimal, so `1e-7`
 * has 7 (class-validator's `IsNumber` counts none in `'1e-7'`).
 */
export const IsExactNumber = (
  rule: { maxDecimalPlaces?: number } = {},
  options?: ValidationOptions,
): PropertyDecorator => {
  const places = rule.maxDecimalPlaces ?? MAX_DECIMAL_PLACES;
  return ValidateBy(
    {
      name: 'isExactNumber',
      constraints: [places],
      validator: {
        validate: (value: unknown) => exactNumberProblem(value, places) === null,
        defaultMessage: (args) =>
          `${args?.property} ${exactNumberProblem(args?.value, places) ?? 'must be a JSON number'}: a JSON number with at most ${MAX_SIGNIFICANT_DIGITS} significant digits, at most ${places} decimal places and a magnitude below 10^15`,
      },
    },
    options,
  );
};

/**
 * The exact decimal string of a JSON number that passed `IsExactNumber`, in plain notation
 * (`1e-7` → `'0.0000001'`, `1234567.89` → `'1234567.89'`): never float arithmetic.
 */
export function decimalFromJson(value: number): string {
  return new Decimal(String(value)).toFixed();
}

/** A UTF-16 surrogate without its pair: not Unicode text (no UTF-8 encoding exists for it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path (`outcomes[0].statement`, `''` for the body itself) of the first string or key of a parsed
 * body that is not well-formed Unicode text (a lone surrogate, e.g. `"\ud800"`), or null. Such text
 * cannot be stored or validated (validator's byte-length check throws a URIError on it).
 */
export function illFormedTextPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedTextPath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const itemPath = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return itemPath;
      const found = illFormedTextPath(item, itemPath);
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Registers the lossless JSON body parser before Nest's own (which then skips the parsed body):
 * same media types and size limit as Nest's default JSON parser; a malformed body, or text that is not
 * well-formed Unicode ({@link illFormedTextPath}), is a 400 naming the field.
 */
export function useExactJsonBodies(app: INestApplication, limit = '100kb'): void {
  const text = express.text({ type: ['application/json', 'application/*+json'], limit });
  app.use((req: Request, res: Response, next: NextFunction) => {
    text(req, res, (error?: unknown) => {
      if (error) return next(error);
      if (typeof req.body !== 'string') return next();
      if (req.body.trim() === '') {
        req.body = {};
        return next();
      }
      try {
        req.body = parseLossless(req.body, null, parseNumberToken);
        const illFormed = illFormedTextPath(req.body);
        if (illFormed !== null)
          return next(
            DomainException.badRequest(
              ErrorCode.VALIDATION_FAILED,
              `${illFormed || 'The body'} is not valid Unicode text (a lone UTF-16 surrogate)`,
              [
                {
                  path: illFormed,
                  code: 'malformed',
                  params: {},
                  message: 'contains a lone UTF-16 surrogate: send valid Unicode text',
                },
              ],
            ),
          );
        next();
      } catch (parseError) {
        next(
          DomainException.badRequest(ErrorCode.VALIDATION_FAILED, 'The request body is not valid JSON', [
            {
              path: '',
              code: 'malformed',
              params: {},
              message: parseError instanceof Error ? parseError.message : String(parseError),
            },
          ]),
        );
      }
    });
  });
}
