import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Logframe } from './model';

export const logframeKey = (projectId: string) => ['logframe', projectId] as const;

/** The working copy of a project's logframe (GET /projects/{id}/logframe). */
export function useLogframe(projectId: string) {
  return useQuery({
    queryKey: logframeKey(projectId),
    staleTime: Infinity,
    queryFn: async () =>
      unwrap(await api.GET('/projects/{id}/logframe', { params: { path: { id: projectId } } })) as unknown as Logframe,
  });
}

/** The revisions with what the user may do on each (edit, submit ...). */
export function useRevisions(projectId: string) {
  return useQuery({
    queryKey: ['revisions', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/revisions', { params: { path: { id: projectId } } })),
  });
}

/** The QA checklist of the working copy, run by the server now. */
export function useChecklist(projectId: string) {
  return useQuery({
    queryKey: ['checklist', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/checklist', { params: { path: { id: projectId } } })),
  });
}

/** Review comments (a return's comments keep the element's stable id). */
export function useComments(projectId: string) {
  return useQuery({
    queryKey: ['comments', projectId],
    queryFn: async () => unwrap(await api.GET('/projects/{id}/comments', { params: { path: { id: projectId } } })),
  });
}
