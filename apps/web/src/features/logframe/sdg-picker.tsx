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
  const [opened, setOpened] = useState(false);
  const q = search.trim();
  // Searches only while the list is open: Mantine also writes the chosen option's label into the
  // search box, which must not start a search (nor, through a changed label, a loop).
  const results = useSdgSearch(opened ? q : '');
  // The chosen code's label comes from its own look-up, never from the current search.
  const chosen = useSdgCode(kind, value);
  const option = (i: { code: string; title: string }) => ({ value: i.code, label: `${i.code} — ${i.title}` });
  const found = kind === 'target' ? (results.data?.targets ?? []) : (results.data?.indicators ?? []);
  const data = found.filter((i) => i.code !== value).map(option);
  // The document's own spelling of the code stays the value (`1.A` is found as `1.a`).
  if (value) data.unshift({ value, label: chosen.data ? `${value} — ${chosen.data.title}` : value });
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
      onDropdownOpen={() => setOpened(true)}
      onDropdownClose={() => setOpened(false)}
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

/** The chosen SDG target or indicator (code and title), cached for the session. */
function useSdgCode(kind: 'target' | 'indicator', code: string | null) {
  return useQuery({
    queryKey: ['sdg-code', kind, code],
    enabled: !!code,
    staleTime: Infinity,
    retry: false,
    queryFn: async () =>
      kind === 'target'
        ? unwrap(await api.GET('/sdg/targets/{code}', { params: { path: { code: code! } } }))
        : unwrap(await api.GET('/sdg/indicators/{code}', { params: { path: { code: code! } } })),
  });
}
