import { Alert, Button, FileInput, Group, Stack, Table } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SectionCard } from '../../components/section-card';
import { api, ApiRequestError, unwrap, type FieldError, type Schemas } from '../../api/client';
import { translateApiError, translateFieldError } from '../../lib/api-errors';
import { logframeKey } from '../logframe/use-logframe';

type Project = Schemas['ProjectResponseDto'];
type CellError = FieldError & { sheet?: string; row?: number; column?: string };

/**
 * Workbook round trip: download the logframe as .xlsx, upload it edited; cell errors as a table.
 * `staff` false (a donor): the download only (the approved logframe; the API refuses donors the upload).
 */
export function WorkbookPanel({ project, staff }: { project: Project; staff: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const download = useMutation({
    mutationFn: async () => {
      const { data, response } = await api.GET('/projects/{id}/logframe.xlsx', {
        params: { path: { id: project.id } },
        parseAs: 'blob',
      });
      if (!response.ok || !data) throw new Error(response.statusText);
      const name =
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
        `${project.code}-logframe.xlsx`;
      const url = URL.createObjectURL(data as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      URL.revokeObjectURL(url);
    },
  });
  const upload = useMutation({
    mutationFn: async () => {
      const form = new FormData();
      form.append('file', file!);
      return unwrap(
        await api.PUT('/projects/{id}/logframe.xlsx', {
          params: { path: { id: project.id } },
          body: { file: '' },
          bodySerializer: () => form,
        }),
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: logframeKey(project.id) });
      void queryClient.invalidateQueries({ queryKey: ['checklist', project.id] });
    },
  });
  const cellErrors: CellError[] =
    upload.error instanceof ApiRequestError ? ((upload.error.body.errors ?? []) as CellError[]) : [];
  return (
    <Stack>
      <SectionCard
        title={t('workbook.downloadTitle')}
        description={t(staff ? 'workbook.downloadBody' : 'workbook.downloadBodyReadOnly')}
      >
        <Button onClick={() => download.mutate()} loading={download.isPending}>
          {t('workbook.download')}
        </Button>
        {download.error && (
          <Alert color="red" mt="sm">
            {translateApiError(download.error, t)}
          </Alert>
        )}
      </SectionCard>
      {staff && (
        <SectionCard title={t('workbook.uploadTitle')} description={t('workbook.uploadBody')}>
          <Group align="end">
            <FileInput label={t('workbook.file')} accept=".xlsx" value={file} onChange={setFile} w={320} clearable />
            <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
              {t('workbook.upload')}
            </Button>
          </Group>
          {upload.isSuccess && (
            <Alert color="green" mt="sm">
              {t('workbook.uploaded')}
            </Alert>
          )}
          {upload.error && (
            <Alert color="red" mt="sm" title={t('workbook.rejected')}>
              {translateApiError(upload.error, t)}
            </Alert>
          )}
          {cellErrors.length > 0 && (
            <Table.ScrollContainer minWidth={600} mt="sm">
              <Table striped withTableBorder>
                <Table.Caption>{t('workbook.errorsCaption', { count: cellErrors.length })}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('workbook.sheet')}</Table.Th>
                    <Table.Th className="num-cell">{t('workbook.row')}</Table.Th>
                    <Table.Th>{t('workbook.column')}</Table.Th>
                    <Table.Th>{t('workbook.message')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {cellErrors.map((e, n) => (
                    <Table.Tr key={n}>
                      <Table.Td>{e.sheet ?? '—'}</Table.Td>
                      <Table.Td className="num-cell tabular">{e.row ?? '—'}</Table.Td>
                      <Table.Td>{e.column ?? '—'}</Table.Td>
                      <Table.Td>{translateFieldError(e, t)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </SectionCard>
      )}
    </Stack>
  );
}
