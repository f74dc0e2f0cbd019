import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { repoRoot } from '#libs/common';
import type { TestStack } from './test-stack.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A second API process (the built dist API) on its own port, on the test stack's database and queues. */
export interface PrivateApi {
  process: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  base: string;
  stop(): Promise<void>;
}

/**
 * Starts the built API (dist) as a separate process on `stack`'s database and queue prefix and waits
 * until /health answers 200.
 * @throws Error naming the exit code and standard error when it does not start within 100 s
 */
export async function startPrivateApi(stack: TestStack): Promise<PrivateApi> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(repoRoot(), 'dist/apps/api/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: stack.db.url,
      REDIS_URL: process.env.REDIS_URL,
      QUEUE_PREFIX: stack.queuePrefix,
      PORT: String(port),
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 100000;
  for (;;) {
    const up = await request(base)
      .get('/health')
      .timeout(2000)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the private API did not start (exit ${child.exitCode}): ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    process: child,
    base,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
