import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';

/**
 * Runs `bootstrap` in `processes` processes of a Node cluster (the API's API_PROCESSES and the
 * worker's WORKER_PROCESSES; docs/SCALING.md). With 1 process, or in a forked process, it simply
 * calls `bootstrap`. Otherwise this process becomes the cluster primary: it forks `processes` copies
 * (0: one per CPU core, `os.availableParallelism()`), starts a new one a second after one dies, and
 * passes SIGTERM and SIGINT on so every process finishes its own bounded shutdown before the primary
 * exits (with 0 once the last has gone).
 * @param processes how many processes: a whole number, 0 for one per core
 * @param bootstrap starts one process's application (a rejected promise is the caller's to log)
 * @param name how the process is named when one dies, e.g. 'API' or 'Worker'
 * @param execArgv Node options the forked processes need beyond this process's own (e.g.
 *   {@link heapLimitArgs}); when there are some, even one process is forked, to start with them
 */
export function runClustered(
  processes: number,
  bootstrap: () => Promise<void>,
  name: string,
  execArgv: string[] = [],
): void {
  const count = processes === 0 ? availableParallelism() : processes;
  if ((count === 1 && execArgv.length === 0) || !cluster.isPrimary) {
    void bootstrap();
    return;
  }
  if (execArgv.length) cluster.setupPrimary({ execArgv: [...process.execArgv, ...execArgv] });
  let stopping = false;
  // A replacement due when SIGTERM/SIGINT arrives is not started: it would never get the signal, and
  // the primary would wait for it forever.
  const fork = () => {
    if (!stopping) cluster.fork();
  };
  for (let i = 0; i < count; i += 1) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`${name} process ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {});
    // None alive (all died, replacements due): no exit event will come to end the primary.
    if (alive.length === 0) process.exit(0);
    for (const worker of alive) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The Node option bounding V8's old space to `megabytes` (`--max-old-space-size`), or none when
 * `megabytes` is 0 or this process was started with such a limit on its command line (that choice
 * stands, and forked processes inherit it).
 */
export function heapLimitArgs(megabytes: number, execArgv: string[] = process.execArgv): string[] {
  if (megabytes === 0 || execArgv.some((arg) => /^--max[-_]old[-_]space[-_]size(=|$)/.test(arg))) return [];
  return [`--max-old-space-size=${megabytes}`];
}
