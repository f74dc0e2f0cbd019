import { Alert, Badge, Button, Grid, Group, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GrowingTextarea } from '../../components/growing-textarea';
import { RemoveButton } from '../../components/remove-button';
import { useBlocker } from 'react-router';
import { api, ApiRequestError, unwrap, type Schemas } from '../../api/client';
import { fieldErrorsOf, translateApiError } from '../../lib/api-errors';
import { ChecklistPanel } from './checklist-panel';
import { ElementCard, LinksAndAssumptions, StatementField } from './element-cards';
import { IndicatorEditor } from './indicator-editor';
import {
  type Change,
  diffLogframes,
  type Indicator,
  type Logframe,
  newActivity,
  newIndicator,
  newOutcome,
  newOutput,
  type Output,
  toDocument,
} from './model';
import { logframeKey, useChecklist, useComments, useLogframe, useRevisions } from './use-logframe';
import { AddButton } from '../../components/add-button';
import { CodeText } from '../../components/code-text';

/** An activity's two dates: its field and the label of its input. */
const ACTIVITY_DATES = [
  ['startDate', 'logframe.start'],
  ['endDate', 'logframe.end'],
] as const;

type Project = Schemas['ProjectResponseDto'];
type Comment = Schemas['CommentDto'];

/** Every element's API path by its stable id (to open the card a checklist item or comment points at). */
function pathsById(lf: Logframe): Map<string, string> {
  const map = new Map<string, string>();
  lf.impactIndicators.forEach((i, k) => i.id && map.set(i.id, `impactIndicators[${k}]`));
  lf.outcomes.forEach((oc, i) => {
    if (oc.id) map.set(oc.id, `outcomes[${i}]`);
    oc.indicators.forEach((ind, k) => ind.id && map.set(ind.id, `outcomes[${i}].indicators[${k}]`));
    oc.outputs.forEach((op, j) => {
      if (op.id) map.set(op.id, `outcomes[${i}].outputs[${j}]`);
      op.indicators.forEach((ind, k) => ind.id && map.set(ind.id, `outcomes[${i}].outputs[${j}].indicators[${k}]`));
    });
  });
  lf.unlinkedOutputs.forEach((op, j) => {
    if (op.id) map.set(op.id, `unlinkedOutputs[${j}]`);
    op.indicators.forEach((ind, k) => ind.id && map.set(ind.id, `unlinkedOutputs[${j}].indicators[${k}]`));
  });
  return map;
}

/** The element cards above a field path: `outcomes[0].indicators[1].baseline.value` → [`outcomes[0]`, `outcomes[0].indicators[1]`]. */
function elementAncestors(path: string): string[] {
  const parts = path.split('.');
  const out: string[] = [];
  for (let n = 1; n <= parts.length; n += 1)
    if (/^(outcomes|outputs|indicators|impactIndicators|unlinkedOutputs)\[\d+\]$/.test(parts[n - 1]))
      out.push(parts.slice(0, n).join('.'));
  return out.length ? out : ['project'];
}

/** A path and all its ancestors: `outcomes[0].outputs[1]` → [`outcomes[0]`, `outcomes[0].outputs[1]`]. */
function withAncestors(path: string): string[] {
  const parts = path.split('.');
  return parts.map((_, n) => parts.slice(0, n + 1).join('.'));
}

/**
 * The logframe editor: a tree of collapsible cards (project, impact indicators, outcomes > outputs >
 * activities, indicators inside), the QA checklist beside it, Save with the version read (a 409 shows
 * what the other person changed and keeps these edits), Submit, and opening a new revision.
 * `staff` false (a donor): the approved logframe read only, without the QA workflow (revisions,
 * checklist, review comments), which the API refuses donors.
 */
export function LogframeEditor({ project, staff }: { project: Project; staff: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const projectId = project.id;
  const lfq = useLogframe(projectId);
  const revisions = useRevisions(projectId, staff);
  const checklist = useChecklist(projectId, staff);
  const comments = useComments(projectId, staff);
  const [base, setBase] = useState<Logframe | null>(null);
  const [draft, setDraft] = useState<Logframe | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<{ theirs: Logframe; changes: Change[] } | null>(null);
  const [open, setOpen] = useState<Set<string>>(() => new Set(['project']));
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [openingRevision, setOpeningRevision] = useState(false);

  useEffect(() => {
    if (lfq.data && !draft) {
      setBase(lfq.data);
      setDraft(lfq.data);
      setOpen(new Set(['project', ...lfq.data.outcomes.map((_, i) => `outcomes[${i}]`)]));
    }
  }, [lfq.data, draft]);

  const dirty = useMemo(
    () => !!draft && !!base && JSON.stringify(toDocument(draft)) !== JSON.stringify(toDocument(base)),
    [draft, base],
  );
  const latest = revisions.data ? [...revisions.data].sort((a, b) => b.number - a.number)[0] : undefined;
  const readOnly = !staff || !latest?.actions.mayEdit;

  // Leave-page guard: in-app navigation asks; closing the tab gets the browser's prompt.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const handler = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', handler);
    return () => window.removeEventListener('beforeunload', handler);
  }, [dirty]);

  const change = useCallback((fn: (d: Logframe) => void) => {
    setDraft((d) => {
      if (!d) return d;
      const copy = structuredClone(d);
      fn(copy);
      return copy;
    });
  }, []);
  const toggle = (key: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const refreshAfterChange = () => {
    void queryClient.invalidateQueries({ queryKey: ['checklist', projectId] });
    void queryClient.invalidateQueries({ queryKey: ['revisions', projectId] });
    void queryClient.invalidateQueries({ queryKey: ['projects'] });
  };

  const save = useMutation({
    mutationFn: async (doc: Logframe) =>
      unwrap(
        await api.PUT('/projects/{id}/logframe', { params: { path: { id: projectId } }, body: toDocument(doc) }),
      ) as unknown as Logframe,
    onSuccess: (saved) => {
      setBase(saved);
      setDraft(saved);
      setErrors({});
      setConflict(null);
      queryClient.setQueryData(logframeKey(projectId), saved);
      refreshAfterChange();
    },
    onError: async (error) => {
      if (!(error instanceof ApiRequestError)) return;
      if (error.status === 409 && draft) {
        const theirs = unwrap(
          await api.GET('/projects/{id}/logframe', { params: { path: { id: projectId } } }),
        ) as unknown as Logframe;
        if (theirs.version !== draft.version && base) setConflict({ theirs, changes: diffLogframes(base, theirs) });
      }
      const fields = fieldErrorsOf(error.body, t);
      setErrors(fields);
      if (Object.keys(fields).length) setOpen((s) => new Set([...s, ...Object.keys(fields).flatMap(elementAncestors)]));
    },
  });

  const submit = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/projects/{id}/revisions/submit', {
          params: { path: { id: projectId } },
          body: { version: latest!.version },
        }),
      ),
    onSuccess: refreshAfterChange,
  });

  // Opening an element from the checklist: open its card and ancestors, then scroll to it and focus.
  const openElement = (elementId: string | null) => {
    if (!draft) return;
    const path = elementId ? pathsById(draft).get(elementId) : undefined;
    const key = path ?? 'project';
    setOpen((s) => new Set([...s, ...withAncestors(key)]));
    setFocusTarget(key);
  };
  useEffect(() => {
    if (!focusTarget) return;
    const card = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(focusTarget)}"]`);
    if (card) {
      card.scrollIntoView({ block: 'center' });
      window.setTimeout(
        () =>
          card
            .querySelector<HTMLElement>(
              `[id="body-${CSS.escape(focusTarget)}"] input, [id="body-${CSS.escape(focusTarget)}"] textarea`,
            )
            ?.focus(),
        250,
      );
    }
    setFocusTarget(null);
  }, [focusTarget]);

  const commentsById = useMemo(() => {
    const map = new Map<string, Comment[]>();
    for (const c of comments.data ?? [])
      if (c.elementId && c.revisionId === latest?.id) map.set(c.elementId, [...(map.get(c.elementId) ?? []), c]);
    return map;
  }, [comments.data, latest?.id]);
  const problemsById = useMemo(() => {
    const map = new Map<string, number>();
    for (const i of checklist.data?.blocking ?? [])
      if (i.elementId) map.set(i.elementId, (map.get(i.elementId) ?? 0) + 1);
    return map;
  }, [checklist.data]);

  // A donor reads the approved revision only: none yet is not an error (DESIGN.md §1: 404 then).
  if (!staff && lfq.error instanceof ApiRequestError && lfq.error.status === 404)
    return (
      <Alert color="blue" variant="light" title={t('logframe.noApprovedTitle')}>
        {t('logframe.noApprovedBody')}
      </Alert>
    );
  if (lfq.isError)
    return (
      <Alert color="red" title={t('common.loadFailed')}>
        {translateApiError(lfq.error, t)}{' '}
        <Button size="xs" variant="light" onClick={() => void lfq.refetch()}>
          {t('common.retry')}
        </Button>
      </Alert>
    );
  if (!draft) return <Text>{t('common.loading')}</Text>;

  const projectDates = { start: project.startDate, end: project.endDate };
  // The revision shown: for staff the latest (with what they may do), for a donor the approved one served.
  const shown = staff ? latest : draft.revision;
  const revisionComments = (comments.data ?? []).filter((c) => !c.elementId && c.revisionId === latest?.id);

  /**
   * The props every element card of the tree shares: its place (`path`, nesting `level`), what its
   * header shows, its open checklist items and review comments (by stable id), errors under it and
   * whether it is open.
   */
  const cardProps = (
    el: { id?: string; code: string },
    path: string,
    level: number,
    title: string,
    kindLabel: string,
    indicatorCount?: number,
  ) => ({
    level,
    elementId: el.id,
    path,
    code: el.code,
    title,
    kindLabel,
    indicatorCount,
    openProblems: el.id ? problemsById.get(el.id) : undefined,
    errors,
    comments: el.id ? (commentsById.get(el.id) ?? []) : [],
    open: open.has(path),
    onToggle: () => toggle(path),
  });

  const indicatorCards = (
    list: Indicator[],
    parentPath: string,
    setList: (fn: (l: Indicator[]) => void) => void,
    parentCode: string,
  ) => (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t('logframe.indicators')}
      </Text>
      {list.map((ind, k) => {
        const path = `${parentPath ? `${parentPath}.` : ''}${parentPath ? 'indicators' : 'impactIndicators'}[${k}]`;
        return (
          <ElementCard
            key={ind.id ?? `new-${k}`}
            {...cardProps(ind, path, 1, ind.title, t('logframe.indicator'))}
            actions={
              <>
                <Badge size="sm" variant="outline">
                  {t(`measure.${ind.measure}`)}
                </Badge>
                {!readOnly && <RemoveButton name={ind.code} onClick={() => setList((l) => l.splice(k, 1))} />}
              </>
            }
          >
            <IndicatorEditor
              indicator={ind}
              path={path}
              errors={errors}
              readOnly={readOnly}
              projectDates={projectDates}
              onChange={(next) => setList((l) => void (l[k] = next))}
            />
          </ElementCard>
        );
      })}
      {!readOnly && (
        <AddButton
          label={t('logframe.addIndicator')}
          onClick={() => {
            setList((l) => void l.push(newIndicator(parentCode, l)));
            const path = `${parentPath ? `${parentPath}.indicators` : 'impactIndicators'}[${list.length}]`;
            setOpen((s) => new Set([...s, path]));
          }}
        />
      )}
    </Stack>
  );

  const outputCard = (op: Output, path: string, setOutput: (fn: (o: Output) => void) => void, remove: () => void) => (
    <ElementCard
      key={op.id ?? path}
      {...cardProps(op, path, 1, op.statement, t('logframe.output'), op.indicators.length)}
      actions={!readOnly && <RemoveButton name={op.code} onClick={remove} />}
    >
      <StatementField
        path={path}
        label={t('logframe.outputStatement')}
        value={op.statement}
        readOnly={readOnly}
        errors={errors}
        onChange={(v) => setOutput((o) => void (o.statement = v))}
      />
      {indicatorCards(op.indicators, path, (fn) => setOutput((o) => fn(o.indicators)), op.code)}
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('logframe.activities')}
        </Text>
        {op.activities.map((a, k) => (
          <Group key={a.id ?? k} align="end" wrap="nowrap" gap="xs">
            <Text size="sm" fw={600} w={70} className="tabular">
              <CodeText>{a.code}</CodeText>
            </Text>
            <GrowingTextarea
              style={{ flex: 3 }}
              minRows={1}
              label={t('logframe.activityDescription')}
              disabled={readOnly}
              value={a.description}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setOutput((o) => void (o.activities[k].description = v));
              }}
              error={errors[`${path}.activities[${k}].description`]}
            />
            {ACTIVITY_DATES.map(([field, label]) => (
              <TextInputDate
                key={field}
                label={t(label)}
                value={a[field] ?? ''}
                disabled={readOnly}
                onChange={(v) => setOutput((o) => void (o.activities[k][field] = v || null))}
                error={errors[`${path}.activities[${k}].${field}`]}
              />
            ))}
            {!readOnly && <RemoveButton onClick={() => setOutput((o) => void o.activities.splice(k, 1))} />}
          </Group>
        ))}
        {!readOnly && (
          <AddButton
            label={t('logframe.addActivity')}
            onClick={() => setOutput((o) => void o.activities.push(newActivity(o)))}
          />
        )}
      </Stack>
      <LinksAndAssumptions
        element={op}
        path={path}
        errors={errors}
        readOnly={readOnly}
        onChange={(patch) => setOutput((o) => void Object.assign(o, patch))}
      />
    </ElementCard>
  );

  const submitReason = !latest
    ? t('common.loading')
    : !latest.actions.maySubmit
      ? t('logframe.cannotSubmit', { status: t(`revisionStatus.${latest.status}`) })
      : dirty
        ? t('logframe.saveFirst')
        : checklist.data && !checklist.data.passed
          ? t('logframe.fixChecklistFirst')
          : null;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: staff ? 8 : 12 }}>
        <Stack gap="sm">
          <Group justify="space-between" className="editor-bar">
            <Group gap="xs">
              {shown && (
                <Badge
                  size="lg"
                  variant="light"
                  color={
                    shown.status === 'approved'
                      ? 'green'
                      : shown.status === 'returned'
                        ? 'orange'
                        : shown.status === 'submitted'
                          ? 'blue'
                          : 'gray'
                  }
                  data-testid="revision-state"
                >
                  {t('projects.revision', { number: shown.number, status: t(`revisionStatus.${shown.status}`) })}
                </Badge>
              )}
              {staff && (
                <Text
                  size="sm"
                  c={dirty ? 'red.9' : 'dimmed'}
                  fw={dirty ? 600 : undefined}
                  aria-live="polite"
                  data-testid="save-state"
                >
                  {save.isPending ? t('logframe.saving') : dirty ? t('logframe.unsaved') : t('logframe.saved')}
                </Text>
              )}
            </Group>
            <Group gap="xs">
              {latest?.status === 'approved' && (
                <Button variant="default" onClick={() => setOpeningRevision(true)}>
                  {t('logframe.openRevision')}
                </Button>
              )}
              {!readOnly && (
                <Button onClick={() => save.mutate(draft)} loading={save.isPending} disabled={!dirty && !conflict}>
                  {t('common.save')}
                </Button>
              )}
              {!readOnly && (
                <Button
                  disabled={!!submitReason}
                  title={submitReason ?? undefined}
                  loading={submit.isPending}
                  onClick={() => submit.mutate()}
                >
                  {t('logframe.submit')}
                </Button>
              )}
            </Group>
          </Group>
          {staff && readOnly && latest && (
            <Alert color="blue" variant="light">
              {t('logframe.readOnly', { status: t(`revisionStatus.${latest.status}`) })}
            </Alert>
          )}
          {!staff && (
            <Alert color="blue" variant="light" data-testid="donor-view">
              {t('logframe.donorView')}
            </Alert>
          )}
          {!readOnly && submitReason && latest && (
            <Text size="xs" c="dimmed">
              {t('logframe.submitDisabled', { reason: submitReason })}
            </Text>
          )}
          {submit.error && <Alert color="red">{translateApiError(submit.error, t)}</Alert>}
          {submit.isSuccess && <Alert color="green">{t('logframe.submitted')}</Alert>}
          {save.error && !conflict && (
            <Alert color="red" role="alert" title={t('logframe.saveFailed')}>
              {translateApiError(save.error, t)}
              {Object.keys(errors).length > 0 && (
                <Text size="sm" mt={4}>
                  {t('logframe.errorCount', { count: Object.keys(errors).length })}
                </Text>
              )}
            </Alert>
          )}
          {conflict && (
            <Alert color="orange" role="alert" title={t('conflict.title')} data-testid="conflict">
              <Text size="sm" mb="xs">
                {t('conflict.body', { version: conflict.theirs.version })}
              </Text>
              <Table withTableBorder fz="xs" mb="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('conflict.field')}</Table.Th>
                    <Table.Th>{t('conflict.before')}</Table.Th>
                    <Table.Th>{t('conflict.theirs')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {conflict.changes.slice(0, 30).map((c) => (
                    <Table.Tr key={c.path}>
                      <Table.Td>{c.label}</Table.Td>
                      <Table.Td>{show(c.before)}</Table.Td>
                      <Table.Td>{show(c.after)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group>
                <Button
                  size="xs"
                  onClick={() => {
                    setBase(conflict.theirs);
                    setDraft({ ...draft, version: conflict.theirs.version, revision: conflict.theirs.revision });
                    setConflict(null);
                    save.reset();
                  }}
                >
                  {t('conflict.keepMine')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setBase(conflict.theirs);
                    setDraft(conflict.theirs);
                    setConflict(null);
                    save.reset();
                    refreshAfterChange();
                  }}
                >
                  {t('conflict.takeTheirs')}
                </Button>
              </Group>
            </Alert>
          )}
          {revisionComments.map((c) => (
            <Alert key={c.id} color="grape" variant="light" title={t('logframe.returnComment')}>
              {c.body}
            </Alert>
          ))}

          <ElementCard
            level={0}
            path="project"
            code={project.code}
            title={project.title}
            kindLabel={t('logframe.project')}
            errors={errors}
            comments={[]}
            open={open.has('project')}
            onToggle={() => toggle('project')}
          >
            <LinksAndAssumptions
              element={draft}
              path=""
              errors={errors}
              readOnly={readOnly}
              onChange={(patch) => change((d) => void Object.assign(d, patch))}
            />
            <Title order={2} size="h5">
              {t('logframe.impact')}
            </Title>
            {indicatorCards(draft.impactIndicators, '', (fn) => change((d) => fn(d.impactIndicators)), '')}
          </ElementCard>

          <Title order={2} size="h4">
            {t('logframe.outcomes')}
          </Title>
          {draft.outcomes.map((oc, i) => {
            const path = `outcomes[${i}]`;
            return (
              <ElementCard
                key={oc.id ?? path}
                {...cardProps(oc, path, 0, oc.statement, t('logframe.outcome'), oc.indicators.length)}
                actions={
                  !readOnly && (
                    <RemoveButton name={oc.code} onClick={() => change((d) => void d.outcomes.splice(i, 1))} />
                  )
                }
              >
                <StatementField
                  path={path}
                  label={t('logframe.outcomeStatement')}
                  value={oc.statement}
                  readOnly={readOnly}
                  errors={errors}
                  onChange={(v) => change((d) => void (d.outcomes[i].statement = v))}
                />
                {indicatorCards(oc.indicators, path, (fn) => change((d) => fn(d.outcomes[i].indicators)), oc.code)}
                <LinksAndAssumptions
                  element={oc}
                  path={path}
                  errors={errors}
                  readOnly={readOnly}
                  onChange={(patch) => change((d) => void Object.assign(d.outcomes[i], patch))}
                />
                <Text size="sm" fw={600}>
                  {t('logframe.outputs')}
                </Text>
                {oc.outputs.map((op, j) =>
                  outputCard(
                    op,
                    `${path}.outputs[${j}]`,
                    (fn) => change((d) => fn(d.outcomes[i].outputs[j])),
                    () => change((d) => void d.outcomes[i].outputs.splice(j, 1)),
                  ),
                )}
                {!readOnly && (
                  <AddButton
                    label={t('logframe.addOutput')}
                    onClick={() => {
                      change((d) => void d.outcomes[i].outputs.push(newOutput(d.outcomes[i])));
                      setOpen((s) => new Set([...s, `${path}.outputs[${oc.outputs.length}]`]));
                    }}
                  />
                )}
              </ElementCard>
            );
          })}
          {!readOnly && (
            <Group>
              <Button
                variant="light"
                onClick={() => {
                  change((d) => void d.outcomes.push(newOutcome(d)));
                  setOpen((s) => new Set([...s, `outcomes[${draft.outcomes.length}]`]));
                }}
              >
                {t('logframe.addOutcome')}
              </Button>
            </Group>
          )}
          {draft.unlinkedOutputs.length > 0 && (
            <>
              <Title order={2} size="h4">
                {t('logframe.unlinkedOutputs')}
              </Title>
              {draft.unlinkedOutputs.map((op, j) =>
                outputCard(
                  op,
                  `unlinkedOutputs[${j}]`,
                  (fn) => change((d) => fn(d.unlinkedOutputs[j])),
                  () => change((d) => void d.unlinkedOutputs.splice(j, 1)),
                ),
              )}
            </>
          )}
        </Stack>
      </Grid.Col>
      {staff && (
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ChecklistPanel
            checklist={checklist.data}
            loading={checklist.isFetching}
            dirty={dirty}
            readOnly={readOnly}
            onOpen={openElement}
          />
        </Grid.Col>
      )}
      <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title={t('logframe.leaveTitle')}>
        <Text size="sm" mb="md">
          {t('logframe.leaveBody')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()}>
            {t('logframe.stay')}
          </Button>
          <Button color="red.9" onClick={() => blocker.proceed?.()}>
            {t('logframe.leave')}
          </Button>
        </Group>
      </Modal>
      {openingRevision && (
        <OpenRevisionDialog
          projectId={projectId}
          onClose={() => setOpeningRevision(false)}
          onOpened={() => {
            setDraft(null);
            void lfq.refetch();
            refreshAfterChange();
          }}
        />
      )}
    </Grid>
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

function TextInputDate(p: {
  label: string;
  value: string;
  disabled: boolean;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <TextInput
      type="date"
      label={p.label}
      value={p.value}
      disabled={p.disabled}
      onChange={(e) => p.onChange(e.currentTarget.value)}
      error={p.error}
      w={150}
    />
  );
}

function OpenRevisionDialog({
  projectId,
  onClose,
  onOpened,
}: {
  projectId: string;
  onClose: () => void;
  onOpened: () => void;
}) {
  const { t } = useTranslation();
  const [justification, setJustification] = useState('');
  const open = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/projects/{id}/revisions', { params: { path: { id: projectId } }, body: { justification } }),
      ),
    onSuccess: () => {
      onOpened();
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('logframe.openRevision')}>
      <Stack>
        {open.error && <Alert color="red">{translateApiError(open.error, t)}</Alert>}
        <GrowingTextarea
          label={t('logframe.justification')}
          description={t('logframe.justificationHint')}
          minRows={3}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => open.mutate()} loading={open.isPending} disabled={justification.trim().length < 5}>
            {t('logframe.openRevisionConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
