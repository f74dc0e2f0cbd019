import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';

interface Props {
  kind: 'target' | 'indicator';
  label: string;
  value: string | null;
  onChange: (code: string | null) => void;
  error?: string;
  id?: string;
}

/**
 * Picks an SDG target or indicator of the official framework, searching by code (`16.4`) or words
 * (`trafficking`) on the server (GET /sdg/search).
 */
export function SdgPicker({ kind, label, value, onChange, error, id }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = search.trim();
  const results = useSdgSearch(q);
  // The chosen code's own label comes from its own look-up, never from the current search: Mantine
  // writes the chosen option's label into the search box, so a label that changed with the search
  // results would search again and loop.
  const chosen = useSdgSearch(value ?? '');
  const option = (i: { code: string; title: string }) => ({ value: i.code, label: `${i.code} — ${i.title}` });
  const pick = (data: typeof results.data) => (kind === 'target' ? (data?.targets ?? []) : (data?.indicators ?? []));
  const chosenItem = value ? pick(chosen.data).find((i) => i.code === value) : undefined;
  const data = pick(results.data)
    .filter((i) => i.code !== value)
    .map(option);
  if (value) data.unshift(chosenItem ? option(chosenItem) : { value, label: value });
  return (
    <Select
      id={id}
      label={label}
      placeholder={t('sdg.placeholder')}
      searchable
      clearable
      value={value}
      data={data}
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(v) => onChange(v)}
      nothingFoundMessage={q ? (results.isFetching ? t('common.loading') : t('sdg.nothing')) : t('sdg.typeToSearch')}
      error={error}
      comboboxProps={{ withinPortal: true }}
      maxDropdownHeight={280}
    />
  );
}

/** SDG targets and indicators matching a code or words (cached for 10 minutes; nothing for an empty query). */
function useSdgSearch(q: string) {
  return useQuery({
    queryKey: ['sdg-search', q],
    enabled: q.length >= 1,
    staleTime: 600_000,
    queryFn: async () => unwrap(await api.GET('/sdg/search', { params: { query: { q, limit: 30 } } })),
  });
}
