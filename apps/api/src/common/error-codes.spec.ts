import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { DomainException, ErrorCode, FIELD_ERROR_CODES } from '#libs/common';
import { AllExceptionsFilter, undeclaredErrorCodes } from './all-exceptions.filter.js';
import { CODES_BY_STATUS, GLOBAL_ERROR_CODES, statusOfCode } from './api-errors.decorator.js';

/** Production TypeScript files under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** A fake HTTP host for the filter: the request's route and a response that records the answer. */
function host(method: string, routePath: string) {
  const sent: { status?: number; body?: Record<string, unknown> } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const request = { method, route: { path: routePath } };
  const h = {
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  return { h, sent };
}

describe('error codes (stable reasons of every 4xx answer)', () => {
  it('every thrown DomainException names an ErrorCode (source scan of apps/ and libs/)', () => {
    const missing: string[] = [];
    for (const file of [...sources('apps'), ...sources('libs')]) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/DomainException\.(conflict|unprocessable|forbidden|badRequest)\(\s*([^,]*)/g))
        if (!m[2].startsWith('ErrorCode.') && !file.endsWith('domain.exception.ts'))
          missing.push(`${file}: DomainException.${m[1]}(${m[2]}`);
      for (const m of text.matchAll(/new DomainException\(([^;]*?)\);/gs))
        if (!file.endsWith('domain.exception.ts') && m[1].split(',').length < 4)
          missing.push(`${file}: new DomainException(${m[1]})`);
    }
    expect(missing).toEqual([]);
  });

  it('every ErrorCode has a status, and is listed per route or answered by any route', () => {
    for (const code of Object.values(ErrorCode)) {
      const listed = Object.values(CODES_BY_STATUS).some((codes) => codes.includes(code));
      expect({ code, known: listed || GLOBAL_ERROR_CODES.includes(code) || code === ErrorCode.INTERNAL_ERROR }).toEqual(
        {
          code,
          known: true,
        },
      );
    }
    expect(statusOfCode(ErrorCode.STALE_VERSION)).toBe(409);
    expect(statusOfCode(ErrorCode.FOUR_EYES)).toBe(403);
    expect(statusOfCode(ErrorCode.CHECKLIST_BLOCKING)).toBe(422);
    expect(statusOfCode(ErrorCode.RATE_LIMITED)).toBe(429);
  });

  it('answers the code and its parameters with the English message', () => {
    const filter = new AllExceptionsFilter();
    const stale = filter.toBody(
      DomainException.staleVersion('Revision 1 changed since you read it (version 3, yours 2); reload it', 3, 2),
    );
    expect(stale).toEqual({
      statusCode: 409,
      error: 'CONFLICT',
      code: 'STALE_VERSION',
      params: { current: 3, yours: 2 },
      message: 'Revision 1 changed since you read it (version 3, yours 2); reload it',
    });
    expect(filter.toBody(DomainException.notFound('Project'))).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
      params: { what: 'Project' },
      message: 'Project not found',
    });
    // PostgreSQL's serialization failure (40001) and unique violation (23505) carry codes too.
    expect(filter.toBody(Object.assign(new Error('x'), { code: '40001' }))).toMatchObject({
      statusCode: 409,
      code: 'CONCURRENT_CHANGE',
    });
    expect(filter.toBody(Object.assign(new Error('x'), { code: '23505' }))).toMatchObject({
      statusCode: 409,
      code: 'DUPLICATE',
    });
  });

  it('answers every field error with its code and params ({} when the thrower gives none)', () => {
    const filter = new AllExceptionsFilter();
    const body = filter.toBody(
      DomainException.unprocessable(ErrorCode.REASON_REQUIRED, 'Say why the quarter is returned', [
        { path: 'comment', code: 'required', message: 'is required' },
        { path: 'version', code: 'stale_version', params: { current: 3, yours: 2 }, message: 'is 2, current is 3' },
      ]),
    );
    expect(body.errors).toEqual([
      { path: 'comment', code: 'required', params: {}, message: 'is required' },
      { path: 'version', code: 'stale_version', params: { current: 3, yours: 2 }, message: 'is 2, current is 3' },
    ]);
  });

  it('documents every field error code in docs/RULES.md ("Field error codes")', () => {
    const rules = readFileSync('docs/RULES.md', 'utf8');
    const table = rules.slice(rules.indexOf('### Field error codes'));
    const missing = Object.keys(FIELD_ERROR_CODES).filter((code) => !table.includes(`| \`${code}\` |`));
    expect(missing).toEqual([]);
  });

  it('records an answer whose code the route does not list (the e2e stack then fails the spec file)', () => {
    const filter = new AllExceptionsFilter();
    const document = {
      paths: {
        '/projects/{id}/progress/{year}/{quarter}/validate': {
          post: { 'x-error-codes': ['FOUR_EYES', 'STALE_VERSION'] },
        },
      },
    } as unknown as OpenAPIObject;
    filter.declareRouteCodes(document, GLOBAL_ERROR_CODES);
    const before = undeclaredErrorCodes.length;
    const route = '/projects/:id/progress/:year/:quarter/validate';
    const listed = host('POST', route);
    filter.catch(DomainException.forbidden(ErrorCode.FOUR_EYES, 'four eyes'), listed.h);
    expect(listed.sent.status).toBe(403);
    expect(undeclaredErrorCodes.length).toBe(before);
    const global = host('POST', route);
    filter.catch(DomainException.notFound('Project'), global.h);
    expect(undeclaredErrorCodes.length).toBe(before);
    const unlisted = host('POST', route);
    filter.catch(DomainException.unprocessable(ErrorCode.CHECKLIST_BLOCKING, 'blocked'), unlisted.h);
    expect(undeclaredErrorCodes.slice(before)).toEqual([`POST ${route} answered 422 CHECKLIST_BLOCKING`]);
    undeclaredErrorCodes.splice(before);
  });
});
