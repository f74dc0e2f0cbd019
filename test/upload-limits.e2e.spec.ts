import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import request from 'supertest';
import { repoRoot } from '#libs/common';
import { createOrgUnit } from '#libs/testing';
import { downloadXlsx } from './matrix/logframe-xlsx.js';
import { type PrivateApi, startPrivateApi } from './support/private-api.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/** Peak resident memory (VmHWM) of a process, MB, from /proc. */
function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

/**
 * The project's own exported workbook plus a sheet of `rows` one-cell rows, registered in the
 * workbook like any other sheet (the hostile upload of the security review: 1,000,000 rows, ~5 MB).
 */
async function withExtraRows(exported: Buffer, rows: number): Promise<Buffer> {
  const zip = await JSZip.loadAsync(exported);
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
  ];
  for (let r = 1; r <= rows; r += 1) parts.push(`<row r="${r}"><c r="A${r}"><v>${r}</v></c></row>`);
  parts.push('</sheetData></worksheet>');
  zip.file('xl/worksheets/sheet99.xml', parts.join(''));
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  zip.file(
    'xl/workbook.xml',
    workbook.replace('</sheets>', '<sheet name="Padding" sheetId="99" r:id="rId99"/></sheets>'),
  );
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  zip.file(
    'xl/_rels/workbook.xml.rels',
    rels.replace(
      '</Relationships>',
      '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet99.xml"/></Relationships>',
    ),
  );
  const types = await zip.file('[Content_Types].xml')!.async('string');
  zip.file(
    '[Content_Types].xml',
    types.replace(
      '</Types>',
      '<Override PartName="/xl/worksheets/sheet99.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

/**
 * A zip bomb shaped like a workbook: one sheet part of `megabytes` MB of the same byte (deflates about
 * 1000:1). With `lie`, the sizes in the zip headers claim 1 KB, so only counting while inflating catches it.
 */
async function zipBomb(megabytes: number, lie: boolean): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(megabytes * 1024 * 1024, 0x20));
  const bytes = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });
  if (lie) {
    // Local file header: uncompressed size at +22; central directory header: at +24.
    for (
      let at = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'));
      at >= 0;
      at = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'), at + 4)
    )
      if (bytes.readUInt32LE(at + 22) > 1024) bytes.writeUInt32LE(1024, at + 22);
    for (
      let at = bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1'));
      at >= 0;
      at = bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1'), at + 4)
    )
      if (bytes.readUInt32LE(at + 24) > 1024) bytes.writeUInt32LE(1024, at + 24);
  }
  return bytes;
}

/**
 * An IATI activities file of `count` activities: the shipped sample's four activities (a real
 * publisher's file, 12 indicators and 34 periods among them) repeated under new identifiers. 1,905
 * activities (~18 MB, under the 20 MB upload limit) is the file of the security review that held the
 * event loop for 23 s.
 */
function largeIatiFile(count: number): Buffer {
  const sample = readFileSync(join(repoRoot(), 'data/samples/gdihub-activity.xml'), 'utf8');
  const first = sample.indexOf('<iati-activity ');
  const end = sample.lastIndexOf('</iati-activities>');
  const activities = sample
    .slice(first, end)
    .split(/(?<=<\/iati-activity>)/)
    .filter((a) => a.includes('<iati-activity '));
  const body = Array.from({ length: count }, (_, i) =>
    activities[i % activities.length].replace(
      /<iati-identifier>([^<]+)<\/iati-identifier>/,
      (_m, id: string) => `<iati-identifier>${id}-X${Math.floor(i / activities.length)}</iati-identifier>`,
    ),
  );
  return Buffer.from(sample.slice(0, first) + body.join('\n  ') + '\n</iati-activities>\n');
}

const MB = 1024 * 1024;

/** One line per figure for the issue note, e.g. `upload-limits: zip bomb → 413 in 0.4 s; /health max 12 ms; peak RSS 180 MB`. */
function printFigures(label: string, status: number, seconds: number, slowestMs: number, rssMb: number): void {
  console.log(
    `upload-limits: ${label} → ${status} in ${seconds.toFixed(1)} s; /health max ${slowestMs} ms; peak RSS ${Math.round(rssMb)} MB`,
  );
}

/**
 * Hostile workbook uploads against a private API process (the built dist API, its own port, on this
 * test's database): each answers 4xx within 10 s, /health keeps answering in under 1 s meanwhile, and
 * the process's peak memory stays under 600 MB.
 */
describe('hostile workbook uploads never take the API down', () => {
  // Building a 1,000,000-row workbook takes a while on a shared machine; the API's answers are timed apart.
  jest.setTimeout(600000);
  let stack: TestStack;
  let privateApi: PrivateApi;
  let api: PrivateApi['process'];
  let base: string;
  let manager: string;
  let projectId: string;
  let exported: Buffer;

  beforeAll(async () => {
    stack = await startTestStack();
    const office = (await createOrgUnit(stack.dataSource, 'UP-CO', 'country_office')).id;
    manager = await stack.userToken('pm.upload@test.rbm', [{ role: 'project_manager', orgUnitId: office }]);
    projectId = (
      await stack
        .http(manager)
        .post('/projects')
        .send({
          code: 'UPLOAD1',
          title: 'Upload limits',
          orgUnitId: office,
          startDate: '2026-01-01',
          endDate: '2027-12-31',
        })
        .expect(201)
    ).body.id;
    exported = (await downloadXlsx(stack.http(manager), projectId).expect(200)).body as Buffer;
    privateApi = await startPrivateApi(stack);
    ({ process: api, base } = privateApi);
  }, 180000);

  afterAll(async () => {
    await privateApi?.stop();
    await stack?.close();
  });

  /** Runs `send` while /health is polled; its answer, its seconds and the slowest /health answer (ms). */
  async function watchingHealth(send: () => Promise<request.Response>) {
    let slowest = 0;
    let healthChecks = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        const started = Date.now();
        const health = await request(base).get('/health').timeout(5000);
        expect(health.status).toBe(200);
        slowest = Math.max(slowest, Date.now() - started);
        healthChecks += 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = Date.now();
    try {
      const answer = await send();
      return { answer, seconds: (Date.now() - started) / 1000, slowest, healthChecks };
    } finally {
      done = true;
      await watch;
    }
  }

  /** Uploads `bytes` as the project's logframe workbook while /health is polled (answer within 10 s). */
  const uploadWatchingHealth = (bytes: Buffer) =>
    watchingHealth(() =>
      request(base)
        .put(`/projects/${projectId}/logframe.xlsx`)
        .set('Authorization', `Bearer ${manager}`)
        .attach('file', bytes, 'logframe.xlsx')
        .timeout(10000),
    );

  it('answers the exported workbook plus 1,000,000 one-cell rows with 413 naming the limit', async () => {
    const bytes = await withExtraRows(exported, 1_000_000);
    expect(bytes.length).toBeLessThan(10 * 1024 * 1024); // under the upload size limit: the reader must refuse it
    const { answer, seconds, slowest, healthChecks } = await uploadWatchingHealth(bytes);
    expect(answer.status).toBe(413);
    expect(answer.body.errors[0]).toMatchObject({
      path: 'file',
      code: 'too_large',
      params: { limit: expect.stringMatching(/^max(EntryBytes|Rows)$/) },
    });
    expect(answer.body.errors[0].message).toMatch(/\(limit max(EntryBytes|Rows)\)$/);
    printFigures('1,000,000-row workbook', answer.status, seconds, slowest, peakRssMb(api.pid!));
    expect(seconds).toBeLessThan(10);
    expect(healthChecks).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(1000);
    expect(peakRssMb(api.pid!)).toBeLessThan(600);
  });

  it('answers a zip bomb (honest or lying sizes) with 413 naming the limit', async () => {
    for (const lie of [false, true]) {
      const bytes = await zipBomb(256, lie);
      expect(bytes.length).toBeLessThan(2 * 1024 * 1024); // ~250 KB on the wire, 256 MB inflated
      const { answer, seconds, slowest } = await uploadWatchingHealth(bytes);
      expect(answer.status).toBe(413);
      expect(answer.body.errors[0]).toMatchObject({
        path: 'file',
        code: 'too_large',
        params: { limit: 'maxEntryBytes' },
      });
      expect(answer.body.errors[0].message).toMatch(/\(limit maxEntryBytes\)$/);
      printFigures(
        `zip bomb (256 MB inflated, ${lie ? 'lying' : 'honest'} sizes)`,
        answer.status,
        seconds,
        slowest,
        peakRssMb(api.pid!),
      );
      expect(seconds).toBeLessThan(10);
      expect(slowest).toBeLessThan(1000);
    }
    expect(peakRssMb(api.pid!)).toBeLessThan(600);
    // The API still works: the project's own workbook uploads back.
    const ok = await request(base)
      .put(`/projects/${projectId}/logframe.xlsx`)
      .set('Authorization', `Bearer ${manager}`)
      .attach('file', exported, 'logframe.xlsx');
    expect(ok.status).toBe(200);
  });

  it('answers files over the upload sizes with 413 naming the limit (workbook 10 MB, IATI file 20 MB)', async () => {
    const workbook = await request(base)
      .put(`/projects/${projectId}/logframe.xlsx`)
      .set('Authorization', `Bearer ${manager}`)
      .attach('file', Buffer.alloc(10 * MB + 1, 0x20), 'logframe.xlsx');
    expect(workbook.status).toBe(413);
    expect(workbook.body.errors).toEqual([
      {
        path: 'file',
        code: 'too_large',
        params: { limit: 'maxFileBytes', maxBytes: 10 * MB },
        message: 'The file is larger than this upload accepts (10 MB) (limit maxFileBytes)',
      },
    ]);
    const iati = await request(base)
      .post('/imports/iati')
      .set('Authorization', `Bearer ${stack.adminToken}`)
      .attach('file', Buffer.alloc(20 * MB + 1, 0x20), 'large.xml');
    expect(iati.status).toBe(413);
    expect(iati.body.errors[0]).toMatchObject({
      path: 'file',
      code: 'too_large',
      params: { limit: 'maxFileBytes', maxBytes: 20 * MB },
    });
    expect(iati.body.errors[0].message).toBe(
      'The file is larger than this upload accepts (20 MB) (limit maxFileBytes)',
    );
  });

  it('imports a 1,905-activity IATI file (~18 MB) while /health keeps answering in under 1 s', async () => {
    const xml = largeIatiFile(1905);
    expect(xml.length).toBeGreaterThan(15 * MB);
    expect(xml.length).toBeLessThan(20 * MB); // under the upload size limit
    const { answer, seconds, slowest, healthChecks } = await watchingHealth(() =>
      request(base)
        .post('/imports/iati')
        .set('Authorization', `Bearer ${stack.adminToken}`)
        .field('orgUnitCode', 'UP-CO')
        .attach('file', xml, 'large-iati.xml')
        .timeout(500000),
    );
    printFigures('1,905-activity IATI import', answer.status, seconds, slowest, peakRssMb(api.pid!));
    expect(answer.status).toBe(201);
    expect(answer.body.activities).toBe(1905);
    expect(answer.body.projects).toEqual({ created: 1905, updated: 0, unchanged: 0 });
    expect(healthChecks).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(1000);
    expect(peakRssMb(api.pid!)).toBeLessThan(600);
  });
});
