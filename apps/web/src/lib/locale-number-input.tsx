import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { formatNumber, parseLocaleNumber } from './format';

interface Props extends Omit<TextInputProps, 'value' | 'onChange'> {
  value: number | null | undefined;
  onChange: (value: number | null) => void;
  /** False for identifiers such as a year (2025, never 2,025); quantities keep the locale's groups. */
  grouping?: boolean;
}

/**
 * A number field that accepts what people type or paste in their locale: the locale's separators and
 * both digit sets (French `1 234,5` is 1234.5; Arabic-Indic digits too). The text is kept as typed
 * while the field has focus; on blur it is parsed (an unreadable entry shows an error and keeps the
 * last good value out of the document) and shown again in the locale's format.
 */
export function LocaleNumberInput({ value, onChange, error, grouping = true, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale();
  const show = (v: number | null | undefined) =>
    v === null || v === undefined ? '' : formatNumber(v, locale, { grouping });
  const [text, setText] = useState(show(value));
  const [focused, setFocused] = useState(false);
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    if (!focused) setText(show(value));
  }, [value, focused, i18n.language]);
  const commit = (raw: string) => {
    const parsed = parseLocaleNumber(raw, locale);
    if (parsed !== null && Number.isNaN(parsed)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (parsed !== (value ?? null)) onChange(parsed);
  };
  return (
    <TextInput
      {...rest}
      inputMode="decimal"
      value={text}
      classNames={{ input: 'tabular' }}
      error={invalid ? t('common.notANumber') : error}
      onFocus={() => setFocused(true)}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onBlur={(e) => {
        setFocused(false);
        commit(e.currentTarget.value);
      }}
    />
  );
}
