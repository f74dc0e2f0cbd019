import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { heapLimitArgs, installBoundedShutdown, runClustered } from '#libs/common';
import { AppConfig, loadConfigOrExit } from '#libs/config';

/**
 * Starts the worker. It starts and stays up while PostgreSQL or Redis is down (connecting in the
 * background); SIGTERM ends it within SHUTDOWN_TIMEOUT_MS whatever is down. It refuses to start when a
 * job name has no `@JobHandler` (JobHandlerRegistry, at module init).
 */
async function bootstrap(): Promise<void> {
  loadConfigOrExit();
  // Imported here, not at the top: a cluster primary only forks, and stays small without the app's modules.
  const { WorkerModule } = await import('./worker.module.js');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  installBoundedShutdown(app, logger, app.get(AppConfig).SHUTDOWN_TIMEOUT_MS);
  logger.log('RBM Tracker worker started');
}

/**
 * WORKER_PROCESSES = 1 and no heap bound to add (WORKER_HEAP_MB = 0, or node was started with
 * `--max-old-space-size`): this process is the worker. Otherwise it becomes the cluster primary: it
 * forks WORKER_PROCESSES worker processes (0: one per CPU core) started with
 * `--max-old-space-size=WORKER_HEAP_MB` (docs/RULES.md, "Worker memory"), each with its own relay,
 * schedule registration and WORKER_CONCURRENCY report jobs (they cooperate through Redis and `FOR
 * UPDATE SKIP LOCKED`, as workers on several hosts do), starts a new one when one dies, and passes
 * SIGTERM and SIGINT on so every process finishes its shutdown before the primary exits.
 */
function start(): void {
  const config = loadConfigOrExit();
  runClustered(config.WORKER_PROCESSES, bootstrap, 'Worker', heapLimitArgs(config.WORKER_HEAP_MB));
}

start();
