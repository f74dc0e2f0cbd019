import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { type AppConfig, validateConfig } from '#libs/config';
import type { TransactionRunner } from '#libs/database';
import { REPORT_JOB_OPTIONS, ReportJobName, type ReportJobPayload } from '#libs/queue';
import { ReportRepository } from '#libs/reporting';
import { relayJobs, ReportRelayService } from './report-relay.service.js';

type Row = { id: string; status: 'queued' | 'running'; attempts: number };
type FakeJob = { state: string; failedReason?: string; removed?: boolean };

/**
 * The recovery decisions of the relay, on fakes (the e2e test report-resilience runs them on real
 * PostgreSQL and Redis): what happens to a stale row for each state of its BullMQ job.
 */
function harness(rows: Row[], jobs: Record<string, FakeJob>, config: Partial<AppConfig> = {}) {
  const updates: { sql: string; params: unknown[] }[] = [];
  const added: { name: string; data: ReportJobPayload; opts: Record<string, unknown> }[] = [];
  const manager = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.trim().startsWith('SELECT')) return rows;
      updates.push({ sql, params });
      return [];
    },
  };
  const tx = {
    run: async (fn: (m: typeof manager) => Promise<unknown>) => fn(manager),
  } as unknown as TransactionRunner;
  const queue = {
    getJob: async (id: string) => {
      const job = jobs[id];
      if (!job || job.removed) return undefined;
      return {
        failedReason: job.failedReason,
        getState: async () => job.state,
        remove: async () => void (job.removed = true),
      };
    },
    add: async (name: string, data: ReportJobPayload, opts: Record<string, unknown>) =>
      void added.push({ name, data, opts }),
  } as unknown as Queue<ReportJobPayload>;
  const reports = new ReportRepository({} as DataSource);
  const relay = new ReportRelayService(tx, reports, queue, Object.assign(validateConfig({}), config));
  return { relay, updates, added, jobs };
}

describe('ReportRelayService.recoverOnce', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('leaves a stale row alone while its job waits, is delayed or runs', async () => {
    const states = ['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'];
    const rows: Row[] = states.map((_, i) => ({ id: `r${i}`, status: 'running', attempts: 1 }));
    const { relay, updates, added } = harness(
      rows,
      Object.fromEntries(states.map((state, i) => [`report-r${i}`, { state }])),
    );
    expect(await relay.recoverOnce()).toEqual({ requeued: [], failed: [] });
    expect(updates).toEqual([]);
    expect(added).toEqual([]);
  });

  it('enqueues again, with the same job id and options, a row whose job is gone', async () => {
    const { relay, updates, added } = harness([{ id: 'lost', status: 'queued', attempts: 0 }], {});
    expect(await relay.recoverOnce()).toEqual({ requeued: ['lost'], failed: [] });
    expect(added).toEqual([
      { name: ReportJobName.Build, data: { reportId: 'lost' }, opts: { ...REPORT_JOB_OPTIONS, jobId: 'report-lost' } },
    ]);
    expect(updates).toHaveLength(1);
    expect(updates[0].sql).toMatch(/SET status = 'queued', queued_at = now\(\)/);
    expect(updates[0].params).toEqual(['lost']);
  });

  it('removes a failed or completed job of an unfinished row before adding it again', async () => {
    const { relay, added, jobs } = harness(
      [
        { id: 'stalled', status: 'running', attempts: 2 },
        { id: 'odd', status: 'running', attempts: 1 },
      ],
      {
        'report-stalled': { state: 'failed', failedReason: 'job stalled more than allowable limit' },
        'report-odd': { state: 'completed' },
      },
    );
    expect(await relay.recoverOnce()).toEqual({ requeued: ['stalled', 'odd'], failed: [] });
    expect(jobs['report-stalled'].removed).toBe(true);
    expect(jobs['report-odd'].removed).toBe(true);
    expect(added.map((a) => a.opts.jobId)).toEqual(['report-stalled', 'report-odd']);
  });

  it('marks the row failed, naming the last error, after REPORT_MAX_BUILD_ATTEMPTS builds', async () => {
    const { relay, updates, added } = harness(
      [{ id: 'poison', status: 'running', attempts: 3 }],
      { 'report-poison': { state: 'failed', failedReason: 'job stalled more than allowable limit' } },
      { REPORT_MAX_BUILD_ATTEMPTS: 3 },
    );
    expect(await relay.recoverOnce()).toEqual({ requeued: [], failed: ['poison'] });
    expect(added).toEqual([]);
    expect(updates[0].sql).toMatch(/SET status = 'failed'/);
    expect(updates[0].params).toEqual([
      'poison',
      'The report could not be built after 3 attempts (its job was lost or its worker stopped); last error: job stalled more than allowable limit',
    ]);
  });

  it('checks every quarter of the staleness timeout, at least once per relay interval', () => {
    expect(harness([], {}, { REPORT_STALE_AFTER_MS: 60000, RELAY_INTERVAL_MS: 1000 }).relay.recoveryIntervalMs).toBe(
      15000,
    );
    expect(harness([], {}, { REPORT_STALE_AFTER_MS: 200, RELAY_INTERVAL_MS: 1000 }).relay.recoveryIntervalMs).toBe(
      1000,
    );
  });
});

describe("relayJobs: the quarterly run's project reports in batches, every other report alone", () => {
  const row = (id: string, over: Partial<Parameters<typeof relayJobs>[0][number]> = {}) => ({
    id,
    scopeType: 'project' as const,
    year: 2026,
    quarter: 3,
    requestedById: null,
    ...over,
  });

  it('batches schedule-requested project reports per quarter; requested by a person or another scope: alone', () => {
    const jobs = relayJobs(
      [
        row('a'),
        row('b'),
        row('c'),
        row('mine', { requestedById: 'u1' }),
        row('donor', { scopeType: 'donor' }),
        row('q2', { quarter: 2 }),
      ],
      2,
    );
    expect(jobs).toEqual([
      { jobId: 'report-mine', batch: false, data: { reportId: 'mine' } },
      { jobId: 'report-donor', batch: false, data: { reportId: 'donor' } },
      { jobId: 'report-batch-a', batch: true, data: { reportId: 'a', reportIds: ['a', 'b'] } },
      { jobId: 'report-c', batch: false, data: { reportId: 'c' } },
      { jobId: 'report-q2', batch: false, data: { reportId: 'q2' } },
    ]);
  });

  it('REPORT_BATCH_SIZE 1 turns batching off', () => {
    expect(relayJobs([row('a'), row('b')], 1).map((j) => j.jobId)).toEqual(['report-a', 'report-b']);
  });
});

describe('ReportRelayService.recoverOnce, rows of a batch', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('leaves a row alone while its batch job runs; enqueues it alone once the batch finished without it', async () => {
    const rows = [
      { id: 'r1', status: 'running' as const, attempts: 1, job_id: 'report-batch-r0' },
      { id: 'r2', status: 'queued' as const, attempts: 0, job_id: 'report-batch-r9' },
    ];
    const { relay, added, updates, jobs } = harness(rows as unknown as Row[], {
      'report-batch-r0': { state: 'active' },
      'report-batch-r9': { state: 'completed' },
    });
    expect(await relay.recoverOnce()).toEqual({ requeued: ['r2'], failed: [] });
    expect(jobs['report-batch-r9'].removed).toBeUndefined(); // the batch's job stays for its other rows
    expect(added).toEqual([
      { name: ReportJobName.Build, data: { reportId: 'r2' }, opts: { ...REPORT_JOB_OPTIONS, jobId: 'report-r2' } },
    ]);
    expect(updates.map((u) => u.params)).toEqual([['r2']]);
    expect(updates[0].sql).toMatch(/job_id = NULL/);
  });
});
