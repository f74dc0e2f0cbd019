import { Alert, Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiRequestError, unwrap } from '../../api/client';
import { useOrgUnits } from '../../api/org-units';
import { useMe } from '../../layout/use-me';
import { fieldErrorsOf, translateApiError } from '../../lib/api-errors';

/** Creates a project in an office the manager manages, then opens it. */
export function CreateProjectDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe(true);
  const units = useOrgUnits();
  const offices = (units.data ?? []).filter((u) => me.data?.scope.managerUnitIds.includes(u.id));
  const [code, setCode] = useState('');
  const [title, setTitle] = useState('');
  const [orgUnitId, setOrgUnitId] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/projects', {
          body: {
            code,
            title,
            orgUnitId: orgUnitId || offices[0]?.id || '',
            startDate: startDate || null,
            endDate: endDate || null,
          },
        }),
      ),
    onSuccess: async (project) => {
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      onClose();
      void navigate(`/projects/${project.id}/logframe`);
    },
  });
  const errors = create.error instanceof ApiRequestError ? fieldErrorsOf(create.error.body, t) : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('projects.new')}>
      <form onSubmit={submit}>
        <Stack>
          {create.error && <Alert color="red">{translateApiError(create.error, t)}</Alert>}
          <TextInput
            label={t('project.code')}
            dir="ltr"
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={errors.code}
            data-autofocus
          />
          <TextInput
            label={t('project.title')}
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
          />
          <NativeSelect
            label={t('project.office')}
            value={orgUnitId || offices[0]?.id || ''}
            data={offices.map((u) => ({ value: u.id, label: `${u.code} — ${u.name}` }))}
            onChange={(e) => setOrgUnitId(e.currentTarget.value)}
            error={errors.orgUnitId}
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('project.startDate')}
              value={startDate}
              onChange={(e) => setStartDate(e.currentTarget.value)}
              error={errors.startDate}
            />
            <TextInput
              type="date"
              label={t('project.endDate')}
              value={endDate}
              onChange={(e) => setEndDate(e.currentTarget.value)}
              error={errors.endDate}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('projects.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
