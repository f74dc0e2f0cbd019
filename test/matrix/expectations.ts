import type { Persona } from '../support/scope-fixture.js';

/**
 * The expected statuses the matrix repeats for routes on project PA (office A; manager A manages it,
 * manager B manages another office, the regional focal point covers office A, donor 1 funds PA and
 * donor 2 does not). Anonymous callers always get 401; outside the project's scope the answer is 404,
 * so the project's existence is not revealed.
 */

/**
 * A read of PA by staff: admin, manager A and the focal point get `status`, manager B 404, and both
 * donors `donors` (404 where donors see only approved or validated content, 403 where donors may
 * never read the route).
 */
export const paReaders = (status: number, donors = 404): Record<Persona, number> => ({
  anonymous: 401,
  admin: status,
  managerA: status,
  managerB: 404,
  focalRegional: status,
  donor1: donors,
  donor2: donors,
});

/** An action of PA's own manager: manager A gets `status`, manager B 404, every other signed-in role 403. */
export const paManager = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  admin: 403,
  managerA: status,
  managerB: 404,
  focalRegional: 403,
  donor1: 403,
  donor2: 403,
});

/** A decision of the focal point (reviewer) who covers PA's office: `status` for them, 403 for every other role. */
export const paFocalPoint = (status: number): Record<Persona, number> => ({
  anonymous: 401,
  admin: 403,
  managerA: 403,
  managerB: 403,
  focalRegional: status,
  donor1: 403,
  donor2: 403,
});
