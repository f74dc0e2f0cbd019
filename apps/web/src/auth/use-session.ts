import { useSyncExternalStore } from 'react';
import { session } from './session';

/** The session state for React (status and whether a token is held). */
export function useSession() {
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
