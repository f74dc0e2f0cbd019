import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '#libs/config';
import { ReportJobName } from '#libs/queue';
import { REPORT_HANDLED_JOBS } from './processors/report.processor.js';
import { WorkerModule } from './worker.module.js';

/** Refuses to start when a job name has no handler (STYLE.md, immich). */
export function assertHandlers(): void {
  const missing = Object.values(ReportJobName).filter((name) => !REPORT_HANDLED_JOBS.includes(name));
  if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
}

async function bootstrap(): Promise<void> {
  loadConfigOrExit();
  assertHandlers();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.get(Logger).log('RBM Tracker worker started');
}

void bootstrap();
