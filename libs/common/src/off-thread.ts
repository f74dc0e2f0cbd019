import { existsSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import pLimit from 'p-limit';
import { repoRoot } from './repo-path.js';

/**
 * Parsing of uploads (workbooks, IATI XML) runs here, off the main event loop: each task gets a fresh
 * worker thread with a capped V8 heap and a timeout, and at most {@link MAX_PARALLEL_TASKS} run at once
 * in a process (more wait for a slot), so a hostile or huge file can neither block the API's event loop
 * nor grow its memory without bound. A worker's heap limit bounds its JavaScript objects, not its
 * Buffers: the streaming caps of each reader do that part.
 */

/** Off-thread tasks running at once in one process; more wait for a free slot. */
export const MAX_PARALLEL_TASKS = 2;

/** Limits of one off-thread task. */
export interface OffThreadLimits {
  /** Wall-clock time the task may take, ms (from its start, not counting the wait for a slot). */
  timeoutMs: number;
  /** V8 old-generation heap of the worker, MB. */
  heapMb: number;
}

/** How an off-thread task ended: its value, or why there is none. */
export type OffThreadOutcome<T> =
  | { ok: true; value: T }
  /** `timeout`: it ran past `timeoutMs`; `out_of_memory`: its heap limit was reached; `failed`: it threw `message`. */
  | { ok: false; reason: 'timeout' | 'out_of_memory' | 'failed'; message: string };

/**
 * The process's off-thread slots (p-limit: a task starts only when fewer than MAX_PARALLEL_TASKS run;
 * a finished task hands its slot to the longest-waiting one, so no caller arriving in between can
 * take it and make a third run at once).
 */
const slot = pLimit(MAX_PARALLEL_TASKS);

/**
 * The compiled worker script for `script` (a `new URL('./x.worker.js', import.meta.url)` of the caller):
 * the file itself when running from dist; from sources (Jest runs TypeScript) the build's copy in dist.
 * @throws Error when neither exists (build first)
 */
function compiledScript(script: URL): string {
  const path = fileURLToPath(script);
  if (existsSync(path)) return path;
  const root = repoRoot();
  const built = join(root, 'dist', relative(root, path));
  if (!existsSync(built)) throw new Error(`The worker script ${built} is missing: run npm run build`);
  return built;
}

/**
 * Runs the worker script `script` (which calls {@link serveOffThread}) on `input` in a new worker
 * thread under `limits`, waiting for a slot first. `input` and the value are copied (structured clone):
 * plain data only (Buffers arrive as Uint8Array).
 * @returns the task's value, or why there is none (never throws for the task's own failures)
 */
export async function runOffThread<T>(
  script: URL,
  input: unknown,
  limits: OffThreadLimits,
): Promise<OffThreadOutcome<T>> {
  const file = compiledScript(script);
  return slot(
    () =>
      new Promise<OffThreadOutcome<T>>((resolve) => {
        const worker = new Worker(file, {
          workerData: input,
          resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 16 },
        });
        let settled = false;
        const settle = (outcome: OffThreadOutcome<T>) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          void worker.terminate();
          resolve(outcome);
        };
        const timer = setTimeout(
          () =>
            settle({ ok: false, reason: 'timeout', message: `The task did not finish within ${limits.timeoutMs} ms` }),
          limits.timeoutMs,
        );
        worker.once('message', (message: { value?: T; error?: string }) =>
          settle(
            message.error !== undefined
              ? { ok: false, reason: 'failed', message: message.error }
              : { ok: true, value: message.value as T },
          ),
        );
        worker.once('error', (error: Error & { code?: string }) =>
          settle(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? { ok: false, reason: 'out_of_memory', message: `The task needed more than ${limits.heapMb} MB` }
              : { ok: false, reason: 'failed', message: error.message },
          ),
        );
        worker.once('exit', (code) =>
          settle({ ok: false, reason: 'failed', message: `The worker stopped (exit ${code}) without an answer` }),
        );
      }),
  );
}

/** How much lower than the process a worker thread runs (nice steps, Linux), so the event loop wins the CPU. */
const WORKER_NICENESS = 10;

/**
 * Lowers the calling worker thread's CPU priority by {@link WORKER_NICENESS} (Linux: setpriority(2)
 * given a thread id applies to that thread only), so on a busy machine the API's event loop keeps
 * answering while a parse runs. Elsewhere (no /proc/thread-self) it does nothing.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, Math.min(19, getPriority(tid) + WORKER_NICENESS));
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

/**
 * The body of a worker script: lowers the thread's CPU priority, runs `task` on the input given to
 * {@link runOffThread} and posts its value back (or the message of what it threw).
 */
export function serveOffThread<I, T>(task: (input: I) => T | Promise<T>): void {
  if (!parentPort) throw new Error('serveOffThread runs in a worker thread started by runOffThread');
  const port = parentPort;
  lowerThreadPriority();
  Promise.resolve()
    .then(() => task(workerData as I))
    .then(
      (value) => port.postMessage({ value }),
      (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
    );
}
