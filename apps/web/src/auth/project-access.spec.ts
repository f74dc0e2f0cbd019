import { describe, expect, it } from '@jest/globals';
import { readsAsStaff } from './project-access';

const OFFICE = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const FCDO = '33333333-3333-4333-8333-333333333333';
const scope = (s: Partial<Parameters<typeof readsAsStaff>[0] & object>) => ({
  isAdmin: false,
  managerUnitIds: [],
  focalUnitIds: [],
  donorIds: [],
  ...s,
});

describe('readsAsStaff', () => {
  it('is unknown while the scope loads', () => {
    expect(readsAsStaff(undefined, OFFICE)).toBeUndefined();
  });

  it('reads a donor-only user as a donor, before and after the project is known', () => {
    const donor = scope({ donorIds: [FCDO] });
    expect([readsAsStaff(donor, undefined), readsAsStaff(donor, OFFICE)]).toEqual([false, false]);
  });

  it('reads managers and focal points as staff on projects of their units only', () => {
    const manager = scope({ managerUnitIds: [OFFICE] });
    const focal = scope({ focalUnitIds: [OFFICE] });
    expect([readsAsStaff(manager, undefined), readsAsStaff(manager, OFFICE), readsAsStaff(focal, OFFICE)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(readsAsStaff(scope({ managerUnitIds: [OFFICE], donorIds: [FCDO] }), OTHER)).toBe(false);
  });

  it('reads admins as staff everywhere', () => {
    expect(readsAsStaff(scope({ isAdmin: true, donorIds: [FCDO] }), OTHER)).toBe(true);
    expect(readsAsStaff(scope({ isAdmin: true }), undefined)).toBe(true);
  });

  it('waits for the project when the user is both a donor and staff somewhere', () => {
    const both = scope({ managerUnitIds: [OFFICE], donorIds: [FCDO] });
    expect([readsAsStaff(both, undefined), readsAsStaff(both, OFFICE), readsAsStaff(both, OTHER)]).toEqual([
      undefined,
      true,
      false,
    ]);
  });
});
