import { queryOptions, usePrefetchQuery, useQuery } from '@tanstack/react-query';
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
export const useRevisions = (projectId: string) => useQuery(revisionsQuery(projectId));
export const useChecklist = (projectId: string) => useQuery(checklistQuery(projectId));
export const useComments = (projectId: string) => useQuery(commentsQuery(projectId));

/**
 * Starts loading everything the logframe editor reads, alongside the project itself (a deep link
 * then costs one round of requests, not two).
 */
export function usePrefetchLogframeEditor(projectId: string): void {
  usePrefetchQuery(logframeQuery(projectId));
  usePrefetchQuery(revisionsQuery(projectId));
  usePrefetchQuery(checklistQuery(projectId));
  usePrefetchQuery(commentsQuery(projectId));
}
