import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import ar from './ar.json';
import en from './en.json';
import fr from './fr.json';
import { intlLocale } from '../lib/format';

/** The shipped UI languages; Arabic is written right to left. */
export const LANGUAGES = ['en', 'fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
const RTL: readonly string[] = ['ar'];

/** UI preferences are the only thing the app keeps in localStorage. */
const PREFS_KEY = 'rbm.ui';
interface UiPrefs {
  language?: Language;
  arabicIndicDigits?: boolean;
}
export function readPrefs(): UiPrefs {
  try {
    return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as UiPrefs;
  } catch {
    return {};
  }
}
export function writePrefs(prefs: UiPrefs): void {
  localStorage.setItem(PREFS_KEY, JSON.stringify({ ...readPrefs(), ...prefs }));
}

export function isRtl(language: string): boolean {
  return RTL.includes(language);
}

/** The Intl locale for formatting numbers and dates in the current language (Latin digits in Arabic unless chosen). */
export function currentLocale(): string {
  return intlLocale(i18n.language, readPrefs().arabicIndicDigits ?? false);
}

function initialLanguage(): Language {
  const saved = readPrefs().language;
  if (saved && LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.language ?? 'en').slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(browser) ? (browser as Language) : 'en';
}

/** Sets <html lang dir> to follow the language (Mantine's DirectionProvider follows the same attribute). */
export function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = isRtl(language) ? 'rtl' : 'ltr';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, ar: { translation: ar } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocumentLanguage(i18n.language);
i18n.on('languageChanged', applyDocumentLanguage);

export default i18n;
