import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { ReportRequestService } from '#libs/reporting';
import { createSimpleProject } from '#libs/testing';
import { startTestStack, type TestStack, waitFor } from './support/test-stack.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

/**
 * A worker process killed with SIGKILL in the middle of a batch of the quarterly run (docs/RULES.md,
 * "Reports": batches of REPORT_BATCH_SIZE schedule-requested project reports in one job): the batch's
 * reports are built again by another worker, each once (one report per project, one set of files), and
 * none stays `running`. The workers are the built worker (dist) as separate processes: needs
 * `npm run build:api`.
 */
describe('a worker killed mid-batch', () => {
  let stack: TestStack;
  let dir: string;
  const workers: WorkerProcess[] = [];

  const startWorker = () => {
    const worker = startWorkerProcess(stack, {
      REPORT_STALE_AFTER_MS: '1500',
      REPORT_LOCK_DURATION_MS: '2000',
      REPORT_STALLED_INTERVAL_MS: '500',
      WORKER_HEARTBEAT_FILE: join(dir, `heartbeat-${workers.length}`),
    });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    dir = mkdtempSync(join(tmpdir(), 'rbm-batch-kill-'));
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop('SIGTERM');
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL while the batch stores its first report: every report of the batch completed once by another worker', async () => {
    const projects = [];
    for (const code of ['KILL-A', 'KILL-B', 'KILL-C'])
      projects.push(
        await createSimpleProject(stack.dataSource, {
          code,
          endTarget: '50',
          targets: [{ start: '2026-07-01', end: '2026-09-30', value: '20' }],
          actuals: [{ start: '2026-07-01', end: '2026-07-31', value: '5' }],
        }),
      );
    const ids = projects.map((p) => p.project.id);
    const requested = await stack.api.get(ReportRequestService).requestProjectReports(ids, 2026, 3);
    expect(requested).toEqual({ requested: ids, failed: [] });

    // A SHARE lock on report_file: the batch reaches `running` and waits to store its first report.
    const blocker = new pg.Client({ connectionString: stack.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE report_file IN SHARE MODE');
    const rows = () =>
      stack.dataSource.query(
        `SELECT scope_id, status, attempts, job_id FROM report WHERE year = 2026 AND quarter = 3 ORDER BY scope_id`,
      ) as Promise<{ scope_id: string; status: string; attempts: number; job_id: string | null }[]>;
    const first = startWorker();
    await waitFor(async () => {
      const [waiting] = await stack.dataSource.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      const now = await rows();
      return waiting && now.every((r) => r.status === 'running') ? now : null;
      // The worker process boots first: up to 2 minutes on a loaded machine (30 s was not always enough).
    }, 120_000);
    const batch = await rows();
    expect(new Set(batch.map((r) => r.job_id)).size).toBe(1);
    expect(batch[0].job_id).toMatch(/^report-batch-/);

    await first.stop('SIGKILL');
    await blocker.query('COMMIT');
    await blocker.end();
    const second = startWorker();

    const done = await waitFor(async () => {
      const now = await rows();
      if (now.some((r) => r.status === 'failed')) throw new Error(`a report failed: ${JSON.stringify(now)}`);
      return now.every((r) => r.status === 'completed') ? now : null;
    }, 60000);
    expect(done.map((r) => r.scope_id)).toEqual([...ids].sort());
    expect(done.map((r) => r.attempts)).toEqual([2, 2, 2]);
    const files = await stack.dataSource.query(
      `SELECT r.scope_id, string_agg(f.format::text, ',' ORDER BY f.format::text) AS formats
         FROM report r JOIN report_file f ON f.report_id = r.id WHERE r.year = 2026 AND r.quarter = 3
        GROUP BY r.scope_id ORDER BY r.scope_id`,
    );
    expect(files).toEqual([...ids].sort().map((id) => ({ scope_id: id, formats: 'csv,json' })));
    await second.stop('SIGTERM');
  }, 180_000);
});
