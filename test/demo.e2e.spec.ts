import { execFile, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase, uniqueQueuePrefix } from '#libs/testing';
import { xmllint } from './support/iati-fixture.js';

const run = promisify(execFile);
const CLI = resolve(process.cwd(), 'dist/apps/cli/src/main.js');
const API = resolve(process.cwd(), 'dist/apps/api/src/main.js');

/** Runs a built entry point; resolves with its exit code and output (never rejects). */
async function node(script: string, args: string[], env: Record<string, string>, cwd: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      cwd,
      timeout: 150_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// The README's first command ends with `node dist/apps/cli/src/main.js demo` (npm test builds dist first).
describe('the main job: npm run demo on the shipped GDI Hub file', () => {
  let db: TestDatabase;
  let cwd: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    cwd = mkdtempSync(join(tmpdir(), 'rbm-demo-'));
    env = { DATABASE_URL: db.url, QUEUE_PREFIX: uniqueQueuePrefix(), LOG_LEVEL: 'warn', RELAY_INTERVAL_MS: '200' };
  });
  afterAll(async () => {
    await db?.drop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('imports, runs the worker, writes JSON and CSV for the 4 projects and prints their tables', async () => {
    const first = await node(CLI, ['demo'], env, cwd);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'SDG framework: 17 goals, 169 targets, 251 indicator codes (235 distinct indicators)',
    );
    expect(first.stdout).toContain('projects 4 created');
    expect(first.stdout).toContain(
      "Demo users (password 'rbm-demo-2026'): admin@demo.rbm (admin), manager@demo.rbm (project_manager @ GDI-PO), focal@demo.rbm (rbm_focal_point @ HQ), donor@demo.rbm (donor for GB-GOV-3)",
    );
    expect(first.stdout.match(/Report requested by manager@demo\.rbm for GB-COH-11126312-Cluster\d/g)).toHaveLength(4);
    expect(
      first.stdout.match(
        /checklist passed \(\d+ warning\(s\)\); submitted by manager@demo\.rbm, approved by focal@demo\.rbm as revision 1/g,
      ),
    ).toHaveLength(4);
    expect(
      first.stdout.match(/logframe revision 1 \(approved, approved by focal@demo\.rbm on \d{4}-\d{2}-\d{2}\)/g),
    ).toHaveLength(4);
    // Cluster 4, OP1-I4 (latest, b = 0): 13594502 / 13000000 = 1.045730... -> 104.6 % -> on_track.
    expect(first.stdout).toMatch(
      /OP1-I4 Value of matched funding[\s\S]*13594502 \/ 13000000[\s\S]*104\.6[\s\S]*on_track/,
    );
    const files = readdirSync(join(cwd, 'out'))
      .filter((f) => /\.(json|csv)$/.test(f))
      .sort();
    expect(files).toEqual([
      'GB-COH-11126312-Cluster1-2022-Q2.csv',
      'GB-COH-11126312-Cluster1-2022-Q2.json',
      'GB-COH-11126312-Cluster2-2022-Q1.csv',
      'GB-COH-11126312-Cluster2-2022-Q1.json',
      'GB-COH-11126312-Cluster3-2022-Q2.csv',
      'GB-COH-11126312-Cluster3-2022-Q2.json',
      'GB-COH-11126312-Cluster4-2022-Q1.csv',
      'GB-COH-11126312-Cluster4-2022-Q1.json',
    ]);
    const json = JSON.parse(readFileSync(join(cwd, 'out', 'GB-COH-11126312-Cluster4-2022-Q1.json'), 'utf8'));
    // The demo manager linked the imported outputs to an outcome; the focal point approved revision 1.
    expect(json.unlinkedOutputs).toEqual([]);
    expect(json.outcomes[0].outputs[0].indicators[3]).toMatchObject({
      code: 'OP1-I4',
      unit: 'GBP',
      actualToDate: 13594502,
      achievementPercent: 104.6,
    });
    expect(json.revision).toMatchObject({
      number: 1,
      status: 'approved',
      approvedBy: 'Demo RBM Focal Point',
      approvedByRole: 'rbm_focal_point',
    });
    // The quarter went through the progress workflow: validated, so the report is donor-ready.
    expect(json).toMatchObject({ internal: false, validation: { status: 'validated', restated: false } });
    expect(json.outcomes[0].rating).toEqual({
      rating: 'on_track',
      justification: expect.stringContaining('Outputs are at or above their targets'),
    });
    expect(
      first.stdout.match(
        /submitted by manager@demo\.rbm \(outcome rated (on_track|at_risk)\), validated by focal@demo\.rbm/g,
      ),
    ).toHaveLength(4);
    // Cluster 2, OP1-I2: 4 cohorts against 5 -> 80 % -> at_risk, with the manager's explanation of variance.
    const cluster2 = JSON.parse(readFileSync(join(cwd, 'out', 'GB-COH-11126312-Cluster2-2022-Q1.json'), 'utf8'));
    expect(cluster2.outcomes[0].outputs[0].indicators[1]).toMatchObject({
      code: 'OP1-I2',
      achievementPercent: 80,
      status: 'at_risk',
      varianceExplanation: expect.stringContaining('fifth Innovate Now cohort'),
    });
    expect(cluster2.outcomes[0]).toMatchObject({ computedStatus: 'no_data', rating: { rating: 'at_risk' } });
    // IATI export after the approvals and validations: the 4 projects, 3 periods longer than a year
    // (2021-03-31..2022-04-01 twice, 2020-04-01..2022-03-31), a schema-valid file.
    expect(first.stdout).toContain(
      'IATI 2.03 export: 4 activities written to out/iati-activities.xml; 0 errors, 3 warnings',
    );
    expect(
      first.stdout.match(/warning period_longer_than_year at iati-activity\[GB-COH-11126312-Cluster\d\]/g),
    ).toHaveLength(3);
    const iati = readFileSync(join(cwd, 'out', 'iati-activities.xml'), 'utf8');
    expect(xmllint(iati)).toEqual({ valid: true, output: '' });
    expect(iati.match(/<iati-activity /g)).toHaveLength(4);
  }, 300_000);

  it("npm run export:iati writes the same schema-valid file to standard output, even behind npm's banner", async () => {
    const file = join(cwd, 'export.xml');
    const fd = openSync(file, 'w');
    // What `npm run export:iati > file` leaves in the file before the command starts.
    writeSync(fd, '\n> rbm-tracker@0.1.0 export:iati\n> node dist/apps/cli/src/main.js export-iati\n\n');
    const result = spawnSync(process.execPath, [CLI, 'export-iati', '--donor', 'GB-GOV-3'], {
      env: { ...process.env, ...env },
      cwd,
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      timeout: 120_000,
    });
    closeSync(fd);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('IATI export: 4 activities, 0 projects kept out, 0 errors, 3 warnings');
    const xml = readFileSync(file, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xmllint(xml)).toEqual({ valid: true, output: '' });
    expect(xml.match(/<iati-activity /g)).toHaveLength(4);
  }, 120_000);

  it('duplicates nothing when run twice', async () => {
    const second = await node(CLI, ['demo'], env, cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('projects 0 created, 0 updated, 4 unchanged');
    expect(second.stdout.match(/already exists, version 1/g)).toHaveLength(4);
    expect(second.stdout.match(/revision 1 already approved/g)).toHaveLength(4);
    expect(second.stdout.match(/already validated/g)).toHaveLength(4);
  });

  it('never seeds demo users in production unless asked', async () => {
    const refused = await node(
      CLI,
      ['seed-demo-users'],
      { ...env, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) },
      cwd,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Demo users are never created in production unless asked (--force)');
    const forced = await node(
      CLI,
      ['seed-demo-users', '--force'],
      { ...env, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) },
      cwd,
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('manager@demo.rbm (project_manager)');
  });

  it('exits non-zero naming Redis and how to start it when Redis is down', async () => {
    const down = await node(CLI, ['demo'], { ...env, REDIS_URL: 'redis://127.0.0.1:6' }, cwd);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain('Redis is not reachable at redis://127.0.0.1:6');
    expect(down.stderr).toContain('redis-server --daemonize yes');
  });

  it('exits non-zero naming PostgreSQL when it is down', async () => {
    const down = await node(CLI, ['demo'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:9/rbm' }, cwd);
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain('PostgreSQL is not reachable at 127.0.0.1:9');
  });

  it('refuses to boot with a bad variable, naming it', async () => {
    const bad = await node(API, [], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' }, cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/PORT: [^;]*PORT must be an integer/);
    expect(bad.stderr).toContain('DATABASE_URL: DATABASE_URL must be a postgres:// URL');
  });
});
