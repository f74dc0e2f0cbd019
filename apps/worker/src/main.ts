import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { installBoundedShutdown } from '#libs/common';
import { AppConfig, loadConfigOrExit } from '#libs/config';
import { WorkerModule } from './worker.module.js';

/**
 * Starts the worker. It starts and stays up while PostgreSQL or Redis is down (connecting in the
 * background); SIGTERM ends it within SHUTDOWN_TIMEOUT_MS whatever is down. It refuses to start when a
 * job name has no `@JobHandler` (JobHandlerRegistry, at module init).
 */
async function bootstrap(): Promise<void> {
  loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  installBoundedShutdown(app, logger, app.get(AppConfig).SHUTDOWN_TIMEOUT_MS);
  logger.log('RBM Tracker worker started');
}

void bootstrap();
