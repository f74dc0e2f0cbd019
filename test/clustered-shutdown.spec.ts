import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '#libs/common';
import { waitFor } from './support/test-stack.js';

/**
 * runClustered (API_PROCESSES, WORKER_PROCESSES; docs/RULES.md "Performance and several processes"):
 * SIGTERM reaching the primary while a dead process's replacement is still due (the 1 s pause) must
 * end the primary and leave no process behind; the replacement used to be forked after the signal,
 * never signalled, and the primary waited for it forever. Runs the built module (`npm run build:api`).
 */
describe('cluster primary: SIGTERM while replacements are due', () => {
  let dir: string;
  let primary: ChildProcess | undefined;
  const seen = new Set<number>();
  let stderr = '';

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rbm-cluster-'));
  });
  afterAll(() => {
    for (const pid of seen) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (primary?.pid && alive(primary.pid)) primary.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('both processes killed, SIGTERM within the pause: the primary exits 0 and no process is left', async () => {
    const clustered = pathToFileURL(join(repoRoot(), 'dist/libs/common/src/clustered.js')).href;
    const script = join(dir, 'clustered.mjs');
    writeFileSync(
      script,
      `import { runClustered } from ${JSON.stringify(clustered)};
runClustered(2, async () => {
  process.on('SIGTERM', () => process.exit(0));
  setInterval(() => undefined, 1000);
  process.stdout.write('up ' + process.pid + '\\n');
}, 'Test');
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    primary = child;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/up (\d+)/g)) seen.add(Number(match[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const first = await waitFor(async () => (seen.size === 2 ? [...seen] : null));
    for (const pid of first) process.kill(pid, 'SIGKILL');
    // The primary has seen both die and scheduled their replacements (1 s later).
    await waitFor(async () => ((stderr.match(/exited \(SIGKILL\)/g) ?? []).length === 2 ? true : null), 10000, 5);
    child.kill('SIGTERM');

    expect(await exited).toBe(0);
    expect([...seen].filter(alive)).toEqual([]);
  }, 30000);
});
