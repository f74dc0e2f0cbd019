/**
 * Web app bench (on demand, never in CI): `npm run bench:web`. Prints, beside their budgets:
 * - the initial JavaScript of the built app (dist/web/index.html's entry script and module preloads),
 *   gzip-compressed (budget 250 kB); the lazily loaded route chunks are listed apart;
 * - the time the project page of a 60-indicator logframe takes to be ready in this machine's Chromium
 *   (budget 1.5 s): from navigation start until the heading, the QA checklist and every outcome and
 *   output card are on screen, measured in the page (`performance.now()`), cold (first visit) and warm
 *   (median of the following visits).
 * The project comes from the portfolio generator (bench/portfolio.ts: 60 indicators, approved revision),
 * in its own database, served by the built API and worker as child processes. Asserts nothing.
 * Needs PostgreSQL ($TEST_ADMIN_DATABASE_URL), Redis ($REDIS_URL), Debian's Chromium (/usr/bin/chromium
 * or $CHROMIUM_PATH) and a build (`npm run bench:web` builds).
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEFAULT_DEMO_PASSWORD } from '#libs/auth';
import { repoPath } from '#libs/common';
import { buildDataSourceOptions } from '#libs/database';
import { createTestDatabase, uniqueQueuePrefix } from '#libs/testing';
import { seedPortfolio } from './portfolio.js';

const JS_BUDGET_KB = 250;
const READY_BUDGET_MS = 1500;
const VISITS = 6;

/** Kilobytes of 1,000 bytes (as Vite prints them). */
const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const gzipSize = (file: string) => gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }).length;

/** The initial JavaScript of the built app (entry + module preloads) and the other chunks, gzip bytes. */
function initialJavaScript(): { initial: Array<[string, number]>; lazy: Array<[string, number]> } {
  const html = readFileSync(repoPath('dist', 'web', 'index.html'), 'utf8');
  const initialFiles = [...html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const all = readdirSync(repoPath('dist', 'web', 'assets')).filter((f) => f.endsWith('.js'));
  const size = (f: string): [string, number] => [f, gzipSize(repoPath('dist', 'web', f))];
  return {
    initial: initialFiles.map(size),
    lazy: all
      .map((f) => `assets/${f}`)
      .filter((f) => !initialFiles.includes(f))
      .map(size),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const { initial, lazy } = initialJavaScript();
  const initialBytes = initial.reduce((n, [, b]) => n + b, 0);
  console.log(`Initial JavaScript (gzip): ${kb(initialBytes)} kB (budget ${JS_BUDGET_KB} kB)`);
  for (const [f, b] of initial) console.log(`  ${f}  ${kb(b)} kB`);
  console.log(`Lazy chunks (gzip): ${kb(lazy.reduce((n, [, b]) => n + b, 0))} kB in ${lazy.length} files`);
  for (const [f, b] of lazy) console.log(`  ${f}  ${kb(b)} kB`);

  const db = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions(db.url));
  const processes: ChildProcess[] = [];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await seedPortfolio(dataSource, 1);
    const [project] = (await dataSource.query(
      `SELECT p.id, p.code, (SELECT count(*) FROM indicator i JOIN logframe_revision r ON r.id = i.revision_id
                              WHERE r.project_id = p.id)::int AS indicators,
              (SELECT count(*) FROM outcome o JOIN logframe_revision r ON r.id = o.revision_id WHERE r.project_id = p.id)::int
            + (SELECT count(*) FROM output o JOIN logframe_revision r ON r.id = o.revision_id WHERE r.project_id = p.id)::int AS cards
         FROM project p ORDER BY p.code LIMIT 1`,
    )) as Array<{ id: string; code: string; indicators: number; cards: number }>;

    const port = await freePort();
    const env = {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniqueQueuePrefix(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    };
    for (const file of ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'])
      processes.push(spawn(process.execPath, [file], { env, stdio: ['ignore', 'inherit', 'inherit'] }));
    const baseUrl = `http://127.0.0.1:${port}`;
    for (
      let waited = 0;
      !(await fetch(`${baseUrl}/app/`).then(
        (r) => r.ok,
        () => false,
      ));
      waited += 250
    ) {
      if (waited > 60000) throw new Error('the API did not start within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(`${baseUrl}/app/`);
    await page.getByLabel('Email').fill('admin@demo.rbm');
    await page.locator('input[type=password]').fill(DEFAULT_DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My projects' }).waitFor();

    console.log(
      `Project page of ${project.code}: ${project.indicators} indicators, ${project.cards} outcome and output cards`,
    );
    const times: number[] = [];
    for (let visit = 0; visit < VISITS; visit++) {
      // A full page load each time (the session resumes from the refresh cookie), as a deep link opens.
      await page.goto(`${baseUrl}/app/projects/${project.id}/logframe`, { waitUntil: 'commit' });
      await page.getByTestId('checklist-state').waitFor();
      // Every outcome and output card (not the indicator cards inside them) is rendered.
      await page.waitForFunction(
        `document.querySelectorAll('[data-path^="outcomes"]:not([data-path*="indicators"])').length >= ${project.cards}`,
      );
      times.push(await page.evaluate(() => performance.now()));
    }
    const profileFile = process.env.BENCH_WEB_PROFILE;
    if (profileFile) {
      // One more visit under the CPU profiler (chrome://inspect or speedscope read the file).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
      await page.goto(`${baseUrl}/app/projects/${project.id}/logframe`, { waitUntil: 'commit' });
      await page.getByTestId('checklist-state').waitFor();
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      console.log(`CPU profile of one more visit: ${profileFile}`);
    }
    const [cold, ...warm] = times;
    const median = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)];
    console.log(
      `Project page ready: cold ${cold.toFixed(0)} ms, warm median ${median.toFixed(0)} ms of ${warm.length} (budget ${READY_BUDGET_MS} ms)`,
    );
    console.log(`  visits: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    // Where the last visit's time went: each request's start and end since navigation start.
    const requests = (await page.evaluate(
      `performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, Math.round(e.startTime), Math.round(e.responseEnd)])`,
    )) as Array<[string, number, number]>;
    for (const [path, start, end] of requests) console.log(`  ${start}-${end} ms  ${path}`);
    await context.close();
  } finally {
    await browser.close();
    await Promise.all(processes.map(stop));
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.drop();
  }
}

await main();
