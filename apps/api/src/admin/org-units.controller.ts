import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import { OrgUnitService } from '#libs/logframe';
import { ANY_ROLE, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { OrgUnitResponseDto } from './admin.dto.js';

/** Org units as people see them: admins all, others the units their roles cover. */
@ApiTags('org-units')
@Controller('org-units')
@Roles(...ANY_ROLE)
export class OrgUnitsController {
  constructor(private readonly orgUnits: OrgUnitService) {}

  @Get()
  @ApiOperation({ summary: 'Org units in your scope, by code' })
  @ApiOkResponse({ type: [OrgUnitResponseDto] })
  async list(@CurrentUser() user: AuthUser): Promise<OrgUnitResponseDto[]> {
    const units = await this.orgUnits.list(user);
    return units.map((u) => ({
      id: u.id,
      code: u.code,
      name: u.name,
      type: u.type,
      parentId: u.parentId,
      countryCodes: u.countryCodes,
      version: u.version,
    }));
  }
}
