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
  const results = useQuery({
    queryKey: ['sdg-search', q],
    enabled: q.length >= 1,
    staleTime: 600_000,
    queryFn: async () => unwrap(await api.GET('/sdg/search', { params: { query: { q, limit: 30 } } })),
  });
  const items = kind === 'target' ? (results.data?.targets ?? []) : (results.data?.indicators ?? []);
  const data = items.map((i) => ({ value: i.code, label: `${i.code} — ${i.title}` }));
  if (value && !data.some((d) => d.value === value)) data.unshift({ value, label: value });
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
