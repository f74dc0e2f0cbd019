import 'reflect-metadata';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
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

/**
 * API_PROCESSES = 1 (default): this process serves the API. Otherwise it becomes the cluster primary:
 * it forks API_PROCESSES processes (0: one per CPU core) that share the port (the primary accepts
 * connections and hands them out round-robin), starts a new one when one dies, and passes SIGTERM
 * and SIGINT on so every process closes its connections before the primary exits.
 */
function start(): void {
  const config = loadConfigOrExit();
  const processes = config.API_PROCESSES === 0 ? availableParallelism() : config.API_PROCESSES;
  if (processes === 1 || !cluster.isPrimary) {
    void bootstrap();
    return;
  }
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < processes; i += 1) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`API process ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start();
