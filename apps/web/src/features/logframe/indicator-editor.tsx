import { Button, Group, NativeSelect, Stack, Table, Tabs, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { GrowingTextarea } from '../../components/growing-textarea';
import { RemoveButton } from '../../components/remove-button';
import { currentLocale } from '../../i18n';
import { formatDate } from '../../lib/format';
import { LocaleNumberInput } from '../../lib/locale-number-input';
import { AGGREGATIONS, DIRECTIONS, FREQUENCIES, MEASURES, type Indicator, quartersBetween } from './model';
import { SdgPicker } from './sdg-picker';

interface Props {
  indicator: Indicator;
  /** API path of the indicator, e.g. `outcomes[0].indicators[1]`: errors are looked up below it. */
  path: string;
  errors: Record<string, string>;
  readOnly: boolean;
  projectDates: { start: string | null; end: string | null };
  onChange: (next: Indicator) => void;
}

/** One indicator: jump tabs Info / Baseline and targets / Links, every field named by its API path. */
export function IndicatorEditor({ indicator: ind, path, errors, readOnly, projectDates, onChange }: Props) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const err = (field: string) => errors[`${path}.${field}`];
  const set = (patch: Partial<Indicator>) => onChange({ ...ind, ...patch });
  const qualitative = ind.measure === 'qualitative';
  const fid = (field: string) => `f-${path}.${field}`;
  const tabErrors = (fields: string[]) =>
    fields.some((f) => Object.keys(errors).some((p) => p.startsWith(`${path}.${f}`)));

  return (
    <Tabs defaultValue="info" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="info" c={tabErrors(['code', 'title', 'measure', 'unit', 'definition']) ? 'red' : undefined}>
          {t('indicator.tabInfo')}
        </Tabs.Tab>
        <Tabs.Tab value="targets" c={tabErrors(['baseline', 'endTarget', 'periodTargets']) ? 'red' : undefined}>
          {t('indicator.tabTargets')}
        </Tabs.Tab>
        <Tabs.Tab
          value="links"
          c={tabErrors(['sdgIndicatorCode', 'meansOfVerification', 'requiredDisaggregations']) ? 'red' : undefined}
        >
          {t('indicator.tabLinks')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="info" pt="sm">
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="xs">
            <Group grow align="start">
              <TextInput
                id={fid('code')}
                label={t('indicator.code')}
                dir="ltr"
                value={ind.code}
                onChange={(e) => set({ code: e.currentTarget.value })}
                error={err('code')}
                maw={160}
              />
              <NativeSelect
                id={fid('measure')}
                label={t('indicator.measure')}
                value={ind.measure}
                data={MEASURES.map((m) => ({ value: m, label: t(`measure.${m}`) }))}
                onChange={(e) => {
                  const measure = e.currentTarget.value as Indicator['measure'];
                  // Percentages and ordinal scores are levels: "latest" is the only valid aggregation;
                  // an ordinal indicator needs its scale (1–5 until the manager sets another).
                  set({
                    measure,
                    aggregation: measure === 'percentage' || measure === 'ordinal' ? 'latest' : ind.aggregation,
                    ordinalScale: measure === 'ordinal' ? (ind.ordinalScale ?? { min: 1, max: 5 }) : null,
                  });
                }}
                error={err('measure')}
              />
              <TextInput
                id={fid('unit')}
                label={t('indicator.unit')}
                value={ind.unit ?? ''}
                onChange={(e) => set({ unit: e.currentTarget.value || null })}
                error={err('unit')}
              />
            </Group>
            <GrowingTextarea
              id={fid('title')}
              label={t('indicator.title')}
              minRows={1}
              value={ind.title}
              onChange={(e) => set({ title: e.currentTarget.value })}
              error={err('title')}
            />
            <GrowingTextarea
              id={fid('definition')}
              label={t('indicator.definition')}
              minRows={1}
              value={ind.definition ?? ''}
              onChange={(e) => set({ definition: e.currentTarget.value || null })}
              error={err('definition')}
            />
            <Group grow>
              <NativeSelect
                id={fid('direction')}
                label={t('indicator.direction')}
                value={ind.direction}
                data={DIRECTIONS.map((d) => ({ value: d, label: t(`direction.${d}`) }))}
                onChange={(e) => set({ direction: e.currentTarget.value as Indicator['direction'] })}
              />
              <NativeSelect
                id={fid('aggregation')}
                label={t('indicator.aggregation')}
                value={ind.aggregation}
                data={AGGREGATIONS.map((a) => ({ value: a, label: t(`aggregation.${a}`) }))}
                onChange={(e) => set({ aggregation: e.currentTarget.value as Indicator['aggregation'] })}
              />
              <NativeSelect
                id={fid('collectionFrequency')}
                label={t('indicator.frequency')}
                value={ind.collectionFrequency ?? ''}
                data={[
                  { value: '', label: '—' },
                  ...FREQUENCIES.map((f) => ({ value: f, label: t(`frequency.${f}`) })),
                ]}
                onChange={(e) =>
                  set({ collectionFrequency: (e.currentTarget.value || null) as Indicator['collectionFrequency'] })
                }
              />
            </Group>
            {ind.measure === 'ordinal' && (
              <Group grow>
                <LocaleNumberInput
                  label={t('indicator.scaleMin')}
                  value={ind.ordinalScale?.min}
                  onChange={(v) => set({ ordinalScale: { min: v ?? 1, max: ind.ordinalScale?.max ?? 5 } })}
                  error={err('ordinalScale.min')}
                />
                <LocaleNumberInput
                  label={t('indicator.scaleMax')}
                  value={ind.ordinalScale?.max}
                  onChange={(v) => set({ ordinalScale: { min: ind.ordinalScale?.min ?? 1, max: v ?? 5 } })}
                  error={err('ordinalScale.max')}
                />
              </Group>
            )}
          </Stack>
        </fieldset>
      </Tabs.Panel>
      <Tabs.Panel value="targets" pt="sm">
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="xs">
            {qualitative && (
              <GrowingTextarea
                id={fid('baseline.comment')}
                label={t('indicator.baselineDescribed')}
                minRows={1}
                value={ind.baseline?.comment ?? ''}
                onChange={(e) => set({ baseline: { ...(ind.baseline ?? {}), comment: e.currentTarget.value || null } })}
                error={err('baseline.comment')}
              />
            )}
            <Group grow align="start">
              {!qualitative && (
                <LocaleNumberInput
                  id={fid('baseline.value')}
                  label={t('indicator.baseline')}
                  value={ind.baseline?.value}
                  onChange={(v) => set({ baseline: { ...(ind.baseline ?? {}), value: v } })}
                  error={err('baseline.value') ?? err('baseline')}
                />
              )}
              <LocaleNumberInput
                id={fid('baseline.year')}
                label={t('indicator.baselineYear')}
                grouping={false}
                value={ind.baseline?.year}
                onChange={(v) => set({ baseline: { ...(ind.baseline ?? {}), year: v } })}
                error={err('baseline.year')}
              />
              {qualitative ? (
                <GrowingTextarea
                  id={fid('endTarget.description')}
                  label={t('indicator.endTargetDescription')}
                  minRows={1}
                  value={ind.endTarget?.description ?? ''}
                  onChange={(e) =>
                    set({ endTarget: { ...(ind.endTarget ?? {}), description: e.currentTarget.value || null } })
                  }
                  error={err('endTarget.description') ?? err('endTarget')}
                />
              ) : (
                <LocaleNumberInput
                  id={fid('endTarget.value')}
                  label={t('indicator.endTarget')}
                  value={ind.endTarget?.value}
                  onChange={(v) => set({ endTarget: { ...(ind.endTarget ?? {}), value: v } })}
                  error={err('endTarget.value') ?? err('endTarget')}
                />
              )}
            </Group>
            {(ind.baseline?.value === null || ind.baseline?.value === undefined) &&
            !(qualitative && ind.baseline?.comment) ? (
              <Group grow>
                <TextInput
                  label={t('indicator.baselineMissingReason')}
                  value={ind.baseline?.notAvailableReason ?? ''}
                  onChange={(e) =>
                    set({ baseline: { ...(ind.baseline ?? {}), notAvailableReason: e.currentTarget.value || null } })
                  }
                  error={err('baseline.notAvailableReason')}
                />
                <TextInput
                  type="date"
                  label={t('indicator.baselineDue')}
                  value={ind.baseline?.dueDate ?? ''}
                  onChange={(e) =>
                    set({ baseline: { ...(ind.baseline ?? {}), dueDate: e.currentTarget.value || null } })
                  }
                  error={err('baseline.dueDate')}
                />
              </Group>
            ) : null}
            <Group justify="space-between">
              <Text fw={600} size="sm">
                {t('indicator.periodTargets')}
              </Text>
              <Button
                size="xs"
                variant="light"
                disabled={readOnly || !projectDates.start || !projectDates.end}
                title={!projectDates.start || !projectDates.end ? t('indicator.needDates') : undefined}
                onClick={() => {
                  const existing = new Map(ind.periodTargets.map((p) => [p.periodStart, p]));
                  set({
                    periodTargets: quartersBetween(projectDates.start!, projectDates.end!).map(
                      (q) => existing.get(q.periodStart) ?? { ...q, value: null },
                    ),
                  });
                }}
              >
                {t('indicator.addQuarters')}
              </Button>
            </Group>
            {err('periodTargets') && (
              <Text c="red" size="sm">
                {err('periodTargets')}
              </Text>
            )}
            {ind.periodTargets.length > 0 && (
              <Table.ScrollContainer minWidth={400}>
                <Table withTableBorder verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('indicator.period')}</Table.Th>
                      <Table.Th>{qualitative ? t('indicator.milestone') : t('indicator.target')}</Table.Th>
                      <Table.Th>
                        <span className="visually-hidden">{t('common.actions')}</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {ind.periodTargets.map((p, k) => {
                      const label = `${formatDate(p.periodStart, locale)} – ${formatDate(p.periodEnd, locale)}`;
                      const setTarget = (patch: Partial<typeof p>) =>
                        set({ periodTargets: ind.periodTargets.map((x, j) => (j === k ? { ...x, ...patch } : x)) });
                      return (
                        <Table.Tr key={p.periodStart}>
                          <Table.Td>
                            <Text size="sm" className="tabular">
                              {label}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            {qualitative ? (
                              <TextInput
                                aria-label={`${t('indicator.milestone')} ${label}`}
                                size="xs"
                                value={p.description ?? ''}
                                onChange={(e) => setTarget({ description: e.currentTarget.value || null })}
                                error={err(`periodTargets[${k}].description`)}
                              />
                            ) : (
                              <LocaleNumberInput
                                aria-label={`${t('indicator.target')} ${label}`}
                                size="xs"
                                value={p.value}
                                onChange={(v) => setTarget({ value: v })}
                                error={err(`periodTargets[${k}].value`)}
                              />
                            )}
                          </Table.Td>
                          <Table.Td>
                            <RemoveButton
                              onClick={() => set({ periodTargets: ind.periodTargets.filter((_, j) => j !== k) })}
                            />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </fieldset>
      </Tabs.Panel>
      <Tabs.Panel value="links" pt="sm">
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack gap="xs">
            <GrowingTextarea
              id={fid('meansOfVerification')}
              label={t('indicator.mov')}
              minRows={1}
              value={ind.meansOfVerification ?? ''}
              onChange={(e) => set({ meansOfVerification: e.currentTarget.value || null })}
              error={err('meansOfVerification')}
            />
            <TextInput
              label={t('indicator.dataSource')}
              value={ind.dataSource ?? ''}
              onChange={(e) => set({ dataSource: e.currentTarget.value || null })}
              error={err('dataSource')}
            />
            <TagsInput
              label={t('indicator.disaggregations')}
              description={t('indicator.disaggregationsHint')}
              value={ind.requiredDisaggregations ?? []}
              onChange={(v) => set({ requiredDisaggregations: v })}
              error={err('requiredDisaggregations')}
            />
            <SdgPicker
              id={fid('sdgIndicatorCode')}
              kind="indicator"
              label={t('indicator.sdgIndicator')}
              value={ind.sdgIndicatorCode ?? null}
              onChange={(code) => set({ sdgIndicatorCode: code })}
              error={err('sdgIndicatorCode')}
              readOnly={readOnly}
            />
          </Stack>
        </fieldset>
      </Tabs.Panel>
    </Tabs>
  );
}
