/** What a process needs to stop: close its app, and a logger for what happened. */
export interface Closable {
  close(): Promise<void>;
}

/** Minimal logger used while shutting down (pino's or Nest's). */
export interface ShutdownLogger {
  log(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
}

/**
 * Installs the process-level safety nets of a long-running process (API or worker):
 * - SIGTERM / SIGINT close the app (connections, workers) and exit 0; if closing has not finished
 *   within `timeoutMs` (PostgreSQL or Redis unreachable: BullMQ and pg then wait forever) the process
 *   exits 1 anyway, so an orchestrator's stop never hangs. A second signal exits at once.
 * - An unhandled promise rejection is logged instead of ending the process: outages are handled where
 *   they happen (503, retried jobs); one missed `catch` must not take the process down mid-outage.
 * @param exit injectable for tests (default `process.exit`)
 */
export function installBoundedShutdown(
  app: Closable,
  logger: ShutdownLogger,
  timeoutMs: number,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return exit(1);
    stopping = true;
    logger.log(`${signal} received: closing (at most ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      logger.warn(`closing took longer than ${timeoutMs} ms: exiting anyway`);
      exit(1);
    }, timeoutMs);
    app.close().then(
      () => {
        clearTimeout(timer);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error(`closing failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  const onRejection = (reason: unknown) =>
    logger.error(`unhandled rejection (kept running): ${reason instanceof Error ? reason.message : String(reason)}`);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('unhandledRejection', onRejection);
  };
}
