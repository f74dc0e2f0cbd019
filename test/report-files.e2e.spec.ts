import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseDisposition } from 'content-disposition';
import ExcelJS from 'exceljs';
import { ReportBuilderService } from '#libs/reporting';
import { createDonor } from '#libs/testing';
import { approvedProject, type ApprovedProject, validActual } from './support/approved-project.js';
import { binary } from './support/binary.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 12, item 7 (files and labels): download names `<code>-<year>Q<quarter>-v<version>.<ext>`
 * (RFC 6266 `filename*` when not ASCII), report lists with the scope's code and title, people by
 * display name and role, and every code printed as a label from the English or French catalogue.
 */
describe('report files: names, lists, labels in English and French', () => {
  let stack: TestStack;
  let p: ApprovedProject;
  let projectReport: string;
  let donorReport: string;
  const as = (token: string) => stack.http(token);
  const request = async (body: Record<string, unknown>) => {
    const accepted = (await stack.http().post('/reports').send(body).expect(202)).body;
    await stack.api.get(ReportBuilderService).build(accepted.id);
    return accepted.id as string;
  };
  const workbook = async (res: { body: Buffer }) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as never);
    return book;
  };
  const xlsx = (id: string) =>
    stack
      .http()
      .get(`/reports/${id}/report.xlsx`)
      .buffer(true)
      .parse(binary as never);
  /** Every text cell of a workbook. */
  const texts = (book: ExcelJS.Workbook) => {
    const all: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value === 'string') all.push(cell.value);
        }),
      ),
    );
    return all;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    p = await approvedProject(stack, { code: 'FILES-1', outputsPerOutcome: [1] });
    await stack.dataSource.query(
      `UPDATE app_user SET display_name = 'Fatima Ndiaye' WHERE email = 'focal-files-1@test.rbm'`,
    );
    const funder = await createDonor(stack.dataSource, 'Fonds Français', null);
    await stack.dataSource.query(`INSERT INTO funding_agreement (project_id, donor_id, version) VALUES ($1, $2, 1)`, [
      p.projectId,
      funder.id,
    ]);
    await as(p.manager)
      .put(`/projects/${p.projectId}/progress/2026/1/actuals`)
      .send({ actuals: Object.entries(p.ids).map(([code, id]) => validActual(p.measures[code], id, 20)) })
      .expect(200);
    projectReport = await request({ scope: 'project', projectId: p.projectId, year: 2026, quarter: 1 });
    donorReport = await request({ scope: 'donor', scopeId: funder.id, year: 2026, quarter: 1 });
  });
  afterAll(async () => stack?.close());

  it('names downloads <project code>-<year>Q<quarter>-v<version>.<ext> and <scope type>-<scope code>-…', async () => {
    for (const ext of ['pdf', 'xlsx', 'csv']) {
      const res = await stack.http().get(`/reports/${projectReport}/report.${ext}`).expect(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename=FILES-1-2026Q1-v1.${ext}`);
    }
    // A donor without an IATI organisation identifier: a slug of its name.
    const donor = await stack.http().get(`/reports/${donorReport}/report.pdf`).expect(200);
    expect(donor.headers['content-disposition']).toBe('attachment; filename=donor-fonds-francais-2026Q1-v1.pdf');
  });

  it('puts non-ASCII names in RFC 6266 filename* with an ASCII fallback', async () => {
    await stack.dataSource.query(`UPDATE project SET code = 'ÉCOLE-Δ1' WHERE id = $1`, [p.projectId]);
    try {
      const res = await stack.http().get(`/reports/${projectReport}/report.pdf`).expect(200);
      const header = res.headers['content-disposition'];
      expect(header).toBe(
        `attachment; filename=ECOLE-_1-2026Q1-v1.pdf; filename*=UTF-8''%C3%89COLE-%CE%941-2026Q1-v1.pdf`,
      );
      expect(parseDisposition(header).parameters.filename).toBe('ÉCOLE-Δ1-2026Q1-v1.pdf');
    } finally {
      await stack.dataSource.query(`UPDATE project SET code = 'FILES-1' WHERE id = $1`, [p.projectId]);
    }
  });

  it("lists reports with the scope's code and title and the download name", async () => {
    const list = (await stack.http().get('/reports').expect(200)).body as Record<string, unknown>[];
    expect(list.find((r) => r.id === projectReport)).toMatchObject({
      scope: 'project',
      scopeCode: 'FILES-1',
      scopeTitle: 'Project FILES-1',
      fileName: 'FILES-1-2026Q1-v1',
    });
    expect(list.find((r) => r.id === donorReport)).toMatchObject({
      scope: 'donor',
      scopeCode: 'fonds-francais',
      scopeTitle: 'Fonds Français',
      fileName: 'donor-fonds-francais-2026Q1-v1',
    });
    const one = (await stack.http().get(`/reports/${projectReport}`).expect(200)).body;
    expect(one).toMatchObject({ scopeCode: 'FILES-1', scopeTitle: 'Project FILES-1' });
    // People by display name and the role they acted in.
    expect(one.content.revision).toMatchObject({ approvedBy: 'Fatima Ndiaye', approvedByRole: 'rbm_focal_point' });
  });

  it('labels every code in English by default: no snake_case code in the workbook', async () => {
    const res = await xlsx(projectReport).expect(200);
    expect(res.headers['content-language']).toBe('en');
    const book = await workbook(res);
    const all = texts(book);
    expect(all.filter((t) => /^[a-z]+(_[a-z]+)+$/.test(t))).toEqual([]);
    expect(all).toEqual(expect.arrayContaining(['Number', 'Percentage', 'Ordinal scale', 'Cumulative (sum)']));
    const summary = book.getWorksheet('Summary')!;
    const facts = new Map<string, unknown>();
    summary.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('Approved by')).toBe('Fatima Ndiaye (RBM focal point)');
    expect(facts.get('Validation status')).toBe('Draft');
  });

  it('labels in French with ?lang=fr, with Accept-Language, or by the user’s own language; other languages are a 400', async () => {
    const french = async (res: { body: Buffer; headers: Record<string, string> }) => {
      expect(res.headers['content-language']).toBe('fr');
      const book = await workbook(res);
      expect(book.worksheets.map((w) => w.name)).toEqual([
        'Synthèse',
        'Effets',
        'Produits',
        'Indicateurs d’effet',
        'Indicateurs de produit',
        'Indicateurs d’impact',
        'Désagrégation',
        'Hypothèses et risques',
      ]);
      const all = texts(book);
      expect(all.filter((t) => /^[a-z]+(_[a-z]+)+$/.test(t))).toEqual([]);
      expect(all).toEqual(expect.arrayContaining(['Nombre', 'Pourcentage', 'Fatima Ndiaye (Point focal GAR)']));
      return book;
    };
    await french(await xlsx(projectReport).query({ lang: 'fr' }).expect(200));
    await french(await xlsx(projectReport).set('Accept-Language', 'de-CH, fr-CA;q=0.9, en;q=0.5').expect(200));
    const bad = await stack.http().get(`/reports/${projectReport}/report.xlsx?lang=de`).expect(400);
    expect(bad.body.errors).toEqual([
      { path: 'lang', code: 'isIn', params: { values: 'en, fr' }, message: 'lang must be one of: en, fr' },
    ]);
    // The portfolio workbook too.
    const donorBook = await workbook(await xlsx(donorReport).query({ lang: 'fr' }).expect(200));
    expect(donorBook.worksheets[0].name).toBe('Synthèse');

    // A user whose language is French gets French without asking.
    const admin = (await stack.http().get('/me').expect(200)).body;
    expect(admin.language).toBe('en');
    const users = (await stack.http().get('/admin/users').expect(200)).body;
    const me = (users.items ?? users).find((u: { id: string }) => u.id === admin.id);
    await stack.http().patch(`/admin/users/${admin.id}`).send({ version: me.version, language: 'fr' }).expect(200);
    expect((await stack.http().get('/me').expect(200)).body.language).toBe('fr');
    await french(await xlsx(projectReport).expect(200));
    // ?lang= still wins.
    expect((await xlsx(projectReport).query({ lang: 'en' }).expect(200)).headers['content-language']).toBe('en');
  });

  const pdf = (id: string, lang: string) =>
    stack
      .http()
      .get(`/reports/${id}/report.pdf`)
      .query({ lang })
      .buffer(true)
      .parse(binary as never);
  const pdfText = (bytes: Buffer) => {
    const dir = mkdtempSync(join(tmpdir(), 'rbm-files-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), bytes);
      return execFileSync('pdftotext', [join(dir, 'r.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('renders the PDF in French too, and stores XLSX and PDF once per language', async () => {
    const fr = await pdf(projectReport, 'fr').expect(200);
    expect(fr.headers['content-language']).toBe('fr');
    expect(parseDisposition(fr.headers['content-disposition']).parameters.filename).toBe('FILES-1-2026Q1-v1.pdf');
    const french = pdfText(fr.body as Buffer);
    for (const phrase of [
      'RAPPORT TRIMESTRIEL AU NIVEAU DES EFFETS',
      'Synthèse des statuts',
      'Date de référence',
      'Page 1 sur',
    ])
      expect({ phrase, found: french.includes(phrase) }).toEqual({ phrase, found: true });
    expect(french).toContain('Fatima Ndiaye (Point focal GAR)');
    expect(french).not.toContain('Status summary');
    const en = await pdf(projectReport, 'en').expect(200);
    expect(en.headers['content-language']).toBe('en');
    expect(pdfText(en.body as Buffer)).toContain('Status summary');
    // Stored per report, format and language; a second download is the stored file, byte for byte.
    const again = await pdf(projectReport, 'fr').expect(200);
    expect(again.headers.etag).toBe(fr.headers.etag);
    expect((again.body as Buffer).equals(fr.body as Buffer)).toBe(true);
    const rows = await stack.dataSource.query(
      `SELECT format::text AS format, language FROM report_file WHERE report_id = $1 ORDER BY 1, 2`,
      [projectReport],
    );
    expect(rows).toEqual([
      { format: 'csv', language: 'en' },
      { format: 'json', language: 'en' },
      { format: 'pdf', language: 'en' },
      { format: 'pdf', language: 'fr' },
      { format: 'xlsx', language: 'en' },
      { format: 'xlsx', language: 'fr' },
    ]);
  });

  it('draws a character no bundled font covers as a box and lists it in the report flags', async () => {
    // A completed report whose content holds a private-use character (U+E000) in the donor's name; its
    // French PDF is not rendered yet (the English one is stored: rendered by an earlier download).
    await stack.dataSource.query(
      `UPDATE report SET content = jsonb_set(content, '{scope,name}', to_jsonb('Fonds \uE000 Français'::text)) WHERE id = $1`,
      [donorReport],
    );
    expect((await stack.http().get(`/reports/${donorReport}`).expect(200)).body.flags).toEqual([]);
    const res = await pdf(donorReport, 'fr').expect(200);
    const text = pdfText(res.body as Buffer);
    expect(text).toContain('Caractères sans police dans ce PDF, affichés comme des cases : U+E000');
    expect(text).not.toContain('Fonds ? Français');
    expect((await stack.http().get(`/reports/${donorReport}`).expect(200)).body.flags).toEqual([
      { code: 'missing_characters', format: 'pdf', language: 'fr', codePoints: [0xe000], text: 'U+E000' },
    ]);
    const rows = await stack.dataSource.query(
      `SELECT language, missing_characters FROM report_file WHERE report_id = $1 AND format = 'pdf' ORDER BY 1`,
      [donorReport],
    );
    expect(rows).toEqual([
      { language: 'en', missing_characters: [] },
      { language: 'fr', missing_characters: [0xe000] },
    ]);
  });
});
