import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '#libs/common';
import type { TestStack } from './test-stack.js';

/** A worker process (the built dist worker) on the test stack's database and queues. */
export interface WorkerProcess {
  process: ChildProcess;
  /** Sends `signal` (default SIGTERM) and waits for the exit; nothing when it has already exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the built worker (dist/apps/worker/src/main.js, needs `npm run build:api`) as a separate
 * process on `stack`'s database, Redis and queue prefix, silent, with the relay every 100 ms. `env`
 * adds or overrides variables (e.g. REPORT_STALE_AFTER_MS, WORKER_HEARTBEAT_FILE). It does not wait for
 * the worker to be ready: callers wait for what they need it to do.
 */
export function startWorkerProcess(stack: TestStack, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/apps/worker/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: stack.db.url,
      REDIS_URL: process.env.REDIS_URL,
      QUEUE_PREFIX: stack.queuePrefix,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RELAY_INTERVAL_MS: '100',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return {
    process: child,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}
