import { describe, expect, it } from '@jest/globals';
import { ArrayMaxSize, getMetadataStorage, IsIn, IsString, Matches, MaxLength, Min } from 'class-validator';
import { DomainException, FIELD_ERROR_CODES } from '#libs/common';
import * as adminDtos from '../admin/admin.dto.js';
import * as approvalDtos from '../approval/approval.dto.js';
import * as authDtos from '../auth/auth.dto.js';
import * as iatiDtos from '../iati/iati.dto.js';
import * as logframeDtos from '../logframe/logframe.dto.js';
import * as progressDtos from '../progress/progress.dto.js';
import * as projectDtos from '../projects/projects.dto.js';
import * as donorDtos from '../reference/donors.dto.js';
import * as fundingDtos from '../reference/funding-agreements.dto.js';
import * as programmeDtos from '../reference/programmes.dto.js';
import * as standardDtos from '../reference/standard-indicators.dto.js';
import * as reportDtos from '../reports/reports.dto.js';
import * as sdgDtos from '../sdg/sdg.dto.js';
import { IsExactNumber } from './exact-number.js';
import { buildValidationPipe, CONSTRAINT_CODES } from './validation.js';

class NoteDto {
  @IsString()
  @MaxLength(4000)
  comment: string;

  @IsIn(['achieved', 'not_achieved'])
  rating: string;

  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;

  @IsExactNumber({ maxDecimalPlaces: 2 })
  amount: number;

  @Min(0)
  count: number;

  @ArrayMaxSize(2)
  tags: string[];
}

/** The field errors the API's validation pipe answers for a body. */
async function fieldErrors(body: object) {
  try {
    await buildValidationPipe().transform(body, { type: 'body', metatype: NoteDto });
  } catch (error) {
    if (error instanceof DomainException) return error.errors;
    throw error;
  }
  throw new Error('the body passed');
}

const valid = { comment: 'ok', rating: 'achieved', reason: 'why', amount: 1.5, count: 1, tags: [] };

describe('validation pipe: field errors with stable codes and params', () => {
  it('answers the constraint as a code with its arguments as params (one test per code keeps the English message)', async () => {
    expect(await fieldErrors({ ...valid, comment: 'x'.repeat(4001) })).toEqual([
      {
        path: 'comment',
        code: 'maxLength',
        params: { max: 4000 },
        message: 'comment must be shorter than or equal to 4000 characters',
      },
    ]);
    expect(await fieldErrors({ ...valid, rating: 'great' })).toEqual([
      {
        path: 'rating',
        code: 'isIn',
        params: { values: 'achieved, not_achieved' },
        message: 'rating must be one of the following values: achieved, not_achieved',
      },
    ]);
    expect(await fieldErrors({ ...valid, reason: '   ' })).toEqual([
      { path: 'reason', code: 'notBlank', params: {}, message: 'reason must not be blank' },
    ]);
    expect(await fieldErrors({ ...valid, count: -1 })).toEqual([
      { path: 'count', code: 'min', params: { min: 0 }, message: 'count must not be less than 0' },
    ]);
    expect(await fieldErrors({ ...valid, tags: ['a', 'b', 'c'] })).toEqual([
      { path: 'tags', code: 'arrayMaxSize', params: { max: 2 }, message: 'tags must contain no more than 2 elements' },
    ]);
  });

  it('gives the number rule its limits, and an unknown field its name', async () => {
    expect(await fieldErrors({ ...valid, amount: 1.234, extra: 1 })).toEqual([
      { path: 'extra', code: 'unknownField', params: { field: 'extra' }, message: "field 'extra' is not allowed here" },
      {
        path: 'amount',
        code: 'isExactNumber',
        params: { maxSignificantDigits: 15, maxDecimalPlaces: 2, maxMagnitude: 1e15 },
        message:
          'amount must have at most 2 decimal places: a JSON number with at most 15 significant digits, at most 2 decimal places and a magnitude below 10^15',
      },
    ]);
  });

  it('names the wrong kind of value (required when missing) instead of a size rule', async () => {
    expect(await fieldErrors({ ...valid, tags: undefined, comment: 12 })).toEqual([
      { path: 'comment', code: 'isString', params: {}, message: 'comment must be a string' },
      { path: 'tags', code: 'required', params: { type: 'array' }, message: 'tags is required and must be an array' },
    ]);
  });

  it('maps every constraint the API DTOs use to a documented code', () => {
    const modules = [
      adminDtos,
      approvalDtos,
      authDtos,
      iatiDtos,
      logframeDtos,
      progressDtos,
      projectDtos,
      donorDtos,
      fundingDtos,
      programmeDtos,
      standardDtos,
      reportDtos,
      sdgDtos,
    ];
    const names = new Set<string>();
    for (const module of modules)
      for (const value of Object.values(module))
        if (typeof value === 'function')
          for (const m of getMetadataStorage().getTargetValidationMetadatas(value, '', true, false))
            if (m.type === 'customValidation' && m.name) names.add(m.name);
    expect(names.size).toBeGreaterThan(15);
    const unmapped = [...names].filter((n) => !CONSTRAINT_CODES[n]);
    expect(unmapped).toEqual([]);
    for (const { code } of Object.values(CONSTRAINT_CODES)) expect(Object.keys(FIELD_ERROR_CODES)).toContain(code);
  });
});
