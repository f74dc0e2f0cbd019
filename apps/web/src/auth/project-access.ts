import type { Schemas } from '../api/client';

type Scope = Schemas['MeScopeDto'];

/**
 * Whether the signed-in user reads a project as staff (admin, project manager or RBM focal point), from
 * their scope (GET /me) as the server's PolicyService.rolesOnProject decides it: admins everywhere,
 * managers and focal points through the project's org unit (their scope already lists the units below
 * their own). Anyone else who reaches the project does so as a donor: the API serves them the approved
 * logframe only and refuses the QA workflow (revisions, checklist, review comments), edits and uploads.
 * The server enforces all of it; this only keeps the web app from offering or asking what it would refuse.
 * @param scope the caller's scope; undefined while it loads (then the answer is undefined too)
 * @param orgUnitId the project's org unit; undefined while the project loads
 * @returns true or false when certain, undefined when it depends on what is still loading (a user who
 *   is both a donor and staff somewhere, before the project's org unit is known)
 */
export function readsAsStaff(scope: Scope | undefined, orgUnitId: string | undefined): boolean | undefined {
  if (!scope) return undefined;
  if (scope.isAdmin) return true;
  if (orgUnitId !== undefined)
    return scope.managerUnitIds.includes(orgUnitId) || scope.focalUnitIds.includes(orgUnitId);
  // Without a donor assignment every project the user reaches lies in their units; with only donor ones, none does.
  if (scope.donorIds.length === 0) return true;
  if (scope.managerUnitIds.length === 0 && scope.focalUnitIds.length === 0) return false;
  return undefined;
}
