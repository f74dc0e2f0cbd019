import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NativeSelect,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GrowingTextarea } from '../../components/growing-textarea';
import { api, ApiRequestError, unwrap, type Schemas } from '../../api/client';
import { useOrgUnits } from '../../api/org-units';
import { currentLocale } from '../../i18n';
import { fieldErrorsOf, translateApiError } from '../../lib/api-errors';
import { formatMoney } from '../../lib/format';
import { LocaleNumberInput } from '../../lib/locale-number-input';
import { SectionCard } from '../../components/section-card';
import { CodeText } from '../../components/code-text';
import { FundingAgreements } from './funding-agreements';
import { LNOB_GROUPS, type LnobGroup } from '@calculations/vocabulary';

type Project = Schemas['ProjectResponseDto'];
const MARKERS = ['0', '1', '2', '3'];

/**
 * The project's own fields (PATCH with the version read; field errors shown on their fields). `staff`
 * false (a donor): the same fields read only, without Save (the API refuses donors the PATCH).
 */
export function ProjectOverview({ project, staff }: { project: Project; staff: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const units = useOrgUnits();
  const [form, setForm] = useState(() => ({
    title: project.title,
    description: project.description ?? '',
    startDate: project.startDate ?? '',
    endDate: project.endDate ?? '',
    budgetAmount: project.budget?.amount ?? null,
    budgetCurrency: project.budget?.currency ?? 'USD',
    countries: project.countries,
    genderMarker: project.genderMarker === null ? '' : String(project.genderMarker),
    humanRightsMarker: project.humanRightsMarker === null ? '' : String(project.humanRightsMarker),
    lnobGroups: project.lnobGroups as LnobGroup[],
    theoryOfChange: project.theoryOfChange ?? '',
  }));
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/projects/{id}', {
          params: { path: { id: project.id } },
          body: {
            version: project.version,
            title: form.title,
            description: form.description || null,
            startDate: form.startDate || null,
            endDate: form.endDate || null,
            budget: form.budgetAmount === null ? null : { amount: form.budgetAmount, currency: form.budgetCurrency },
            countries: form.countries,
            genderMarker: form.genderMarker === '' ? null : Number(form.genderMarker),
            humanRightsMarker: form.humanRightsMarker === '' ? null : Number(form.humanRightsMarker),
            lnobGroups: form.lnobGroups,
            theoryOfChange: form.theoryOfChange || null,
          },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['project', project.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['checklist', project.id] });
      void queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const errors = save.error instanceof ApiRequestError ? fieldErrorsOf(save.error.body, t) : {};
  const office = units.data?.find((u) => u.id === project.orgUnitId);
  return (
    <Stack>
      <SectionCard>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack gap="sm">
            {save.error && <Alert color="red">{translateApiError(save.error, t)}</Alert>}
            {save.isSuccess && !save.isPending && <Alert color="green">{t('common.savedMessage')}</Alert>}
            {(staff || office) && (
              <Text size="sm">
                {t('project.office')}:{' '}
                <strong>
                  {office ? (
                    <>
                      <CodeText>{office.code}</CodeText> — <bdi>{office.name}</bdi>
                    </>
                  ) : (
                    '—'
                  )}
                </strong>
              </Text>
            )}
            {project.iatiIdentifier && (
              <Text size="sm">
                {t('project.iatiIdentifier')}:{' '}
                <strong data-testid="iati-identifier">
                  <CodeText>{project.iatiIdentifier}</CodeText>
                </strong>
              </Text>
            )}
            <fieldset disabled={!staff} style={{ border: 0, padding: 0, margin: 0, minInlineSize: 0 }}>
              <Stack gap="sm">
                <TextInput
                  label={t('project.title')}
                  value={form.title}
                  onChange={(e) => set({ title: e.currentTarget.value })}
                  error={errors.title}
                />
                <GrowingTextarea
                  label={t('project.description')}
                  minRows={2}
                  value={form.description}
                  onChange={(e) => set({ description: e.currentTarget.value })}
                  error={errors.description}
                />
                <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
                  <TextInput
                    type="date"
                    label={t('project.startDate')}
                    value={form.startDate}
                    onChange={(e) => set({ startDate: e.currentTarget.value })}
                    error={errors.startDate}
                  />
                  <TextInput
                    type="date"
                    label={t('project.endDate')}
                    value={form.endDate}
                    onChange={(e) => set({ endDate: e.currentTarget.value })}
                    error={errors.endDate}
                  />
                  <LocaleNumberInput
                    label={t('project.budget')}
                    value={form.budgetAmount}
                    onChange={(v) => set({ budgetAmount: v })}
                    error={errors['budget.amount'] ?? errors.budget}
                    description={
                      form.budgetAmount !== null
                        ? formatMoney(form.budgetAmount, form.budgetCurrency, currentLocale())
                        : undefined
                    }
                  />
                  <TextInput
                    label={t('project.currency')}
                    dir="ltr"
                    value={form.budgetCurrency}
                    maxLength={3}
                    onChange={(e) => set({ budgetCurrency: e.currentTarget.value.toUpperCase() })}
                    error={errors['budget.currency']}
                  />
                </SimpleGrid>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TagsInput
                    label={t('project.countries')}
                    dir="ltr"
                    description={t('project.countriesHint')}
                    value={form.countries}
                    onChange={(v) => set({ countries: v.map((c) => c.toUpperCase()) })}
                    error={errors.countries}
                  />
                  <NativeSelect
                    label={t('project.genderMarker')}
                    value={form.genderMarker}
                    data={[{ value: '', label: '—' }, ...MARKERS]}
                    onChange={(e) => set({ genderMarker: e.currentTarget.value })}
                    error={errors.genderMarker}
                  />
                  <NativeSelect
                    label={t('project.humanRightsMarker')}
                    value={form.humanRightsMarker}
                    data={[{ value: '', label: '—' }, ...MARKERS]}
                    onChange={(e) => set({ humanRightsMarker: e.currentTarget.value })}
                    error={errors.humanRightsMarker}
                  />
                </SimpleGrid>
                <MultiSelect
                  label={t('project.lnob')}
                  data={LNOB_GROUPS.map((g) => ({ value: g, label: t(`lnob.${g}`) }))}
                  value={form.lnobGroups}
                  onChange={(v) => set({ lnobGroups: v as LnobGroup[] })}
                  error={errors.lnobGroups}
                />
                <GrowingTextarea
                  label={t('project.theoryOfChange')}
                  minRows={3}
                  value={form.theoryOfChange}
                  onChange={(e) => set({ theoryOfChange: e.currentTarget.value })}
                  error={errors.theoryOfChange}
                />
              </Stack>
            </fieldset>
            {staff && (
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </form>
      </SectionCard>
      <FundingAgreements projectId={project.id} />
    </Stack>
  );
}
