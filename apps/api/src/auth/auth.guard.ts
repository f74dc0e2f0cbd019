import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService, type AuthUser } from '#libs/auth';
import { DomainException, ErrorCode } from '#libs/common';
import type { Role } from '#libs/database';
import { IS_PUBLIC, ROLES } from './auth.decorators.js';

/**
 * The global guard: every route needs a valid bearer token unless marked `@Public()`, and a route
 * without `@Roles(...)` is refused (deny by default). The caller must hold one of the route's roles
 * somewhere (else 403); resource scope is checked by the PolicyService (404 outside scope).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw DomainException.unauthorized('Sign in and send the access token as "Authorization: Bearer <token>"');
    const user = await this.auth.authenticate(match[1]);
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!roles) throw DomainException.forbidden(ErrorCode.FORBIDDEN, 'This route has no role rule; it is closed');
    if (roles.length > 0 && !user.roles.some((r) => roles.includes(r)))
      throw DomainException.forbidden(ErrorCode.FORBIDDEN, `Only ${roles.join(', ')} may use this route`);
    return true;
  }
}
