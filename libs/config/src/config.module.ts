import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig, validateConfig } from './app-config.js';

/**
 * Global module exposing the validated {@link AppConfig} (built on @nestjs/config's validate hook,
 * so a bad variable fails the boot with its name).
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: (env) => ({ ...validateConfig(env) }) })],
  providers: [{ provide: AppConfig, useFactory: () => validateConfig(process.env) }],
  exports: [AppConfig],
})
export class AppConfigModule {}
