import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '#libs/auth';
import type { Role } from '#libs/database';
import { ErrorResponseDto } from '../common/api-errors.decorator.js';

export const IS_PUBLIC = 'rbm:public';
export const ROLES = 'rbm:roles';

/** Every role: any signed-in user may call the route (scope still applies to what they see). */
export const ANY_ROLE: Role[] = ['admin', 'project_manager', 'rbm_focal_point', 'donor'];

/** The route needs no sign-in (login, refresh, health). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-roles', ['anonymous']));

/**
 * The roles that may call a route (held anywhere; the policy service then checks the resource's scope).
 * Documented in Swagger as bearer auth, `x-roles`, and the 401/403 answers.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(),
    ApiExtension('x-roles', roles.length ? roles : ['any signed-in user']),
    ApiUnauthorizedResponse({ description: 'Not signed in, or the token expired', type: ErrorResponseDto }),
    ...(roles.length
      ? [ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}`, type: ErrorResponseDto })]
      : []),
  );

/** Any signed-in user, whatever roles they hold (e.g. /me, logout). */
export const SignedIn = () => Roles();

/** The signed-in caller (set by the AuthGuard). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
