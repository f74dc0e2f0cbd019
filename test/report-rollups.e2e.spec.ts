import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { ReportBuilderService } from '#libs/reporting';
import { createDonor, createSimpleProject } from '#libs/testing';
import { binary } from './support/binary.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Roll-ups in a donor report, read back from every format (docs/RULES.md, "Roll-ups").
 *
 * Donor UNF funds four projects, all approved and validated for 2026-Q3:
 * - PA, PB: a `sum` percentage (a flow: cases resolved / cases opened) mapped to SI-PCT. PA reports
 *   20/80 (25 %), PB 30/50 (60 %). Pooled: (20 + 30)/(80 + 50) = 50/130 = 38.4615…% → 38.5 %,
 *   not the mean (25 + 60)/2 = 42.5 % and not the sum 85 %. Targets PA 32/80, PB 25/50: pooled
 *   57/130 = 43.846…%. b = 0 (sum): achievement = 50/57 = 87.719…% → 87.7 %, on track (85–115).
 * - PC, PD: a `latest` number (a level) mapped to SI-LVL, each baseline 20, target 30, actual 25:
 *   each (25 − 20)/(30 − 20) = 50 % (at risk). Combined A = 50, T = 60, B = 40:
 *   (50 − 40)/(60 − 40) = 50 %, at risk; not 50/60 = 83.3 % as if there were no baseline.
 */
describe('roll-ups in a donor report: pooled percentages and combined baselines', () => {
  let stack: TestStack;
  let donorId: string;
  let donorToken: string;
  let reportId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    const ds = stack.dataSource;
    donorId = (await createDonor(ds, 'UN Fund', 'XM-DAC-41114')).id;
    const [pct] = await ds.query(
      `INSERT INTO standard_indicator (code, title, measure, unit, version) VALUES ('SI-PCT', 'Cases resolved (%)', 'percentage', '%', 1) RETURNING id`,
    );
    const [lvl] = await ds.query(
      `INSERT INTO standard_indicator (code, title, measure, unit, version) VALUES ('SI-LVL', 'Functioning referral desks', 'number', 'desks', 1) RETURNING id`,
    );
    const period = { start: '2026-07-01', end: '2026-09-30' };
    const make = async (code: string, setup: (indicatorId: string, seriesId: string) => Promise<void>) => {
      const { project, revision, indicator } = await createSimpleProject(ds, {
        code,
        donorIds: [donorId],
        endTarget: '50',
        targets: [{ ...period, value: '30' }],
        actuals: [{ ...period, value: '25' }],
      });
      await setup(indicator.id, indicator.stableId);
      await ds.query(`UPDATE logframe_revision SET status = 'approved', approved_at = now() WHERE id = $1`, [
        revision.id,
      ]);
      await ds.query(
        `INSERT INTO progress_report (project_id, year, quarter, status, version) VALUES ($1, 2026, 3, 'validated', 1)`,
        [project.id],
      );
    };
    const percentage = (actual: [number, number], target: [number, number]) => async (id: string, series: string) => {
      await ds.query(
        `UPDATE indicator SET measure = 'percentage', unit = '%', aggregation = 'sum', end_target_value = $2, standard_indicator_id = $3 WHERE id = $1`,
        [id, String((100 * target[0]) / target[1]), pct.id],
      );
      await ds.query(`UPDATE period_target SET numerator = $2, denominator = $3, value = $4 WHERE indicator_id = $1`, [
        id,
        target[0],
        target[1],
        String((100 * target[0]) / target[1]),
      ]);
      await ds.query(`UPDATE actual SET numerator = $2, denominator = $3, value = $4 WHERE indicator_series_id = $1`, [
        series,
        actual[0],
        actual[1],
        String((100 * actual[0]) / actual[1]),
      ]);
    };
    const level = async (id: string) => {
      await ds.query(
        `UPDATE indicator SET aggregation = 'latest', baseline_value = '20', end_target_value = '30', unit = 'desks', standard_indicator_id = $2 WHERE id = $1`,
        [id, lvl.id],
      );
    };
    await make('PA', percentage([20, 80], [32, 80]));
    await make('PB', percentage([30, 50], [25, 50]));
    await make('PC', level);
    await make('PD', level);
    donorToken = await stack.userToken('unf@test.rbm', [{ role: 'donor', donorId }]);
    const accepted = (
      await stack.http().post('/reports').send({ scope: 'donor', scopeId: donorId, year: 2026, quarter: 3 }).expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(accepted.id);
    reportId = accepted.id;
  });
  afterAll(async () => stack?.close());

  it('pools 20/80 and 30/50 to 38.5 % and rolls the baseline example up to 50 % (JSON numbers)', async () => {
    const c = (await stack.http(donorToken).get(`/reports/${reportId}`).expect(200)).body.content;
    const byCode = (code: string) =>
      c.rollUps.find((r: { standardIndicator: { code: string } | null }) => r.standardIndicator?.code === code);
    expect(byCode('SI-PCT')).toMatchObject({
      measure: 'percentage',
      combinedActualToDate: 38.5,
      combinedActualToDateFraction: { numerator: 50, denominator: 130 },
      combinedTargetToDate: 43.8, // 57/130 = 43.846…% → 43.8
      combinedTargetToDateFraction: { numerator: 57, denominator: 130 },
      combinedBaseline: 0,
      combinedAchievementPercent: 87.7,
      combinedStatus: 'on_track',
      notCombinedCode: null,
    });
    expect(byCode('SI-PCT').projects.map((p: { actualToDate: number }) => p.actualToDate)).toEqual([25, 60]);
    expect(byCode('SI-LVL')).toMatchObject({
      measure: 'number',
      combinedActualToDate: 50,
      combinedTargetToDate: 60,
      combinedBaseline: 40,
      combinedAchievementPercent: 50,
      combinedStatus: 'at_risk',
    });
    // Each project's own evaluation agrees: 50 % at risk for PC and PD.
    const pc = c.projects.find((p: { code: string }) => p.code === 'PC').report.outcomes[0].outputs[0].indicators[0];
    expect(pc).toMatchObject({ achievementPercent: 50, status: 'at_risk' });
  });

  it('shows the same figures in the CSV, the XLSX and the PDF text', async () => {
    const csv = (await stack.http(donorToken).get(`/reports/${reportId}/report.csv`).expect(200)).text;
    const rollUpLines = csv.split(/\r?\n/).filter((l) => l.includes(',roll-up,'));
    expect(rollUpLines).toHaveLength(2);
    const header = csv
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0]
      .split(',');
    const cell = (line: string, column: string) => line.split(',')[header.indexOf(column)];
    const pctLine = rollUpLines.find((l) => l.includes('SI-PCT'))!;
    expect(cell(pctLine, 'project_code')).toBe('PA PB');
    expect(cell(pctLine, 'actual_to_date')).toBe('38.5');
    expect(cell(pctLine, 'achievement_percent')).toBe('87.7');
    const lvlLine = rollUpLines.find((l) => l.includes('SI-LVL'))!;
    expect([cell(lvlLine, 'baseline'), cell(lvlLine, 'achievement_percent'), cell(lvlLine, 'status')]).toEqual([
      '40',
      '50',
      'at_risk',
    ]);

    const xlsx = await stack
      .http(donorToken)
      .get(`/reports/${reportId}/report.xlsx`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const sheet = workbook.getWorksheet('Roll-ups')!;
    const rows = [2, 3].map((r) => sheet.getRow(r).values as unknown[]);
    const pctRow = rows.find((r) => String(r[1]).startsWith('SI-PCT'))!;
    const lvlRow = rows.find((r) => String(r[1]).startsWith('SI-LVL'))!;
    // Columns: standard, projects, actual, target, achievement, baseline, status.
    expect(pctRow.slice(2, 8)).toEqual(['PA, PB', 38.5, 43.8, 87.7, 0, 'On track']);
    expect(lvlRow.slice(2, 8)).toEqual(['PC, PD', 50, 60, 50, 40, 'At risk']);

    const pdf = (
      await stack
        .http(donorToken)
        .get(`/reports/${reportId}/report.pdf`)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body as Buffer;
    const dir = mkdtempSync(join(tmpdir(), 'rbm-rollup-pdf-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
      expect(text).toMatch(/actual 38\.5\s%\s+against a target of 43\.8\s%/);
      expect(text).toMatch(/achievement 87\.7\s%, on track/);
      expect(text).toMatch(/from a baseline of 40\sdesks\s+\(achievement 50\.0\s%, at risk\)/);
      expect(text).not.toMatch(/42\.5\s%|85\.0\s%/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
