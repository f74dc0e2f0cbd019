import { Badge, Button, Card, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GrowingTextarea } from '../../components/growing-textarea';
import { RemoveButton } from '../../components/remove-button';
import type { Schemas } from '../../api/client';
import { hasErrorUnder } from '../../lib/api-errors';
import { LIKELIHOODS, type Assumption, type SdgLink } from './model';
import { SdgPicker } from './sdg-picker';
import { AddButton } from '../../components/add-button';
import { CodeText } from '../../components/code-text';

type Comment = Schemas['CommentDto'];

interface CardProps {
  elementId?: string;
  path: string;
  code: string;
  title: string;
  kindLabel: string;
  indicatorCount?: number;
  openProblems?: number;
  errors: Record<string, string>;
  comments: Comment[];
  open: boolean;
  onToggle: () => void;
  actions?: ReactNode;
  children: ReactNode;
  level: number;
}

/**
 * A collapsible card of the logframe tree. Collapsed it shows the code, the statement, the number of
 * indicators, open checklist items and errors below it (an error marks every ancestor card) and
 * review comments, so a large framework can stay closed.
 */
export function ElementCard(p: CardProps) {
  const { t } = useTranslation();
  const errorCount = hasErrorUnder(p.errors, p.path);
  const headingId = `h-${p.path}`;
  return (
    <Card
      withBorder
      radius="md"
      p="sm"
      id={p.elementId ? `el-${p.elementId}` : undefined}
      data-path={p.path}
      className={p.level > 0 ? 'card-indent' : undefined}
      aria-labelledby={headingId}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Button
            variant="subtle"
            size="compact-sm"
            onClick={p.onToggle}
            aria-expanded={p.open}
            aria-controls={p.open ? `body-${p.path}` : undefined}
            id={headingId}
            className="card-toggle"
          >
            <span aria-hidden="true" className="dir-arrow">
              {p.open ? '▾' : '▸'}
            </span>
            {/* One inline run: the button's label is a flex box, which would drop the space before the code. */}
            <span>
              &nbsp;{p.kindLabel} <CodeText>{p.code}</CodeText>
            </span>
          </Button>
          <Text size="sm" truncate="end" c={p.title ? undefined : 'dimmed'} dir="auto" className="card-title">
            {p.title || t('logframe.noStatement')}
          </Text>
        </Group>
        <Group gap={4} wrap="nowrap">
          {p.indicatorCount !== undefined && (
            <Badge variant="light" color="gray" size="sm">
              {t('logframe.indicatorCount', { count: p.indicatorCount })}
            </Badge>
          )}
          {!!p.openProblems && (
            <Badge variant="light" color="orange" size="sm">
              {t('logframe.openItems', { count: p.openProblems })}
            </Badge>
          )}
          {errorCount > 0 && (
            <Badge color="red.9" size="sm">
              {t('logframe.errorCount', { count: errorCount })}
            </Badge>
          )}
          {p.comments.length > 0 && (
            <Badge color="grape" variant="light" size="sm">
              {t('logframe.commentCount', { count: p.comments.length })}
            </Badge>
          )}
          {p.actions}
        </Group>
      </Group>
      {p.comments.length > 0 && (
        <Stack gap={2} mt={4}>
          {p.comments.map((c) => (
            <Text
              key={c.id}
              size="xs"
              c="grape.8"
              style={{ borderInlineStart: '3px solid var(--mantine-color-grape-4)', paddingInlineStart: 6 }}
            >
              {c.body}
            </Text>
          ))}
        </Stack>
      )}
      {p.open && (
        <Stack gap="sm" mt="sm" id={`body-${p.path}`}>
          {p.children}
        </Stack>
      )}
    </Card>
  );
}

interface ListProps<T> {
  items: T[];
  path: string;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (items: T[]) => void;
}

/** SDG target links of an element: target (picker), primary or secondary, rationale. */
export function SdgLinksEditor({ items, path, errors, readOnly, onChange }: ListProps<SdgLink>) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('logframe.sdgLinks')}
      </Text>
      {errors[path] && (
        <Text c="red" size="xs">
          {errors[path]}
        </Text>
      )}
      {items.map((l, k) => (
        <Group key={k} align="end" wrap="nowrap" gap="xs">
          <div style={{ flex: 2 }}>
            <SdgPicker
              id={`f-${path}[${k}].sdgTargetCode`}
              kind="target"
              label={t('logframe.sdgTarget')}
              value={l.sdgTargetCode || null}
              onChange={(code) => onChange(items.map((x, j) => (j === k ? { ...x, sdgTargetCode: code ?? '' } : x)))}
              error={errors[`${path}[${k}].sdgTargetCode`]}
              readOnly={readOnly}
            />
          </div>
          <NativeSelect
            label={t('logframe.contribution')}
            value={l.contribution}
            disabled={readOnly}
            data={[
              { value: 'primary', label: t('logframe.primary') },
              { value: 'secondary', label: t('logframe.secondary') },
            ]}
            onChange={(e) =>
              onChange(
                items.map((x, j) =>
                  j === k ? { ...x, contribution: e.currentTarget.value as SdgLink['contribution'] } : x,
                ),
              )
            }
          />
          <TextInput
            style={{ flex: 2 }}
            label={t('logframe.rationale')}
            value={l.rationale ?? ''}
            disabled={readOnly}
            onChange={(e) =>
              onChange(items.map((x, j) => (j === k ? { ...x, rationale: e.currentTarget.value || null } : x)))
            }
          />
          {!readOnly && <RemoveButton onClick={() => onChange(items.filter((_, j) => j !== k))} />}
        </Group>
      ))}
      {!readOnly && (
        <AddButton
          label={t('logframe.addSdgLink')}
          onClick={() =>
            onChange([
              ...items,
              {
                sdgTargetCode: '',
                contribution: items.some((l) => l.contribution === 'primary') ? 'secondary' : 'primary',
                rationale: null,
              },
            ])
          }
        />
      )}
    </Stack>
  );
}

/** Assumptions and risks of an element. */
export function AssumptionsEditor({ items, path, errors, readOnly, onChange }: ListProps<Assumption>) {
  const { t } = useTranslation();
  const set = (k: number, patch: Partial<Assumption>) =>
    onChange(items.map((x, j) => (j === k ? { ...x, ...patch } : x)));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('logframe.assumptions')}
      </Text>
      {items.map((a, k) => (
        <Group key={a.id ?? k} align="end" wrap="nowrap" gap="xs">
          <NativeSelect
            label={t('logframe.kind')}
            disabled={readOnly}
            value={a.kind}
            data={[
              { value: 'assumption', label: t('logframe.assumption') },
              { value: 'risk', label: t('logframe.risk') },
            ]}
            onChange={(e) => set(k, { kind: e.currentTarget.value as Assumption['kind'] })}
          />
          <GrowingTextarea
            style={{ flex: 3 }}
            minRows={1}
            id={`f-${path}[${k}].statement`}
            label={t('logframe.statement')}
            disabled={readOnly}
            value={a.statement}
            onChange={(e) => set(k, { statement: e.currentTarget.value })}
            error={errors[`${path}[${k}].statement`]}
          />
          <NativeSelect
            label={t('logframe.likelihood')}
            disabled={readOnly}
            value={a.likelihood ?? ''}
            data={[{ value: '', label: '—' }, ...LIKELIHOODS.map((l) => ({ value: l, label: t(`likelihood.${l}`) }))]}
            onChange={(e) => set(k, { likelihood: (e.currentTarget.value || null) as Assumption['likelihood'] })}
          />
          <NativeSelect
            label={t('logframe.impactLevel')}
            disabled={readOnly}
            value={a.impact ?? ''}
            data={[{ value: '', label: '—' }, ...LIKELIHOODS.map((l) => ({ value: l, label: t(`likelihood.${l}`) }))]}
            onChange={(e) => set(k, { impact: (e.currentTarget.value || null) as Assumption['impact'] })}
          />
          {!readOnly && <RemoveButton onClick={() => onChange(items.filter((_, j) => j !== k))} />}
        </Group>
      ))}
      {!readOnly && (
        <AddButton
          label={t('logframe.addAssumption')}
          onClick={() => onChange([...items, { kind: 'assumption', statement: '', likelihood: null, impact: null }])}
        />
      )}
    </Stack>
  );
}

/**
 * The statement of an outcome or output (`<path>.statement`), showing the API's error for the
 * statement or the code of that element.
 */
export function StatementField(p: {
  path: string;
  label: string;
  value: string;
  readOnly: boolean;
  errors: Record<string, string>;
  onChange: (value: string) => void;
}) {
  return (
    <GrowingTextarea
      id={`f-${p.path}.statement`}
      label={p.label}
      disabled={p.readOnly}
      value={p.value}
      onChange={(e) => p.onChange(e.currentTarget.value)}
      error={p.errors[`${p.path}.statement`] ?? p.errors[`${p.path}.code`]}
    />
  );
}

/** The SDG target links and the assumptions and risks of the project, an outcome or an output. */
export function LinksAndAssumptions(p: {
  element: { sdgLinks: SdgLink[]; assumptions: Assumption[] };
  /** The element's API path (`outcomes[0]`), '' for the project itself. */
  path: string;
  errors: Record<string, string>;
  readOnly: boolean;
  onChange: (patch: { sdgLinks?: SdgLink[]; assumptions?: Assumption[] }) => void;
}) {
  const under = (field: string) => (p.path ? `${p.path}.${field}` : field);
  return (
    <>
      <SdgLinksEditor
        items={p.element.sdgLinks}
        path={under('sdgLinks')}
        errors={p.errors}
        readOnly={p.readOnly}
        onChange={(sdgLinks) => p.onChange({ sdgLinks })}
      />
      <AssumptionsEditor
        items={p.element.assumptions}
        path={under('assumptions')}
        errors={p.errors}
        readOnly={p.readOnly}
        onChange={(assumptions) => p.onChange({ assumptions })}
      />
    </>
  );
}
