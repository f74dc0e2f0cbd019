import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

/** The signed-in user with roles and scope. */
export function useMe(enabled: boolean) {
  return useQuery({ queryKey: ['me'], queryFn: async () => unwrap(await api.GET('/me')), enabled, staleTime: 300_000 });
}
