import { Injectable } from '@nestjs/common';
import type { AuthUser } from '#libs/auth';
import type { OrgUnitEntity } from '#libs/database';
import { OrgUnitRepository } from './org-unit.repository.js';

/** Org units as people see them: admins all, others the units their manager and focal point roles cover. */
@Injectable()
export class OrgUnitService {
  constructor(private readonly orgUnits: OrgUnitRepository) {}

  /** The org units in `user`'s scope, by code (filtered in SQL). */
  list(user: AuthUser): Promise<OrgUnitEntity[]> {
    return this.orgUnits.list(
      user.scope.isAdmin ? undefined : [...new Set([...user.scope.managerUnitIds, ...user.scope.focalUnitIds])],
    );
  }
}
