/** Every BullMQ queue of RBM Tracker, in one place (STYLE.md §9). */
export enum QueueName {
  Reports = 'reports',
}

/**
 * Job names of the reports queue. Every name needs exactly one `@JobHandler` method in the worker
 * (apps/worker/src/jobs): the worker refuses to start otherwise (JobHandlerRegistry, at module init).
 */
export enum ReportJobName {
  /** Builds one report row (payload {@link ReportJobPayload}). */
  Build = 'build-report',
  /** Daily: requests the due quarter's report of every project with an approved logframe (payload {@link ScheduleQuarterReportsPayload}). */
  ScheduleQuarterReports = 'schedule-quarter-reports',
}

/**
 * Payload of a report job: ids only; the worker reloads the rows. `reportIds` (a batch of the quarterly
 * run, `reportId` being its first): project reports of one quarter built with shared set-based loading.
 */
export interface ReportJobPayload {
  reportId: string;
  reportIds?: string[];
}

/**
 * Payload of a `schedule-quarter-reports` job: empty when run by the scheduler (the handler takes
 * today's UTC date); `today` (`'YYYY-MM-DD'`) runs it as of another day (tests, manual catch-up).
 */
export interface ScheduleQuarterReportsPayload {
  today?: string;
}

/** Any payload of the reports queue. */
export type ReportQueuePayload = ReportJobPayload | ScheduleQuarterReportsPayload;

/**
 * BullMQ job id of a report: derived from the report row, so enqueuing twice is a no-op.
 * BullMQ custom ids must not contain `:`.
 */
export function reportJobId(reportId: string): string {
  return `report-${reportId}`;
}

/** BullMQ job id of a batch of reports (named after its first report). */
export function reportBatchJobId(firstReportId: string): string {
  return `report-batch-${firstReportId}`;
}

/**
 * Attempts, backoff and retention of report jobs (set explicitly, STYLE.md §9):
 * - 3 attempts, exponential backoff 2 s, 4 s between them; after the last one the row is `failed`;
 * - finished jobs are kept for inspection, then removed by BullMQ: completed ones 7 days (at most
 *   the 1000 newest), failed ones 30 days. The report row in PostgreSQL is the lasting record;
 *   a completed job removed from Redis never makes its report run again (the relay only looks at
 *   rows still `queued` or `running`).
 */
export const REPORT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/**
 * The job scheduler of quarterly reports (DESIGN.md §6): a fixed id, so every worker upserts the
 * same scheduler at start (several workers make one schedule, one job per run); cron in UTC,
 * daily at 02:00, so a quarter's reports are requested on the first run after its validation cut-off
 * (and any day after, while a project still lacks that quarter's report).
 */
export const QUARTER_REPORTS_SCHEDULER_ID = 'schedule-quarter-reports';
export const QUARTER_REPORTS_SCHEDULE = { pattern: '0 2 * * *', tz: 'UTC' } as const;
