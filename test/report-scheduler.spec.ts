/**
 * The quarterly-report schedule, without services: which quarter is due on a day (worked by hand)
 * and the next run of the cron schedule, the same whatever the process time zone.
 *
 * The time-zone test runs two child Node processes (TZ=Asia/Kathmandu, UTC+05:45, and
 * TZ=America/Los_Angeles, with daylight saving time) on the COMPILED module
 * `dist/apps/worker/src/report-schedule.js` (its `#libs/*` imports resolve to dist as in production):
 * `npm test` builds first; run alone, it needs `npm run build` after the last change (checked below).
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import {
  firstRunForQuarter,
  nextScheduledRun,
  quarterDueForReports,
  utcDate,
} from '../apps/worker/src/report-schedule.js';
import { QUARTER_REPORTS_SCHEDULE, QUARTER_REPORTS_SCHEDULER_ID, ReportJobName } from '#libs/queue';
import { jobHandlerMap } from '../apps/worker/src/jobs/job-handler.js';

const run = promisify(execFile);
const ROOT = process.cwd();
const COMPILED = resolve(ROOT, 'dist/apps/worker/src/report-schedule.js');
/** Sources the compiled module is built from: dist must not be older than any of them. */
const SOURCES = [
  'apps/worker/src/report-schedule.ts',
  'libs/calculations/src/reporting-period.ts',
  'libs/queue/src/queue.constants.ts',
];

describe('quarterDueForReports (calendar dates, worked by hand)', () => {
  it('is the quarter whose cut-off (quarter end + cut-off days) is today or earlier', () => {
    // Q3 2026 ends 2026-09-30; + 30 days = 2026-10-30 (Oct has 31 days: 09-30 + 1 = 10-01, + 29 = 10-30).
    expect(quarterDueForReports('2026-10-30', 30)).toEqual({ year: 2026, quarter: 3, cutoffDate: '2026-10-30' });
    // The day before, Q3's cut-off has not passed: Q2 (ends 2026-06-30, + 30 = 2026-07-30) is the latest due.
    expect(quarterDueForReports('2026-10-29', 30)).toEqual({ year: 2026, quarter: 2, cutoffDate: '2026-07-30' });
    expect(quarterDueForReports('2026-12-31', 30)).toEqual({ year: 2026, quarter: 3, cutoffDate: '2026-10-30' });
  });

  it('crosses the year: Q4 2025 (ends 2025-12-31) is due from 2026-01-30', () => {
    expect(quarterDueForReports('2026-01-30', 30)).toEqual({ year: 2025, quarter: 4, cutoffDate: '2026-01-30' });
    // 2026-01-29: Q3 2025 (2025-09-30 + 30 = 2025-10-30).
    expect(quarterDueForReports('2026-01-29', 30)).toEqual({ year: 2025, quarter: 3, cutoffDate: '2025-10-30' });
  });

  it('counts real month lengths and leap years', () => {
    // Q1 2024 ends 2024-03-31; + 30 = 2024-04-30.
    expect(quarterDueForReports('2024-04-30', 30)).toEqual({ year: 2024, quarter: 1, cutoffDate: '2024-04-30' });
    expect(quarterDueForReports('2024-04-29', 30)).toEqual({ year: 2023, quarter: 4, cutoffDate: '2024-01-30' });
    // Q4 2023 ends 2023-12-31; + 60 = 2024-02-29 (Jan 31 days -> 2024-01-30 is +30, 2024-02-29 is +60 in a leap year).
    expect(quarterDueForReports('2024-02-29', 60)).toEqual({ year: 2023, quarter: 4, cutoffDate: '2024-02-29' });
    expect(quarterDueForReports('2024-02-28', 60)).toEqual({ year: 2023, quarter: 3, cutoffDate: '2023-11-29' });
  });

  it('with a long cut-off goes back more than one quarter', () => {
    // 120 days: Q3 2026 -> 2027-01-28 (not yet); Q2 2026: 06-30 + 31 (07-31) + 31 (08-31) + 30 (09-30) + 28 = 2026-10-28.
    expect(quarterDueForReports('2026-10-30', 120)).toEqual({ year: 2026, quarter: 2, cutoffDate: '2026-10-28' });
  });

  it('with a cut-off of 0 days, a quarter is due once it has ended (not on its last day)', () => {
    expect(quarterDueForReports('2026-10-01', 0)).toEqual({ year: 2026, quarter: 3, cutoffDate: '2026-09-30' });
    expect(quarterDueForReports('2026-09-30', 0)).toEqual({ year: 2026, quarter: 2, cutoffDate: '2026-06-30' });
  });

  it('refuses a bad date or cut-off', () => {
    expect(() => quarterDueForReports('2026-02-30', 30)).toThrow(/Invalid today "2026-02-30"/);
    expect(() => quarterDueForReports('2026-10-30T00:00:00Z', 30)).toThrow(/expected a calendar date/);
    expect(() => quarterDueForReports('2026-10-30', -1)).toThrow(/Invalid cut-off -1/);
    expect(() => quarterDueForReports('2026-10-30', 1.5)).toThrow(/Invalid cut-off 1.5/);
  });
});

describe('the schedule (cron in UTC, BullMQ job scheduler)', () => {
  it('runs daily at 02:00 UTC under a fixed scheduler id, with a handler for its job', () => {
    expect(QUARTER_REPORTS_SCHEDULE).toEqual({ pattern: '0 2 * * *', tz: 'UTC' });
    expect(QUARTER_REPORTS_SCHEDULER_ID).not.toContain(':');
    expect(Object.values(ReportJobName)).toContain('schedule-quarter-reports');
    // The worker refuses to start unless every job name has exactly one @JobHandler (JobHandlerRegistry).
    const handler = async () => null;
    const found = (names: string[]) => names.map((name, i) => ({ name, owner: `Jobs.m${i}`, handler }));
    expect([...jobHandlerMap(found(Object.values(ReportJobName))).keys()].sort()).toEqual(
      ['build-report', 'schedule-quarter-reports'].sort(),
    );
    expect(() => jobHandlerMap(found(['build-report']))).toThrow(
      'The worker refuses to start: No handler for job(s): schedule-quarter-reports',
    );
    expect(() => jobHandlerMap(found([...Object.values(ReportJobName), 'build-report']))).toThrow(
      /job build-report has two handlers \(Jobs\.m0 and Jobs\.m2\)/,
    );
  });

  it('computes the next run strictly after an instant, in UTC', () => {
    expect(nextScheduledRun('2026-10-29T21:00:00.000Z')).toBe('2026-10-30T02:00:00.000Z');
    expect(nextScheduledRun('2026-10-30T01:59:59.999Z')).toBe('2026-10-30T02:00:00.000Z');
    expect(nextScheduledRun('2026-10-30T02:00:00.000Z')).toBe('2026-10-31T02:00:00.000Z');
    // An offset in the input is an instant like any other: 07:45+05:45 is 02:00Z.
    expect(nextScheduledRun('2026-10-30T07:44:00+05:45')).toBe('2026-10-30T02:00:00.000Z');
    expect(() => nextScheduledRun('2026-10-30T02:00:00')).toThrow(/with a zone/);
  });

  it('first requests a quarter at 02:00 UTC on its cut-off day', () => {
    expect(firstRunForQuarter(2026, 3, 30)).toEqual({
      runAt: '2026-10-30T02:00:00.000Z',
      due: { year: 2026, quarter: 3, cutoffDate: '2026-10-30' },
    });
    expect(firstRunForQuarter(2025, 4, 30)).toEqual({
      runAt: '2026-01-30T02:00:00.000Z',
      due: { year: 2025, quarter: 4, cutoffDate: '2026-01-30' },
    });
  });

  it('takes "today" as the UTC date of the instant', () => {
    // 20:30Z on 29 October is already 30 October 02:15 in Kathmandu (this suite's TZ): still the 29th.
    expect(utcDate(Date.parse('2026-10-29T20:30:00Z'))).toBe('2026-10-29');
  });

  it('gives the same next run and due quarter under two different TZ settings of the process', async () => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: run \`npm run build\` first (npm test does)`);
    const built = statSync(COMPILED).mtimeMs;
    const stale = SOURCES.filter((source) => statSync(resolve(ROOT, source)).mtimeMs > built);
    if (stale.length)
      throw new Error(`dist is older than ${stale.join(', ')}: run \`npm run build\` first (npm test does)`);

    const script = `
      const s = await import(${JSON.stringify(new URL(`file://${COMPILED}`).href)});
      const out = {
        zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        offsetMinutes: new Date('2026-10-30T02:00:00Z').getTimezoneOffset(),
        next: ['2026-10-29T21:00:00.000Z', '2026-10-30T02:00:00.000Z', '2026-10-31T23:00:00.000Z', '2026-03-07T23:00:00.000Z'].map((t) => s.nextScheduledRun(t)),
        firstRun: s.firstRunForQuarter(2026, 3, 30),
        due: [s.quarterDueForReports('2026-10-30', 30), s.quarterDueForReports('2026-10-29', 30)],
        today: s.utcDate(Date.parse('2026-10-29T20:30:00Z')),
      };
      process.stdout.write(JSON.stringify(out));
    `;
    const inZone = async (tz: string) => {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, TZ: tz, NODE_OPTIONS: '' },
      });
      return JSON.parse(stdout) as Record<string, unknown>;
    };
    const [kathmandu, losAngeles] = await Promise.all([inZone('Asia/Kathmandu'), inZone('America/Los_Angeles')]);

    // The two processes really ran in different zones...
    expect(kathmandu.zone).toMatch(/^Asia\/Kath?mandu$/); // ICU may report the older spelling
    expect(losAngeles.zone).toBe('America/Los_Angeles');
    expect(kathmandu.offsetMinutes).toBe(-345);
    expect(losAngeles.offsetMinutes).toBe(420);
    // ...and computed the same schedule, the one worked out by hand in UTC. 2026-11-01 and
    // 2026-03-08 are the days Los Angeles leaves and enters daylight saving time.
    const { zone: _z1, offsetMinutes: _o1, ...fromKathmandu } = kathmandu;
    const { zone: _z2, offsetMinutes: _o2, ...fromLosAngeles } = losAngeles;
    expect(fromKathmandu).toEqual(fromLosAngeles);
    expect(fromKathmandu).toEqual({
      next: [
        '2026-10-30T02:00:00.000Z',
        '2026-10-31T02:00:00.000Z',
        '2026-11-01T02:00:00.000Z',
        '2026-03-08T02:00:00.000Z',
      ],
      firstRun: { runAt: '2026-10-30T02:00:00.000Z', due: { year: 2026, quarter: 3, cutoffDate: '2026-10-30' } },
      due: [
        { year: 2026, quarter: 3, cutoffDate: '2026-10-30' },
        { year: 2026, quarter: 2, cutoffDate: '2026-07-30' },
      ],
      today: '2026-10-29',
    });
  });
});
