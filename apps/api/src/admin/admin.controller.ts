import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, UsersService } from '#libs/auth';
import { AppConfig } from '#libs/config';
import { QUEUE_DASHBOARD_COOKIE, QUEUE_DASHBOARD_PATH } from './queue-dashboard.js';
import type { OrgUnitEntity } from '#libs/database';
import { ErrorCode } from '#libs/common';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import {
  AssignmentCreateDto,
  OrgUnitCreateDto,
  OrgUnitResponseDto,
  OrgUnitUpdateDto,
  UserCreateDto,
  UserResponseDto,
  UserUpdateDto,
} from './admin.dto.js';

const orgUnitView = (u: OrgUnitEntity): OrgUnitResponseDto => ({
  id: u.id,
  code: u.code,
  name: u.name,
  type: u.type,
  parentId: u.parentId,
  countryCodes: u.countryCodes,
  version: u.version,
});

/** Admin: users, role assignments and org units. Every change is in the audit trail. */
@ApiTags('admin')
@Controller('admin')
@Roles('admin')
export class AdminController {
  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'List users with their role assignments' })
  @ApiOkResponse({ type: [UserResponseDto] })
  listUsers(): Promise<UserResponseDto[]> {
    return this.users.list();
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a user (no roles until assigned)' })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(400, 409)
  createUser(@Body() body: UserCreateDto, @CurrentUser() actor: AuthUser): Promise<UserResponseDto> {
    return this.users.create(body, actor.id);
  }

  @Get('users/:userId')
  @ApiOperation({ summary: 'A user with role assignments' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404)
  getUser(@Param('userId', uuidParam('userId')) userId: string): Promise<UserResponseDto> {
    return this.users.get(userId);
  }

  @Patch('users/:userId')
  @ApiOperation({ summary: 'Rename, deactivate or set a new password (ends their sessions)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404, 409)
  updateUser(
    @Param('userId', uuidParam('userId')) userId: string,
    @Body() body: UserUpdateDto,
    @CurrentUser() actor: AuthUser,
  ): Promise<UserResponseDto> {
    return this.users.update(userId, body, actor.id);
  }

  @Post('users/:userId/assignments')
  @ApiOperation({
    summary: 'Give a user a role over an org unit (and the units below it), a donor organisation, or globally (admin)',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(400, 404, 409, 422)
  assign(
    @Param('userId', uuidParam('userId')) userId: string,
    @Body() body: AssignmentCreateDto,
    @CurrentUser() actor: AuthUser,
  ): Promise<UserResponseDto> {
    return this.users.assign(userId, body, actor.id);
  }

  @Delete('users/:userId/assignments/:assignmentId')
  @ApiOperation({ summary: 'Remove a role assignment' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404, ErrorCode.LAST_ADMIN)
  unassign(
    @Param('userId', uuidParam('userId')) userId: string,
    @Param('assignmentId', uuidParam('assignmentId')) assignmentId: string,
    @CurrentUser() actor: AuthUser,
  ): Promise<UserResponseDto> {
    return this.users.unassign(userId, assignmentId, actor.id);
  }

  @Post('queue-dashboard/session')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Open the queue dashboard (Bull Board) in a browser',
    description:
      'Sets an HttpOnly, SameSite=Strict cookie (path /admin/queues; Secure when the request is https) holding your access token, since a browser cannot send a bearer header when it opens a page; then open /admin/queues. The cookie lives as long as the access token.',
  })
  @ApiNoContentResponse({ description: 'Cookie set' })
  openQueueDashboard(
    @Headers('authorization') authorization: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): void {
    const token = authorization.replace(/^Bearer\s+/i, '');
    res.cookie(QUEUE_DASHBOARD_COOKIE, token, {
      httpOnly: true,
      // Secure when the request is https: the socket's TLS, or X-Forwarded-Proto from a proxy trusted
      // by TRUST_PROXY (Express's req.secure).
      secure: req.secure,
      sameSite: 'strict',
      path: QUEUE_DASHBOARD_PATH,
      maxAge: this.config.ACCESS_TOKEN_TTL_SECONDS * 1000,
    });
  }

  @Post('org-units')
  @ApiOperation({ summary: 'Create an org unit (HQ division, regional, country or programme office)' })
  @ApiCreatedResponse({ type: OrgUnitResponseDto })
  @ApiErrors(400, 404, 409)
  async createOrgUnit(@Body() body: OrgUnitCreateDto, @CurrentUser() actor: AuthUser): Promise<OrgUnitResponseDto> {
    return orgUnitView(await this.users.createOrgUnit(body, actor.id));
  }

  @Patch('org-units/:orgUnitId')
  @ApiOperation({ summary: 'Rename or move an org unit (never under itself)' })
  @ApiOkResponse({ type: OrgUnitResponseDto })
  @ApiErrors(400, 404, 409, 422)
  async updateOrgUnit(
    @Param('orgUnitId', uuidParam('orgUnitId')) orgUnitId: string,
    @Body() body: OrgUnitUpdateDto,
    @CurrentUser() actor: AuthUser,
  ): Promise<OrgUnitResponseDto> {
    return orgUnitView(await this.users.updateOrgUnit(orgUnitId, body, actor.id));
  }
}
