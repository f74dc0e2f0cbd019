import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

/** Org units in the user's scope (offices, for names and for creating a project). */
export function useOrgUnits() {
  return useQuery({
    queryKey: ['org-units'],
    queryFn: async () => unwrap(await api.GET('/org-units')),
    staleTime: 300_000,
  });
}
