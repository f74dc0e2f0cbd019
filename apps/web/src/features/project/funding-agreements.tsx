import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SectionCard } from '../../components/section-card';
import { api, unwrap } from '../../api/client';
import { currentLocale } from '../../i18n';
import { formatDate, formatNumber } from '../../lib/format';

/** The project's funding agreements (donor, amount, dates). */
export function FundingAgreements({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const list = useQuery({
    queryKey: ['funding-agreements', projectId],
    queryFn: async () =>
      unwrap(await api.GET('/projects/{projectId}/funding-agreements', { params: { path: { projectId } } })),
  });
  return (
    <SectionCard title={t('project.fundingAgreements')}>
      {list.data && list.data.length === 0 && <Text size="sm">{t('project.noFunding')}</Text>}
      {list.data && list.data.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('project.donor')}</Table.Th>
              <Table.Th className="num-cell">{t('project.amount')}</Table.Th>
              <Table.Th>{t('project.startDate')}</Table.Th>
              <Table.Th>{t('project.endDate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>{f.donorName}</Table.Td>
                <Table.Td className="num-cell tabular">
                  {f.amount === null ? '—' : `${formatNumber(f.amount, locale)} ${f.currency ?? ''}`}
                </Table.Td>
                <Table.Td>{formatDate(f.startDate, locale)}</Table.Td>
                <Table.Td>{formatDate(f.endDate, locale)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}
