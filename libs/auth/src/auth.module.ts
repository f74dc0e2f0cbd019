import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig, jwtSecret } from '#libs/config';
import { AuthService } from './auth.service.js';
import { PolicyService } from './policy.service.js';
import { UsersService } from './users.service.js';

/** Authentication (tokens, sessions), the policy service and user administration. */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: jwtSecret(config), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AuthService, PolicyService, UsersService],
  exports: [AuthService, PolicyService, UsersService],
})
export class AuthModule {}
