import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  Pagination,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { useMe } from '../../layout/use-me';
import { CodeText } from '../../components/code-text';
import { CreateProjectDialog } from './create-project-dialog';

const PAGE_SIZE = 20;
const STATUSES = ['draft', 'submitted', 'returned', 'approved'] as const;

/** My projects: paged, searched and filtered on the server; the filters live in the URL. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const me = useMe(true);
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const sdgTarget = params.get('sdg') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [search, setSearch] = useState(q);

  const list = useQuery({
    queryKey: ['projects', { q, status, sdgTarget, page }],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/projects', {
          params: {
            query: {
              page,
              pageSize: PAGE_SIZE,
              ...(q ? { q } : {}),
              ...(status ? { status: status as (typeof STATUSES)[number] } : {}),
              ...(sdgTarget ? { sdgTarget } : {}),
            },
          },
        }),
      ),
  });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const filtered = Boolean(q || status || sdgTarget);
  const mayCreate = (me.data?.scope.managerUnitIds.length ?? 0) > 0;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('projects.title')}</Title>
        {mayCreate && <Button onClick={() => setCreating(true)}>{t('projects.new')}</Button>}
      </Group>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: search.trim() });
        }}
      >
        <Group align="end">
          <TextInput
            label={t('projects.search')}
            placeholder={t('projects.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flexGrow: 1 }}
          />
          <NativeSelect
            label={t('projects.logframeState')}
            value={status}
            data={[
              { value: '', label: t('projects.anyState') },
              ...STATUSES.map((s) => ({ value: s, label: t(`revisionStatus.${s}`) })),
            ]}
            onChange={(e) => update({ status: e.currentTarget.value })}
          />
          <TextInput
            label={t('projects.sdgTarget')}
            placeholder="16.4"
            defaultValue={sdgTarget}
            w={110}
            onBlur={(e) => update({ sdg: e.currentTarget.value.trim() })}
          />
          <Button type="submit">{t('projects.searchButton')}</Button>
        </Group>
      </form>
      {list.isError && (
        <Alert color="red" title={t('common.loadFailed')}>
          <Group>
            <Text size="sm">{list.error.message}</Text>
            <Button size="xs" variant="light" onClick={() => void list.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {list.isPending ? (
        <Stack gap="xs" aria-busy="true" aria-label={t('common.loading')}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={32} />
          ))}
        </Stack>
      ) : list.data && list.data.items.length === 0 ? (
        <Alert color="gray" title={filtered ? t('projects.noMatch') : t('projects.none')}>
          {filtered ? (
            <Button size="xs" variant="light" onClick={() => setParams(new URLSearchParams())}>
              {t('projects.clearFilters')}
            </Button>
          ) : (
            <Text size="sm">{mayCreate ? t('projects.noneManager') : t('projects.noneOther')}</Text>
          )}
        </Alert>
      ) : (
        list.data && (
          <>
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('projects.count', { count: list.data.total })}
            </Text>
            <Table.ScrollContainer minWidth={960}>
              <Table striped highlightOnHover verticalSpacing="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('projects.col.project')}</Table.Th>
                    <Table.Th>{t('projects.col.office')}</Table.Th>
                    <Table.Th>{t('projects.col.donors')}</Table.Th>
                    <Table.Th>{t('projects.col.sdg')}</Table.Th>
                    <Table.Th>{t('projects.col.logframe')}</Table.Th>
                    <Table.Th>{t('projects.col.lastQuarter')}</Table.Th>
                    <Table.Th>{t('projects.col.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.items.map((p) => (
                    <ProjectRow key={p.id} project={p} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {list.data.total > PAGE_SIZE && (
              <Pagination
                total={Math.ceil(list.data.total / PAGE_SIZE)}
                value={page}
                onChange={(n) => update({ page: String(n) })}
                getControlProps={(control) => ({ 'aria-label': t(`projects.page.${control}`) })}
              />
            )}
          </>
        )
      )}
      {creating && <CreateProjectDialog onClose={() => setCreating(false)} />}
    </Stack>
  );
}

const STATUS_COLOR: Record<string, string> = {
  draft: 'gray',
  submitted: 'blue',
  returned: 'orange',
  approved: 'green',
  superseded: 'gray',
  validated: 'green',
};

function ProjectRow({ project: p }: { project: Schemas['ProjectListItemDto'] }) {
  const { t } = useTranslation();
  const s = p.summary;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/projects/${p.id}`} fw={600}>
          <CodeText>{p.code}</CodeText>
        </Anchor>
        <Text size="sm" lineClamp={2}>
          {p.title}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" title={s.orgUnitName}>
          {s.orgUnitCode}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{s.donors.length ? s.donors.join(', ') : '—'}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="tabular">
          {s.sdgTargetCodes.length ? s.sdgTargetCodes.join(', ') : '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        {s.revisionStatus ? (
          <Badge color={STATUS_COLOR[s.revisionStatus]} variant="light">
            {t('projects.revision', { number: s.revisionNumber, status: t(`revisionStatus.${s.revisionStatus}`) })}
          </Badge>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        {s.lastQuarter ? (
          <Text size="sm">
            {t('projects.quarter', { year: s.lastQuarter.year, quarter: s.lastQuarter.quarter })}{' '}
            <Badge size="sm" variant="light" color={STATUS_COLOR[s.lastQuarter.status]}>
              {t(`quarterStatus.${s.lastQuarter.status}`)}
            </Badge>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('projects.noQuarter')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {s.validatedQuarter ? (
          <Text size="sm">
            {t('projects.ratings', {
              onTrack: s.validatedQuarter.onTrack,
              atRisk: s.validatedQuarter.atRisk,
              offTrack: s.validatedQuarter.offTrack,
            })}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('projects.noValidated')}
          </Text>
        )}
        {s.overdueIndicators > 0 ? (
          <Anchor component={Link} to={`/projects/${p.id}/logframe`} size="sm" c="red.9" fw={600}>
            {t('projects.overdue', { count: s.overdueIndicators })}
          </Anchor>
        ) : (
          <Text size="sm" c="dimmed">
            {t('projects.noOverdue')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
