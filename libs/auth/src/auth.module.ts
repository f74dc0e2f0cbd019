import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthService } from './auth.service.js';
import { PolicyService } from './policy.service.js';
import { SigningSecretRepository } from './signing-secret.repository.js';
import { UsersService } from './users.service.js';

/** Authentication (tokens, sessions), the policy service and user administration. */
@Module({
  imports: [
    // No secret here: AuthService passes its secret (JWT_SECRET or the generated one) on every call.
    JwtModule.register({ signOptions: { algorithm: 'HS256' } }),
  ],
  providers: [AuthService, PolicyService, UsersService, SigningSecretRepository],
  exports: [AuthService, PolicyService, UsersService],
})
export class AuthModule {}
