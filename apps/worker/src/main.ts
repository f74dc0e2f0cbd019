import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { installBoundedShutdown } from '#libs/common';
import { AppConfig, loadConfigOrExit } from '#libs/config';
import { ReportJobName } from '#libs/queue';
import { REPORT_HANDLED_JOBS } from './processors/report.processor.js';
import { WorkerModule } from './worker.module.js';

/** Refuses to start when a job name has no handler (STYLE.md, immich). */
export function assertHandlers(): void {
  const missing = Object.values(ReportJobName).filter((name) => !REPORT_HANDLED_JOBS.includes(name));
  if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
}

/**
 * Starts the worker. It starts and stays up while PostgreSQL or Redis is down (connecting in the
 * background); SIGTERM ends it within SHUTDOWN_TIMEOUT_MS whatever is down.
 */
async function bootstrap(): Promise<void> {
  loadConfigOrExit();
  assertHandlers();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  installBoundedShutdown(app, logger, app.get(AppConfig).SHUTDOWN_TIMEOUT_MS);
  logger.log('RBM Tracker worker started');
}

void bootstrap();
