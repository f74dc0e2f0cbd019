/** Every BullMQ queue of RBM Tracker, in one place (STYLE.md §9). */
export enum QueueName {
  Reports = 'reports',
}

/** Job names of the reports queue. */
export enum ReportJobName {
  Build = 'build-report',
}

/** Payload of a report job: ids only; the worker reloads the row. */
export interface ReportJobPayload {
  reportId: string;
}

/**
 * BullMQ job id of a report: derived from the report row, so enqueuing twice is a no-op.
 * BullMQ custom ids must not contain `:`.
 */
export function reportJobId(reportId: string): string {
  return `report-${reportId}`;
}

/** Attempts, backoff and retention of report jobs (set explicitly, STYLE.md §9). */
export const REPORT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential' as const, delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
