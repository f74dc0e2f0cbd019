import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

/**
 * The shipped catalogues must offer the same keys (modulo i18next plural suffixes), and every plural
 * key must carry each category Intl.PluralRules lists for its language (Arabic: zero, one, two, few,
 * many, other; French: one, many, other; English: one, other).
 */
const LANGS = ['en', 'fr', 'ar'] as const;
const SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? flatten(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
const catalogues = Object.fromEntries(
  LANGS.map((l) => [
    l,
    flatten(JSON.parse(readFileSync(new URL(`./${l}.json`, import.meta.url), 'utf8')) as Record<string, unknown>),
  ]),
) as Record<(typeof LANGS)[number], string[]>;
const base = (key: string) => key.replace(SUFFIX, '');

describe('i18n catalogues', () => {
  it('hold a real number of keys', () => {
    expect(catalogues.en.length).toBeGreaterThan(100);
  });

  for (const lang of LANGS) {
    it(`${lang} lacks no key another catalogue has`, () => {
      const own = new Set(catalogues[lang].map(base));
      const missing = LANGS.flatMap((other) => catalogues[other].map(base).filter((k) => !own.has(k)));
      expect([...new Set(missing)]).toEqual([]);
    });

    it(`${lang} plural keys carry every category of Intl.PluralRules`, () => {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const plurals = new Set(catalogues[lang].filter((k) => SUFFIX.test(k)).map(base));
      const gaps: string[] = [];
      for (const key of plurals)
        for (const c of categories) if (!catalogues[lang].includes(`${key}_${c}`)) gaps.push(`${key}_${c}`);
      expect(gaps).toEqual([]);
    });
  }

  it('Arabic plural keys have six categories and French three (Intl.PluralRules of this Node)', () => {
    expect(new Intl.PluralRules('ar').resolvedOptions().pluralCategories).toHaveLength(6);
    expect(new Intl.PluralRules('fr').resolvedOptions().pluralCategories.sort()).toEqual(['many', 'one', 'other']);
  });
});
