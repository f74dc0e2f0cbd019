import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { installBoundedShutdown } from '#libs/common';
import { AppConfig, loadConfigOrExit } from '#libs/config';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';

/**
 * Starts the API. Started while PostgreSQL is down it listens anyway and answers 503 with
 * Retry-After until it connects (in the background); SIGTERM ends it within SHUTDOWN_TIMEOUT_MS.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = configureApp(await NestFactory.create(AppModule, { bufferLogs: true }));
  installBoundedShutdown(app, app.get(Logger), app.get(AppConfig).SHUTDOWN_TIMEOUT_MS);
  await app.listen(app.get(AppConfig).PORT ?? config.PORT);
}

void bootstrap();
