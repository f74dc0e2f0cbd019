import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, QueryCounter } from '#libs/database';
import { LogframeReader } from '#libs/logframe';
import { ProgressReadRepository } from '#libs/progress';
import { REPORT_RENDERER_VERSION, ReportInputsRepository } from '#libs/reporting';
import { createSimpleProject } from '#libs/testing';
import request from 'supertest';
import { binary } from './support/binary.js';
import { startPrivateApi } from './support/private-api.js';
import { startTestStack, type TestStack, waitFor } from './support/test-stack.js';

const SAMPLE = resolve(process.cwd(), 'data/samples/gdihub-activity.xml');

describe('quarterly report through the real worker', () => {
  let stack: TestStack;
  let cluster2: string;

  const http = () => stack.http();
  const completed = (id: string) =>
    waitFor(async () => {
      const res = await http().get(`/reports/${id}`).expect(200);
      if (res.body.status === 'failed') throw new Error(`report failed: ${res.body.error}`);
      return res.body.status === 'completed' ? res.body : null;
    });

  beforeAll(async () => {
    stack = await startTestStack({ withWorker: true });
    await http().post('/imports/iati').attach('file', SAMPLE).expect(201);
    const projects = await http().get('/projects').query({ q: 'Cluster2' }).expect(200);
    expect(projects.body.total).toBe(1);
    cluster2 = projects.body.items[0].id;
  });
  afterAll(async () => stack?.close());

  it('answers 202 at once; requested twice concurrently it is one report, built once by the worker', async () => {
    const body = { scope: 'project', projectId: cluster2, year: 2022, quarter: 1 };
    const [a, b] = await Promise.all([http().post('/reports').send(body), http().post('/reports').send(body)]);
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body.id).toBe(b.body.id);
    expect([a.body.created, b.body.created].sort()).toEqual([false, true]);
    const report = await completed(a.body.id);
    expect(report.version).toBe(1);
    const [{ n }] = await stack.dataSource.query(`SELECT count(*)::int AS n FROM report WHERE scope_id = $1`, [
      cluster2,
    ]);
    expect(n).toBe(1);
    // A third request after completion is still the same report.
    const again = await http().post('/reports').send(body).expect(202);
    expect(again.body).toMatchObject({ id: a.body.id, created: false, status: 'completed' });
  });

  it('computes achievement and status by DESIGN.md section 5 for Cluster 2, Q1 2022', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2022, quarter: 1 })
      .expect(202);
    const report = await completed(accepted.id);
    const c = report.content;
    expect(c.quarter).toEqual({ year: 2022, quarter: 1, label: '2022-Q1', start: '2022-01-01', end: '2022-03-31' });
    expect(c.asOfDate).toBe('2022-03-31');
    expect(c.internal).toBe(true);
    expect(c.outcomes).toEqual([]);
    expect(c.unlinkedOutputs).toHaveLength(1);
    const [i1, i2] = c.unlinkedOutputs[0].indicators;
    // OP1-I1 (latest, baseline 0): latest actual 30 for 2021-04-01..2022-03-31; latest target ended by then 23.
    // achievement = (30 - 0) / (23 - 0) = 1.30434... -> 130.4 % > 115 -> exceeded; progress to end target 23 is the same.
    expect(i1).toMatchObject({
      code: 'OP1-I1',
      aggregation: 'latest',
      baseline: 0,
      actualToDate: 30,
      targetToDate: 23,
      endTarget: 23,
      achievementPercent: 130.4,
      progressPercent: 130.4,
      status: 'exceeded',
      actualThisQuarter: 30,
    });
    expect(i1.latestActual).toEqual({ value: 30, period: { start: '2021-04-01', end: '2022-03-31' } });
    // OP1-I2: latest 4 (2021-03-31..2022-03-31) against target 5 -> 4/5 = 80 % -> 50 <= 80 < 85 -> at_risk.
    expect(i2).toMatchObject({
      code: 'OP1-I2',
      actualToDate: 4,
      targetToDate: 5,
      achievementPercent: 80,
      status: 'at_risk',
    });
    expect(c.summary.statusCounts).toMatchObject({ exceeded: 1, at_risk: 1 });
  });

  it('judges an earlier quarter at its own evaluation date and flags overdue data (Q4 2020)', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2020, quarter: 4 })
      .expect(202);
    const report = await completed(accepted.id);
    const [i1, i2] = report.content.unlinkedOutputs[0].indicators;
    // Latest period ending by 2020-12-31 is 2019-10-01..2020-03-31: actual 6 vs target 5 -> 120 % -> exceeded;
    // 2020-03-31 + 3 months (quarterly) + 30 days grace = 2020-07-30 < 2020-12-31 -> overdue.
    expect(i1).toMatchObject({
      actualToDate: 6,
      targetToDate: 5,
      achievementPercent: 120,
      status: 'exceeded',
      actualThisQuarter: null,
    });
    expect(i1.evaluationPeriod).toEqual({ start: '2019-10-01', end: '2020-03-31' });
    expect(i1.flags).toContain('overdue');
    // OP1-I2: 1 vs 1 -> 100 % -> on_track.
    expect(i2).toMatchObject({ actualToDate: 1, targetToDate: 1, achievementPercent: 100, status: 'on_track' });
  });

  it('returns exact numbers as JSON numbers: an actual of 12.5 comes back as 12.5', async () => {
    const { project } = await createSimpleProject(stack.dataSource, {
      code: 'TEST-NUM',
      endTarget: '50',
      targets: [{ start: '2026-07-01', end: '2026-09-30', value: '20' }],
      actuals: [{ start: '2026-07-01', end: '2026-09-30', value: '12.5' }],
    });
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: project.id, year: 2026, quarter: 3 })
      .expect(202);
    const report = await completed(accepted.id);
    const [indicator] = report.content.outcomes[0].outputs[0].indicators;
    // sum, b = 0: achievement = 12.5 / 20 = 62.5 % (at_risk); progress = 12.5 / 50 = 25 %.
    expect(indicator).toMatchObject({
      code: 'OP1.1.1',
      actualThisQuarter: 12.5,
      actualToDate: 12.5,
      targetToDate: 20,
      achievementPercent: 62.5,
      progressPercent: 25,
      status: 'at_risk',
    });
    expect(typeof indicator.actualToDate).toBe('number');
    // The outcome's suggestion comes from its own outcome indicators (DESIGN.md section 5): it has none.
    expect(report.content.outcomes[0].computedStatus).toBe('not_assessable');
    expect(report.content.outcomes[0].outputs[0].statusCounts.at_risk).toBe(1);
  });

  it('stores the content as the JSON file holds it, with the row completed (status, fingerprint, thresholds)', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2022, quarter: 1 })
      .expect(202);
    const report = await completed(accepted.id);
    const [row] = await stack.dataSource.query(
      `SELECT r.content = convert_from(f.content, 'UTF8')::jsonb AS same, convert_from(f.content, 'UTF8') AS file,
              r.status, r.internal, r.error, r.thresholds_version, r.fingerprint, r.completed_at,
              r.completed_at >= r.started_at AS after_start, r.updated_at >= r.completed_at AS updated
         FROM report r JOIN report_file f ON f.report_id = r.id AND f.format = 'json' WHERE r.id = $1`,
      [accepted.id],
    );
    expect(row.same).toBe(true);
    // The file is the content pretty-printed; the row's content (jsonb) is the same value.
    expect(JSON.stringify(JSON.parse(row.file), null, 2)).toBe(row.file);
    expect(JSON.parse(row.file)).toEqual(report.content);
    expect(row).toMatchObject({
      status: 'completed',
      internal: report.content.internal,
      error: null,
      thresholds_version: report.content.thresholds.version,
      fingerprint: report.fingerprint,
      after_start: true,
      updated: true,
    });
    expect(row.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(row.completed_at).toBeInstanceOf(Date);
  });

  it('serves the CSV file of a completed report', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2022, quarter: 1 })
      .expect(202);
    await completed(accepted.id);
    const csv = await http()
      .get(`/reports/${accepted.id}/report.csv`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = csv.body as Buffer;
    // A UTF-8 byte-order mark first, so Excel on Windows reads non-Latin text correctly.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^project_code,quarter,as_of_date,section,outcome_code,output_code,indicator_code,/);
    expect(lines[0]).toMatch(
      /,internal,outcome_rating,rating_justification,variance_explanation,disaggregation,item,text$/,
    );
    // ?bom=0 for scripts: the same bytes without the mark; anything else is a 400 naming bom.
    const plain = await http()
      .get(`/reports/${accepted.id}/report.csv?bom=0`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    expect((plain.body as Buffer).equals(bytes.subarray(3))).toBe(true);
    const bad = await http().get(`/reports/${accepted.id}/report.csv?bom=yes`).expect(400);
    expect(bad.body.errors).toEqual([
      { path: 'bom', code: 'isIn', params: { values: '0, 1' }, message: 'bom must be 0 or 1' },
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('GB-COH-11126312-Cluster2,2022-Q1,2022-03-31,unlinked output,,OP1,OP1-I1');
    expect(lines[1]).toContain(',130.4,130.4,exceeded,');
  });

  it('serves the XLSX and the PDF of a completed report (the PDF renders to non-blank PNG pages)', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2022, quarter: 1 })
      .expect(202);
    await completed(accepted.id);
    const xlsx = await http()
      .get(`/reports/${accepted.id}/report.xlsx`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['Summary', 'Outcomes', 'Output indicators']),
    );
    const outputs = workbook.getWorksheet('Output indicators')!;
    const header = (outputs.getRow(1).values as unknown[]).map(String);
    const achievementColumn = header.findIndex((h) => /achievement/i.test(h));
    const rows = [2, 3].map((r) => outputs.getRow(r));
    expect(rows.map((r) => r.getCell(achievementColumn).value)).toEqual([130.4, 80]);
    const pdf = await http()
      .get(`/reports/${accepted.id}/report.pdf`)
      .buffer(true)
      .parse(binary as never)
      .expect(200);
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'rbm-pdf-'));
    writeFileSync(join(dir, 'report.pdf'), bytes);
    execFileSync('pdftoppm', ['-r', '40', '-png', join(dir, 'report.pdf'), join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) {
      const png = PNG.sync.read(readFileSync(join(dir, page)));
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(2);
    }
    expect(execFileSync('pdftotext', [join(dir, 'report.pdf'), '-']).toString()).toContain('GB-COH-11126312-Cluster2');
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders XLSX and PDF on first download, once for 10 parallel first downloads across two API processes', async () => {
    const { body: accepted } = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: cluster2, year: 2022, quarter: 2 })
      .expect(202);
    await completed(accepted.id);
    const stored = async () =>
      (
        await stack.dataSource.query(
          `SELECT format, sha256, renderer_version FROM report_file WHERE report_id = $1 ORDER BY format`,
          [accepted.id],
        )
      ).map((f: { format: string; sha256: string; renderer_version: number }) => f);
    // Built: JSON and CSV only.
    expect((await stored()).map((f: { format: string }) => f.format)).toEqual(['json', 'csv']);
    // Every file row written from here on is a render: counted by a trigger of this test's database.
    await stack.dataSource.query(`CREATE TABLE test_render_log (format text NOT NULL)`);
    await stack.dataSource.query(`CREATE FUNCTION test_log_render() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_render_log VALUES (NEW.format::text); RETURN NEW; END $$`);
    await stack.dataSource.query(
      `CREATE TRIGGER test_render_log AFTER INSERT ON report_file FOR EACH ROW EXECUTE FUNCTION test_log_render()`,
    );
    const second = await startPrivateApi(stack);
    try {
      for (const format of ['pdf', 'xlsx']) {
        const download = (agent: ReturnType<typeof request>) =>
          agent
            .get(`/reports/${accepted.id}/report.${format}`)
            .set('Authorization', `Bearer ${stack.adminToken}`)
            .buffer(true)
            .parse(binary as never);
        const answers = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            download(i % 2 ? request(second.base) : request(stack.api.getHttpServer())),
          ),
        );
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
        const bodies = answers.map((a) => a.body as Buffer);
        expect(bodies[0].length).toBeGreaterThan(1000);
        for (const body of bodies) expect(body.equals(bodies[0])).toBe(true);
        const sha256 = createHash('sha256').update(bodies[0]).digest('hex');
        expect(new Set(answers.map((a) => a.headers.etag))).toEqual(new Set([`"${sha256}"`]));
        const rendered = await stack.dataSource.query(
          `SELECT count(*)::int AS n FROM test_render_log WHERE format = $1`,
          [format],
        );
        expect(rendered).toEqual([{ n: 1 }]);
        // Served from storage afterwards: the same bytes, no new render.
        const later = await download(request(second.base)).expect(200);
        expect((later.body as Buffer).equals(bodies[0])).toBe(true);
      }
      expect(await stored()).toEqual([
        expect.objectContaining({ format: 'json', renderer_version: REPORT_RENDERER_VERSION }),
        expect.objectContaining({ format: 'csv' }),
        expect.objectContaining({ format: 'xlsx', renderer_version: REPORT_RENDERER_VERSION }),
        expect.objectContaining({ format: 'pdf', renderer_version: REPORT_RENDERER_VERSION }),
      ]);
      expect(
        await stack.dataSource.query(
          `SELECT format, count(*)::int AS n FROM test_render_log GROUP BY format ORDER BY format`,
        ),
      ).toEqual([
        { format: 'pdf', n: 1 },
        { format: 'xlsx', n: 1 },
      ]);
    } finally {
      await second.stop();
      await stack.dataSource.query(`DROP TRIGGER test_render_log ON report_file`);
    }
  }, 240_000);

  it('refuses bad requests with the field named, and unknown projects with 404', async () => {
    const bad = await http()
      .post('/reports')
      .send({ scope: 'galaxy', projectId: 'nope', year: 2022, quarter: 5, extra: 1 })
      .expect(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['extra', 'quarter', 'scope', 'scopeId']);
    expect(bad.body.errors.find((e: { path: string }) => e.path === 'scope')).toEqual({
      path: 'scope',
      code: 'isIn',
      params: { values: 'project, programme, donor, sdg_target, org_unit' },
      message: 'scope must be one of: project, programme, donor, sdg_target, org_unit',
    });
    const badProject = await http()
      .post('/reports')
      .send({ scope: 'project', projectId: 'nope', year: 2022, quarter: 1 })
      .expect(400);
    expect(badProject.body.errors).toEqual([
      { path: 'projectId', code: 'isUUID', params: {}, message: 'projectId must be a UUID' },
    ]);
    await http()
      .post('/reports')
      .send({ scope: 'project', projectId: '00000000-0000-4000-8000-000000000000', year: 2022, quarter: 1 })
      .expect(404);
    const badId = await http().get('/reports/not-a-uuid').expect(400);
    expect(badId.body.errors).toEqual([{ path: 'id', code: 'isUUID', params: {}, message: 'must be a UUID' }]);
  });

  it('reads the inputs of a report with the same number of SQL statements for 2 and 4 indicators (no N+1)', async () => {
    const counter = new QueryCounter();
    const counted = new DataSource({ ...buildDataSourceOptions(stack.db.url), logger: counter, logging: ['query'] });
    await counted.initialize();
    try {
      const inputs = new ReportInputsRepository(
        counted,
        new LogframeReader(counted),
        new ProgressReadRepository(counted),
      );
      const revisions: { id: string; n: number }[] = await counted.query(
        `SELECT r.id, count(i.id)::int AS n FROM logframe_revision r JOIN project p ON p.id = r.project_id JOIN indicator i ON i.revision_id = r.id WHERE p.code IN ('GB-COH-11126312-Cluster2', 'GB-COH-11126312-Cluster4') GROUP BY r.id ORDER BY n`,
      );
      expect(revisions.map((r) => r.n)).toEqual([2, 4]);
      const statements: number[] = [];
      for (const revision of revisions) {
        counter.reset();
        const source = await inputs.projectSource(revision.id, 2022, 1);
        expect([...source.actualsBySeries.values()].flat().length).toBeGreaterThan(0);
        statements.push(counter.count);
      }
      expect(statements[0]).toBe(statements[1]);
    } finally {
      await counted.destroy();
    }
  });
});
