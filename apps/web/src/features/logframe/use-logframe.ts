import { queryOptions, usePrefetchQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Logframe } from './model';

export const logframeKey = (projectId: string) => ['logframe', projectId] as const;

/** The working copy of a project's logframe (GET /projects/{id}/logframe). */
const logframeQuery = (projectId: string) =>
  queryOptions({
    queryKey: logframeKey(projectId),
    staleTime: Infinity,
    queryFn: async () =>
      unwrap(await api.GET('/projects/{id}/logframe', { params: { path: { id: projectId } } })) as unknown as Logframe,
  });

/** The revisions with what the user may do on each (edit, submit ...). */
const revisionsQuery = (projectId: string) =>
  queryOptions({
    queryKey: ['revisions', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/revisions', { params: { path: { id: projectId } } })),
  });

/** The QA checklist of the working copy, run by the server now. */
const checklistQuery = (projectId: string) =>
  queryOptions({
    queryKey: ['checklist', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/checklist', { params: { path: { id: projectId } } })),
  });

/** Review comments (a return's comments keep the element's stable id). */
const commentsQuery = (projectId: string) =>
  queryOptions({
    queryKey: ['comments', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/comments', { params: { path: { id: projectId } } })),
  });

export const useLogframe = (projectId: string) => useQuery(logframeQuery(projectId));
/** The QA workflow's reads (`enabled`: the caller reads the project as staff; donors get 403 for them). */
export const useRevisions = (projectId: string, enabled: boolean) =>
  useQuery({ ...revisionsQuery(projectId), enabled });
export const useChecklist = (projectId: string, enabled: boolean) =>
  useQuery({ ...checklistQuery(projectId), enabled });
export const useComments = (projectId: string, enabled: boolean) => useQuery({ ...commentsQuery(projectId), enabled });

/**
 * Starts loading everything the logframe editor reads, alongside the project itself (a deep link
 * then costs one round of requests, not two). The QA workflow's reads only when `staff` is true: a
 * donor is refused them, and while it is unknown (undefined) the editor asks once it knows.
 */
export function usePrefetchLogframeEditor(projectId: string, staff: boolean | undefined): void {
  const client = useQueryClient();
  usePrefetchQuery(logframeQuery(projectId));
  if (staff !== true) return;
  // As usePrefetchQuery does: only what has no cached state yet (data, error or a request in flight).
  const revisions = revisionsQuery(projectId);
  const checklist = checklistQuery(projectId);
  const comments = commentsQuery(projectId);
  if (!client.getQueryState(revisions.queryKey)) void client.prefetchQuery(revisions);
  if (!client.getQueryState(checklist.queryKey)) void client.prefetchQuery(checklist);
  if (!client.getQueryState(comments.queryKey)) void client.prefetchQuery(comments);
}
