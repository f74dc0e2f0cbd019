import { describe, expect, it } from '@jest/globals';
import { createInstance } from 'i18next';
import { readFileSync } from 'node:fs';
import { ApiRequestError } from '../api/errors';
import { fieldErrorsOf, hasErrorUnder, translateApiError } from './api-errors';

const catalogue = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../i18n/${lang}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

async function translator(lng: string) {
  const i18n = createInstance();
  await i18n.init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: catalogue('en') }, [lng]: { translation: catalogue(lng) } },
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

const failure = (status: number, body: Record<string, unknown>) =>
  new ApiRequestError(status, { statusCode: status, error: 'Error', message: 'English message', ...body });

describe('API errors in the UI language', () => {
  it('translates a stable code with its parameters (plurals by Intl.PluralRules)', async () => {
    const fr = await translator('fr');
    expect(translateApiError(failure(409, { code: 'STALE_VERSION', params: { current: 7, yours: 5 } }), fr)).toBe(
      'Quelqu’un a enregistré une version plus récente (7) depuis que vous avez ouvert la vôtre (5).',
    );
    const ar = await translator('ar');
    expect(translateApiError(failure(422, { code: 'LOGFRAME_INVALID', params: { count: 2 } }), ar)).toBe(
      'في الإطار المنطقي مشكلتان: راجع الحقول المُعلَّمة.',
    );
  });

  it("falls back to the API's English message, after the status wording, for a code the catalogue lacks", async () => {
    const fr = await translator('fr');
    const text = translateApiError(failure(422, { code: 'SOMETHING_NEW' }), fr);
    expect(text.endsWith('English message')).toBe(true);
    expect(text).not.toBe('English message');
  });

  it('keys field errors by their API path and marks every ancestor card', async () => {
    const en = await translator('en');
    const errors = fieldErrorsOf(
      {
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'Invalid',
        errors: [
          {
            path: 'outcomes[0].outputs[1].indicators[0].baseline.value',
            code: 'isNumber',
            params: {},
            message: 'must be a number',
          },
          {
            path: 'outcomes[0].outputs[1].indicators[0].baseline.value',
            code: 'required',
            params: {},
            message: 'is required',
          },
        ],
      },
      en,
    );
    expect(errors).toEqual({
      'outcomes[0].outputs[1].indicators[0].baseline.value': 'must be a number; is required',
    });
    expect(hasErrorUnder(errors, 'outcomes[0]')).toBe(1);
    expect(hasErrorUnder(errors, 'outcomes[0].outputs[1]')).toBe(1);
    expect(hasErrorUnder(errors, 'outcomes[0].outputs[0]')).toBe(0);
    expect(hasErrorUnder(errors, 'outcomes[1]')).toBe(0);
  });
});
