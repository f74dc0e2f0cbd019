import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { DEFAULT_DEMO_PASSWORD, seedDemoUsers } from '#libs/auth';
import { buildDataSourceOptions } from '#libs/database';
import { sdgServiceOn } from '#libs/sdg';
import { createTestDatabase, type TestDatabase, uniqueQueuePrefix } from '#libs/testing';

export const SCREENSHOTS = 'test-results';
export const PASSWORD = DEFAULT_DEMO_PASSWORD;

/**
 * The real product for browser tests: its own database (migrated, SDG framework loaded, demo users
 * seeded), the BUILT API (serving the built web app) and worker as child processes on a free port,
 * and Debian's Chromium (never a downloaded browser).
 */
export interface BrowserStack {
  baseUrl: string;
  db: TestDatabase;
  dataSource: DataSource;
  browser: Browser;
  reused?: false;
  close(): Promise<void>;
}

/** A stack someone else started (see RBM_BROWSER_BASE_URL). */
export interface ReusedStack {
  baseUrl: string;
  browser: Browser;
  reused: true;
  close(): Promise<void>;
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

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Launches Debian's Chromium (CHROMIUM_PATH overrides the path; never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function startBrowserStack(): Promise<BrowserStack | ReusedStack> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Failure captures of an earlier run would read as this run's.
  for (const f of readdirSync(SCREENSHOTS)) if (f.startsWith('failure-')) rmSync(`${SCREENSHOTS}/${f}`);
  // While writing a test, RBM_BROWSER_BASE_URL points at an API already running (with demo users);
  // CI never sets it, so every real run has its own database and processes.
  const reuse = process.env.RBM_BROWSER_BASE_URL;
  if (reuse) {
    const browser = await launchChromium();
    return { baseUrl: reuse, browser, reused: true, close: () => browser.close() };
  }
  const db = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions(db.url));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await sdgServiceOn(dataSource).load();
  await seedDemoUsers(dataSource, { password: PASSWORD, nodeEnv: 'test' });

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
  const processes: ChildProcess[] = ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js'].map((file) =>
    spawn(process.execPath, [file], { env, stdio: ['ignore', 'inherit', 'inherit'] }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const stopProcesses = () =>
    Promise.all(
      processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
  try {
    // Boot takes a few seconds, much longer when the machine is shared and busy.
    const deadline = Date.now() + 150000;
    for (;;) {
      const exited = processes.find((p) => p.exitCode !== null);
      if (exited) throw new Error(`${exited.spawnargs[1]} exited with ${exited.exitCode} before the app answered`);
      const ok = await fetch(`${baseUrl}/app/`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('the API did not answer within 150 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stopProcesses();
    await dataSource.destroy();
    await db.drop();
    throw error;
  }
  const browser = await launchChromium();
  return {
    baseUrl,
    db,
    dataSource,
    browser,
    async close() {
      await browser.close();
      await stopProcesses();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * Console errors, page errors and CSP violations of a page. `expect(...)` lets a step declare the
 * one kind of failed-request log it causes on purpose (a 409 when testing a stale save).
 */
export function watchConsole(page: Page): { errors: string[]; allow(pattern: RegExp): void } {
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !allowed.some((a) => a.test(msg.text()))) errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { errors, allow: (pattern) => allowed.push(pattern) };
}

/** Serious and critical axe-core violations of the page as it is now (empty when clean). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The text of every badge on the page whose label is cut to an ellipsis (empty when none is). */
export async function clippedBadges(page: Page): Promise<string[]> {
  return page
    .locator('.mantine-Badge-label')
    .evaluateAll((labels) =>
      labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => (l.textContent ?? '').trim()),
    );
}

/**
 * Runs one step of a browser test; when it fails, writes `failure-<name>.png` and the page's visible
 * text beside it under test-results/ before rethrowing, so a CI failure can be read without a rerun.
 */
export async function capturing<T>(page: Page, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const file = `${SCREENSHOTS}/failure-${name.replace(/[^a-z0-9-]+/gi, '-')}`;
    await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
    const text = await page
      .locator('body')
      .innerText()
      .catch(() => '');
    writeFileSync(`${file}.txt`, `${page.url()}\n\n${text}`);
    throw error;
  }
}

/**
 * A full-page screenshot as a reader sees the page from its top: scrolled to the top first, so the sticky
 * header is drawn at the top and not where the last step left the viewport.
 */
export async function pageShot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
