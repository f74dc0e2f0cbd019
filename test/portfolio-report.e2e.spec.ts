import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, QueryCounter } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { ProgressReadRepository } from '#libs/progress';
import { ReportBuilderService, ReportInputsRepository } from '#libs/reporting';
import { createDonor, createOrgUnit, createSimpleProject } from '#libs/testing';
import { binary } from './support/binary.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * A donor report over three projects in two offices. Donor FCDO funds P1 and P2 (office A) and P3
 * (office B); SIDA co-funds P2. Each project has one output indicator OP1.1.1 (number, sum, b = 0,
 * Q3 2026 target 20, end target 50), mapped to the standard indicator SI-1, with Q3 actuals 15, 25, 10.
 * Revisions approved and Q3 validated for P1–P3; P4 (FCDO, office B) is not validated and is left out.
 */

describe('multi-project reports: donor, org unit, programme, SDG target', () => {
  let stack: TestStack;
  let fcdo: string;
  let officeA: string;
  let donorToken: string;
  let sidaToken: string;
  let focalA: string;
  const projects: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    const ds = stack.dataSource;
    const region = await createOrgUnit(ds, 'REG', 'regional_office');
    officeA = (await createOrgUnit(ds, 'A', 'country_office', region.id)).id;
    const officeB = (await createOrgUnit(ds, 'B', 'country_office', region.id)).id;
    fcdo = (await createDonor(ds, 'FCDO', 'GB-GOV-3')).id;
    const sida = (await createDonor(ds, 'SIDA', 'SE-0')).id;
    const [standard] = await ds.query(
      `INSERT INTO standard_indicator (code, title, measure, unit, version) VALUES ('SI-1', 'People trained', 'number', 'people', 1) RETURNING id`,
    );
    const period = { start: '2026-07-01', end: '2026-09-30' };
    const make = async (code: string, office: string, donors: string[], actual: string) => {
      const { project, revision, indicator } = await createSimpleProject(ds, {
        code,
        orgUnitId: office,
        donorIds: donors,
        endTarget: '50',
        targets: [{ ...period, value: '20' }],
        actuals: [{ ...period, value: actual }],
      });
      await ds.query(`UPDATE indicator SET standard_indicator_id = $1 WHERE id = $2`, [standard.id, indicator.id]);
      await ds.query(
        `INSERT INTO sdg_link (revision_id, sdg_target_code, contribution, rationale) VALUES ($1, '16.4', 'primary', 'Trained officials reduce illicit arms flows')`,
        [revision.id],
      );
      projects[code] = project.id;
      return revision.id;
    };
    const [approver] = await ds.query(
      `INSERT INTO app_user (email, display_name, version) VALUES ('approver@test.rbm', 'Amina Rahman', 1) RETURNING id`,
    );
    for (const [code, office, donors, actual, validated] of [
      ['P1', officeA, [fcdo], '15', true],
      ['P2', officeA, [fcdo, sida], '25', true],
      ['P3', officeB, [fcdo], '10', true],
      ['P4', officeB, [fcdo], '40', false],
    ] as const) {
      const revisionId = await make(code, office, [...donors], actual);
      await ds.query(
        `UPDATE logframe_revision SET status = 'approved', approved_at = now(), approved_by_id = $2 WHERE id = $1`,
        [revisionId, approver.id],
      );
      if (validated)
        await ds.query(
          `INSERT INTO progress_report (project_id, year, quarter, status, version) VALUES ($1, 2026, 3, 'validated', 1)`,
          [projects[code]],
        );
    }
    // Funding agreements: FCDO's amounts and dates; SIDA co-funds P2.
    await ds.query(
      `UPDATE funding_agreement SET amount = 250000.5, currency = 'GBP', start_date = '2025-01-01', end_date = '2027-12-31' WHERE donor_id = $1`,
      [fcdo],
    );
    await ds.query(`UPDATE funding_agreement SET amount = 1200000, currency = 'SEK' WHERE donor_id = $1`, [sida]);
    donorToken = await stack.userToken('fcdo@test.rbm', [{ role: 'donor', donorId: fcdo }]);
    sidaToken = await stack.userToken('sida@test.rbm', [{ role: 'donor', donorId: sida }]);
    focalA = await stack.userToken('focal.a@test.rbm', [{ role: 'rbm_focal_point', orgUnitId: officeA }]);
  });
  afterAll(async () => stack?.close());

  const build = async (body: Record<string, unknown>) => {
    const accepted = (
      await stack
        .http()
        .post('/reports')
        .send({ year: 2026, quarter: 3, ...body })
        .expect(202)
    ).body;
    await stack.api.get(ReportBuilderService).build(accepted.id);
    return accepted.id as string;
  };

  it("builds the donor report with each project's numbers, the co-funder disclosed and values combined only through the standard indicator", async () => {
    const id = await build({ scope: 'donor', scopeId: fcdo });
    const report = (await stack.http(donorToken).get(`/reports/${id}`).expect(200)).body;
    const c = report.content;
    expect(c).toMatchObject({
      kind: 'portfolio-quarterly-report',
      scope: { type: 'donor', id: fcdo, name: 'FCDO' },
      internal: false,
      asOfDate: '2026-09-30',
    });
    expect(c.projects.map((p: { code: string; included: boolean }) => [p.code, p.included])).toEqual([
      ['P1', true],
      ['P2', true],
      ['P3', true],
      ['P4', false],
    ]);
    expect(c.projects[3]).toMatchObject({ excludedReason: '2026-Q3 not validated by the cut-off', report: null });
    expect(c.projects[1].fundedBy.map((d: { name: string }) => d.name)).toEqual(['FCDO', 'SIDA']);
    const row = (i: number) => c.projects[i].report.outcomes[0].outputs[0].indicators[0];
    // P1: 15 / 20 = 75 % -> at_risk; P2: 25 / 20 = 125 % -> exceeded; P3: 10 / 20 = 50 % -> at_risk (50 is the lower bound of at_risk).
    expect(row(0)).toMatchObject({
      code: 'OP1.1.1',
      actualToDate: 15,
      targetToDate: 20,
      achievementPercent: 75,
      progressPercent: 30,
      status: 'at_risk',
    });
    expect(row(1)).toMatchObject({
      actualToDate: 25,
      targetToDate: 20,
      achievementPercent: 125,
      progressPercent: 50,
      status: 'exceeded',
    });
    expect(row(2)).toMatchObject({
      actualToDate: 10,
      targetToDate: 20,
      achievementPercent: 50,
      progressPercent: 20,
      status: 'at_risk',
    });
    // Roll-up through SI-1: 15 + 25 + 10 = 50 against 20 x 3 = 60, b = 0 (sum) -> 83.33... % -> 83.3, at risk.
    expect(c.rollUps).toHaveLength(1);
    expect(c.rollUps[0]).toMatchObject({
      standardIndicator: { code: 'SI-1', title: 'People trained' },
      combinedActualToDate: 50,
      combinedTargetToDate: 60,
      combinedBaseline: 0,
      combinedAchievementPercent: 83.3,
      combinedStatus: 'at_risk',
    });
    expect(c.completeness).toMatchObject({
      projects: 4,
      included: 3,
      validated: ['P1', 'P2', 'P3'],
      notValidated: ['P4'],
    });
    expect(c.statusCounts).toMatchObject({ at_risk: 2, exceeded: 1 });
    const csv = await stack.http(donorToken).get(`/reports/${id}/report.csv`).expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(5); // header (after the byte-order mark), three projects, the SI-1 roll-up
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['P1', 'P2', 'P3', 'P1 P2 P3']);
    expect(lines[2]).toContain(',25,');
    expect(lines[2]).toContain(',125,50,exceeded,');
    // XLSX, read back with exceljs: one row per included project indicator, and the roll-up.
    const xlsx = await stack
      .http(donorToken)
      .get(`/reports/${id}/report.xlsx`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Projects',
      'Indicators',
      'Assumptions and risks',
      'Roll-ups',
    ]);
    const sheet = workbook.getWorksheet('Indicators')!;
    const values = [2, 3, 4].map((r) => [
      sheet.getRow(r).getCell(1).value,
      sheet.getRow(r).getCell(10).value,
      sheet.getRow(r).getCell(11).value,
      sheet.getRow(r).getCell(13).value,
    ]);
    expect(values).toEqual([
      ['P1', 15, 75, 'At risk'],
      ['P2', 25, 125, 'Exceeded'],
      ['P3', 10, 50, 'At risk'],
    ]);
    expect(sheet.getRow(2).getCell(11).numFmt).toBe('#,##0.0');
    expect(workbook.getWorksheet('Roll-ups')!.getRow(2).getCell(5).value).toBe(83.3);
    expect(workbook.getWorksheet('Projects')!.getRow(5).getCell(7).value).toBe('2026-Q3 not validated by the cut-off');
    // PDF, rendered to PNG pages that are not blank.
    const pdf = (
      await stack
        .http(donorToken)
        .get(`/reports/${id}/report.pdf`)
        .buffer(true)
        .parse(binary as never)
        .expect(200)
    ).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'rbm-donor-pdf-'));
    writeFileSync(join(dir, 'donor.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '40', '-png', join(dir, 'donor.pdf'), join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png'));
    // Projects follow one another: fewer pages than one per project, none of them near-empty.
    expect(pages.length).toBeLessThan(4);
    const boxes = execFileSync('pdftotext', ['-bbox', join(dir, 'donor.pdf'), '-'], {
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const pageBoxes = boxes.split('<page ').slice(1);
    expect(pageBoxes).toHaveLength(pages.length);
    pageBoxes.slice(0, -1).forEach((page, n) => {
      // Body text (above the footer band) reaches past the middle of every page but the last.
      const bottoms = [...page.matchAll(/yMax="([\d.]+)"/g)].map((m) => Number(m[1])).filter((y) => y < 841.89 - 64);
      expect({ page: n + 1, filled: Math.max(...bottoms) > 841.89 / 2 }).toEqual({ page: n + 1, filled: true });
    });
    for (const page of pages) {
      const png = PNG.sync.read(readFileSync(join(dir, page)));
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(2);
    }
    const pdfText = execFileSync('pdftotext', [join(dir, 'donor.pdf'), '-']).toString();
    expect(pdfText).toContain('Donor report: FCDO');
    expect(pdfText).toContain('No figures: 2026-Q3 not validated by the cut-off');
    // Cover: funding agreements with amount, currency and dates, and the co-funder with its amount.
    const flat = pdfText.replace(/\s+/g, ' ');
    expect(flat).toContain('GBP 250,000.5');
    expect(flat).toContain('1 January 2025 – 31 December 2027');
    expect(flat).toContain('SIDA (SEK 1,200,000)');
    expect(flat).toContain('Portfolio status');
    // People by display name; no code in snake_case; every page carries the whole as-of date.
    expect(flat).toContain('by Amina Rahman');
    expect(flat).not.toContain('approver@test.rbm');
    expect(pdfText.match(/\b[a-z]+_[a-z0-9_]+\b/g)).toBeNull();
    for (let page = 1; page <= pages.length; page++) {
      const text = execFileSync('pdftotext', [
        '-f',
        String(page),
        '-l',
        String(page),
        join(dir, 'donor.pdf'),
        '-',
      ]).toString();
      expect({ page, asOf: text.replace(/\s+/g, ' ').includes('as of 30 September 2026') }).toEqual({
        page,
        asOf: true,
      });
    }
    // RENDER_KEEP_DIR=<dir> keeps the PDF and its PNG pages to look at.
    if (process.env.RENDER_KEEP_DIR) cpSync(dir, process.env.RENDER_KEEP_DIR, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers donor reports only to that donor, and to staff whose offices it reaches (restricted to them)', async () => {
    const id = await build({ scope: 'donor', scopeId: fcdo });
    await stack.http(sidaToken).get(`/reports/${id}`).expect(404);
    // FCDO funds P1, P2 (office A) and P3, P4 (office B): office A's focal point does not read the
    // whole-scope report (docs/RULES.md "Report reach")...
    await stack.http(focalA).get(`/reports/${id}`).expect(404);
    const listed = (await stack.http(donorToken).get('/reports').expect(200)).body as { id: string; scope: string }[];
    expect(listed.filter((r) => r.scope === 'donor').map((r) => r.id)).toEqual([id]);
    expect((await stack.http(sidaToken).get('/reports').expect(200)).body).toEqual([]);
    // Donors do not request reports; focal points request them for donors reaching their offices.
    await stack
      .http(donorToken)
      .post('/reports')
      .send({ scope: 'donor', scopeId: fcdo, year: 2026, quarter: 3 })
      .expect(403);
    // ...and their own request is FCDO x office A: P1 and P2 only.
    const restricted = (
      await stack
        .http(focalA)
        .post('/reports')
        .send({ scope: 'donor', scopeId: fcdo, year: 2026, quarter: 3 })
        .expect(202)
    ).body;
    expect(restricted.id).not.toBe(id);
    const got = (await stack.http(focalA).get(`/reports/${restricted.id}`).expect(200)).body;
    expect(got.restrictedToUnitIds).toEqual([officeA]);
  });

  it('org unit and SDG target scopes: per-project rows; SDG contributions and statuses, never summed values', async () => {
    const unit = (
      await stack
        .http()
        .get(`/reports/${await build({ scope: 'org_unit', scopeId: officeA })}`)
        .expect(200)
    ).body.content;
    expect(unit.projects.map((p: { code: string }) => p.code)).toEqual(['P1', 'P2']);
    const sdg = (
      await stack
        .http()
        .get(`/reports/${await build({ scope: 'sdg_target', scopeId: '16.4' })}`)
        .expect(200)
    ).body.content;
    expect(sdg.scope).toMatchObject({ type: 'sdg_target', id: '16.4' });
    expect(
      sdg.sdgContributions.map((x: { projectCode: string; elementType: string; contribution: string }) => [
        x.projectCode,
        x.elementType,
        x.contribution,
      ]),
    ).toEqual([
      ['P1', 'project', 'primary'],
      ['P2', 'project', 'primary'],
      ['P3', 'project', 'primary'],
      ['P4', 'project', 'primary'],
    ]);
    await stack
      .http(focalA)
      .post('/reports')
      .send({ scope: 'sdg_target', scopeId: '16.4', year: 2026, quarter: 3 })
      .expect(403);
    await stack
      .http(focalA)
      .post('/reports')
      .send({ scope: 'org_unit', scopeId: officeA, year: 2026, quarter: 3 })
      .expect(202);
  });

  it('reads a report five times larger with the same number of SQL statements', async () => {
    const ds = stack.dataSource;
    const small = await createOrgUnit(ds, 'SMALL', 'country_office');
    const large = await createOrgUnit(ds, 'LARGE', 'country_office');
    const period = { start: '2026-07-01', end: '2026-09-30' };
    await createSimpleProject(ds, {
      code: 'S1',
      orgUnitId: small.id,
      endTarget: '50',
      targets: [{ ...period, value: '20' }],
      actuals: [{ ...period, value: '5' }],
    });
    for (let i = 1; i <= 5; i++)
      await createSimpleProject(ds, {
        code: `L${i}`,
        orgUnitId: large.id,
        endTarget: '50',
        targets: [{ ...period, value: '20' }],
        actuals: [{ ...period, value: String(i) }],
      });
    const counter = new QueryCounter();
    const counted = new DataSource({ ...buildDataSourceOptions(stack.db.url), logger: counter, logging: ['query'] });
    await counted.initialize();
    try {
      const inputs = new ReportInputsRepository(
        counted,
        new LogframeReader(counted),
        new ProgressReadRepository(counted),
      );
      counter.reset();
      const one = await inputs.portfolioSources('org_unit', small.id, 2026, 3);
      const oneCount = counter.count;
      counter.reset();
      const five = await inputs.portfolioSources('org_unit', large.id, 2026, 3);
      expect(one!.sources).toHaveLength(1);
      expect(five!.sources).toHaveLength(5);
      expect(counter.count).toBe(oneCount);
    } finally {
      await counted.destroy();
    }
  });
});
