import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiRequestError, unwrap } from '../../api/client';
import { readsAsStaff } from '../../auth/project-access';
import { CodeText } from '../../components/code-text';
import { useMe } from '../../layout/use-me';
import { translateApiError } from '../../lib/api-errors';
import { LogframeEditor } from '../logframe/logframe-editor';
import { usePrefetchLogframeEditor } from '../logframe/use-logframe';
import { ProjectOverview } from './project-overview';
import { WorkbookPanel } from './workbook-panel';

const TABS = ['logframe', 'overview', 'workbook'] as const;

/**
 * A project: the logframe editor (default), its fields, and the workbook round trip; the tab is in the URL.
 * A donor (no staff role on the project, see readsAsStaff) gets the same tabs read only: the approved
 * logframe without the QA checklist, the fields without Save, the workbook download without upload.
 */
export function ProjectPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { projectId = '', tab: tabParam } = useParams();
  const tab = (TABS as readonly string[]).includes(tabParam ?? '') ? (tabParam as (typeof TABS)[number]) : 'logframe';
  const project = useQuery({
    queryKey: ['project', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}', { params: { path: { id: projectId } } })),
  });
  const me = useMe(true);
  // Unknown roles (GET /me failed) keep the staff page: the server refuses what the caller may not do.
  const staff = me.isError ? true : readsAsStaff(me.data?.scope, project.data?.orgUnitId);
  usePrefetchLogframeEditor(projectId, staff);

  if (project.isPending || (project.isSuccess && staff === undefined))
    return (
      <Stack aria-busy="true" aria-label={t('common.loading')}>
        <Skeleton h={36} w="50%" />
        <Skeleton h={200} />
      </Stack>
    );
  if (project.isError) {
    const notFound =
      project.error instanceof ApiRequestError && (project.error.status === 404 || project.error.status === 400);
    return (
      <Alert color="red" title={notFound ? t('project.notFound') : t('common.loadFailed')}>
        <Text size="sm">{notFound ? t('project.notFoundBody') : translateApiError(project.error, t)}</Text>
        <Group mt="xs">
          <Anchor component={Link} to="/projects">
            {t('nav.projects')}
          </Anchor>
          {!notFound && (
            <Button size="xs" variant="light" onClick={() => void project.refetch()}>
              {t('common.retry')}
            </Button>
          )}
        </Group>
      </Alert>
    );
  }
  const p = project.data;
  const asStaff = staff ?? true;
  return (
    <Stack gap="sm">
      <Breadcrumbs separator={<span className="dir-arrow">›</span>}>
        <Anchor component={Link} to="/projects">
          {t('nav.projects')}
        </Anchor>
        <Text size="sm">
          <CodeText>{p.code}</CodeText>
        </Text>
      </Breadcrumbs>
      <Group gap="sm" align="baseline">
        <Title order={1} size="h2">
          <CodeText>{p.code}</CodeText> · <bdi>{p.title}</bdi>
        </Title>
        {p.provenance === 'imported' && <Badge variant="light">{t('project.imported')}</Badge>}
      </Group>
      <Tabs
        value={tab}
        onChange={(v) => void navigate(`/projects/${projectId}/${v ?? 'logframe'}`)}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="logframe">{t('project.tabLogframe')}</Tabs.Tab>
          <Tabs.Tab value="overview">{t('project.tabOverview')}</Tabs.Tab>
          <Tabs.Tab value="workbook">{t('project.tabWorkbook')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="logframe" pt="md">
          <LogframeEditor project={p} staff={asStaff} />
        </Tabs.Panel>
        <Tabs.Panel value="overview" pt="md">
          <ProjectOverview project={p} staff={asStaff} />
        </Tabs.Panel>
        <Tabs.Panel value="workbook" pt="md">
          <WorkbookPanel project={p} staff={asStaff} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
