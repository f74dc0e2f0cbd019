import type { Role } from '#libs/database';

/**
 * What the caller may reach (DESIGN.md §1): org units covered by each role (an assignment covers
 * its unit and every unit below it) and the donor organisations the caller acts for.
 */
export interface AccessScope {
  /** Holds a global admin assignment. */
  isAdmin: boolean;
  /** Org unit ids (with descendants) where the caller is a project manager. */
  managerUnitIds: string[];
  /** Org unit ids (with descendants) where the caller is an RBM focal point. */
  focalUnitIds: string[];
  /** Donor organisations the caller acts for (role `donor`). */
  donorIds: string[];
}

/** The signed-in caller, attached to each authenticated request. */
export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  /** Preferred report language (ISO 639-1, `en` or `fr`). */
  language?: string;
  sessionId: string;
  /** Every role the caller holds somewhere. */
  roles: Role[];
  assignments: { id: string; role: Role; orgUnitId: string | null; donorId: string | null }[];
  scope: AccessScope;
}
