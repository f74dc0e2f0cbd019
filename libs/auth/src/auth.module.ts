import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuthSessionRepository } from './auth-session.repository.js';
import { AuthService } from './auth.service.js';
import { OrgUnitAdminRepository } from './org-unit-admin.repository.js';
import { PolicyRepository } from './policy.repository.js';
import { PolicyService } from './policy.service.js';
import { SigningSecretRepository } from './signing-secret.repository.js';
import { UserRepository } from './user.repository.js';
import { UsersService } from './users.service.js';

/** Authentication (tokens, sessions), the policy service and user administration. */
@Module({
  imports: [
    // No secret here: AuthService passes its secret (JWT_SECRET or the generated one) on every call.
    JwtModule.register({ signOptions: { algorithm: 'HS256' } }),
  ],
  providers: [
    AuthService,
    PolicyService,
    UsersService,
    SigningSecretRepository,
    UserRepository,
    AuthSessionRepository,
    PolicyRepository,
    OrgUnitAdminRepository,
    AuditLogRepository,
  ],
  exports: [AuthService, PolicyService, UsersService, OrgUnitAdminRepository, AuditLogRepository],
})
export class AuthModule {}
