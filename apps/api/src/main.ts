import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { installBoundedShutdown, runClustered } from '#libs/common';
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

/**
 * API_PROCESSES = 1 (default): this process serves the API. Otherwise it becomes the cluster primary:
 * it forks API_PROCESSES processes (0: one per CPU core) that share the port (the primary accepts
 * connections and hands them out round-robin), starts a new one when one dies, and passes SIGTERM
 * and SIGINT on so every process closes its connections before the primary exits.
 */
function start(): void {
  runClustered(loadConfigOrExit().API_PROCESSES, bootstrap, 'API');
}

start();
