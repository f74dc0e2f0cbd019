import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import {
  axeViolations,
  capturing,
  clippedBadges,
  pageShot,
  PASSWORD,
  startBrowserStack,
  watchConsole,
  type BrowserStack,
  type ReusedStack,
} from './browser-stack.js';

/**
 * The project manager's first day, in a real Chromium against the built API, worker, PostgreSQL and
 * Redis: sign in, create a project, build a logframe of 1 outcome, 2 outputs and 4 indicators of
 * different measures with SDG links, watch the QA checklist turn green, survive a stale save, submit;
 * reload a deep link; every page axe-clean and free of console errors; screenshots in English and
 * Arabic under test-results/.
 */
/** The logframe document as far as this test touches it. */
interface Doc {
  version: number;
  projectId?: string;
  revision?: unknown;
  outcomes: Array<{
    statement: string;
    indicators: Array<Record<string, unknown>>;
    outputs: Array<{ statement: string; indicators: Array<Record<string, unknown>> }>;
  }>;
}

describe('web app in Chromium', () => {
  let stack: BrowserStack | ReusedStack;
  let code = 'WEB-1';
  let context: BrowserContext;
  let page: Page;
  let console_: ReturnType<typeof watchConsole>;
  let projectPath = '';
  const axe: Record<string, string[]> = {};

  beforeAll(async () => {
    stack = await startBrowserStack();
    if (stack.reused) code = `WEB-${Date.now().toString(36)}`;
    context = await stack.browser.newContext({
      timezoneId: 'America/Lima',
      locale: 'en-US',
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(stack.reused ? 8000 : 20000);
    console_ = watchConsole(page);
  });
  afterAll(async () => {
    await context?.close();
    await stack?.close();
  });

  const shot = (name: string) => pageShot(page, name);
  const check = async (name: string) => {
    axe[name] = await axeViolations(page);
    expect({ page: name, violations: axe[name] }).toEqual({ page: name, violations: [] });
  };
  /** A test step on the manager's page: a failure leaves a screenshot and the page text in test-results/. */
  const step = (name: string, fn: () => Promise<void>) => it(name, () => capturing(page, name, fn));
  const card = (path: string): Locator => page.locator(`[data-path="${path}"]`).first();

  step('signs the manager in', async () => {
    await page.goto(`${stack.baseUrl}/`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
    await page.getByLabel('Email').fill('manager@demo.rbm');
    await page.locator('input[type=password]').fill(PASSWORD);
    await shot('sign-in-en');
    await check('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My projects' }).waitFor();
    expect(page.url()).toBe(`${stack.baseUrl}/app/`);
  });

  step('creates a project from the projects page', async () => {
    if (!stack.reused) {
      await page.getByText('No project is assigned to you yet').waitFor();
      await check('projects-empty');
    }
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Code').fill(code);
    await dialog.getByLabel('Title').fill('Faster justice for firearms trafficking cases');
    await dialog.getByLabel('Start date').fill('2026-01-01');
    await dialog.getByLabel('End date').fill('2026-12-31');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/app\/projects\/[0-9a-f-]{36}\/logframe$/);
    projectPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: new RegExp(code) }).waitFor();
    await page.getByTestId('checklist-state').waitFor();
    await shot('logframe-empty-en');
    await check('logframe-empty');
  });

  /** Picks an SDG target or indicator in the picker with this id by typing its code. */
  async function pickSdg(scope: Locator, label: string, code: string) {
    const input = scope.getByLabel(label, { exact: true }).last();
    await input.click();
    await input.fill(code);
    await page.getByRole('option', { name: new RegExp(`^${code.replace('.', '\\.')} —`) }).click();
  }

  step('fills the project fields: theory of change', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page
      .getByLabel('Theory of change')
      .fill('If prosecutors are trained and courts equipped, cases reach a verdict faster.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await shot('overview-en');
    await check('overview');
    await page.getByRole('tab', { name: 'Logframe' }).click();
    expect(new URL(page.url()).pathname).toBe(projectPath);
  });

  step('builds 1 outcome, 2 outputs and 4 indicators of different measures with SDG links', async () => {
    const project = card('project');
    await project.getByRole('button', { name: 'Add SDG target' }).click();
    await pickSdg(project, 'SDG target', '16.4');
    await project.getByLabel('Rationale').fill('Fewer trafficked firearms reduce illicit arms flows.');
    await project.getByRole('button', { name: 'Add assumption or risk' }).click();
    await project.getByLabel('Statement').fill('Courts keep firearms cases a priority.');

    await page.getByRole('button', { name: 'Add outcome' }).click();
    const oc = card('outcomes[0]');
    await oc.getByLabel('Outcome statement').fill('Firearms trafficking cases reach a verdict faster');
    await oc.getByRole('button', { name: 'Add SDG target' }).click();
    await pickSdg(oc, 'SDG target', '16.4');

    // Outcome indicator: a percentage (aggregation switches to "latest" by itself).
    await oc.getByRole('button', { name: 'Add indicator' }).first().click();
    await fillIndicator(card('outcomes[0].indicators[0]'), {
      measure: 'percentage',
      title: 'Share of referred cases reaching a verdict',
      unit: 'percent',
      baseline: '20',
      endTarget: '45',
      mov: 'Court registry records',
      sdgIndicator: '16.4.2',
    });

    await oc.getByRole('button', { name: 'Add output' }).click();
    const op1 = card('outcomes[0].outputs[0]');
    await op1.getByLabel('Output statement').fill('Prosecutors are trained to investigate firearms trafficking');
    await op1.getByRole('button', { name: 'Add indicator' }).click();
    // A number indicator with quarterly targets typed as a French user would: 1 234,5 is 1234.5.
    await fillIndicator(card('outcomes[0].outputs[0].indicators[0]'), {
      measure: 'number',
      title: 'Training hours delivered',
      unit: 'hours',
      baseline: '0',
      endTarget: '400',
      mov: 'Attendance sheets',
      quarters: ['100', '100', '100', '100'],
    });
    await op1.getByRole('button', { name: 'Add indicator' }).click();
    await fillIndicator(card('outcomes[0].outputs[0].indicators[1]'), {
      measure: 'qualitative',
      title: 'Quality of the investigation manual',
      baselineText: 'No manual exists',
      endTargetText: 'A manual adopted by the prosecution service',
      mov: 'Published manual',
    });

    await oc.getByRole('button', { name: 'Add output' }).click();
    const op2 = card('outcomes[0].outputs[1]');
    await op2.getByLabel('Output statement').fill('Courts use a case management system');
    await op2.getByRole('button', { name: 'Add indicator' }).click();
    await fillIndicator(card('outcomes[0].outputs[1].indicators[0]'), {
      measure: 'ordinal',
      title: 'Case management maturity score',
      unit: 'score',
      baseline: '1',
      endTarget: '4',
      mov: 'Annual assessment',
    });
    await shot('logframe-editing-en');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('save-state').getByText('All changes saved').waitFor();
  });

  step('shows the QA checklist green once the logframe is complete', async () => {
    await page.getByTestId('checklist-state').getByText('Ready to submit').waitFor();
    expect(await clippedBadges(page)).toEqual([]);
    await shot('logframe-editor-en');
    await check('logframe-editor');
  });

  step('keeps the edits of a stale save and shows what the other person changed', async () => {
    // Someone else (the same manager, from a script) saves a change meanwhile.
    const projectId = projectPath.split('/')[3];
    const login = await fetch(`${stack.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'manager@demo.rbm', password: PASSWORD }),
    }).then((r) => r.json() as Promise<{ accessToken: string }>);
    const auth = { Authorization: `Bearer ${login.accessToken}`, 'Content-Type': 'application/json' };
    const doc = (await fetch(`${stack.baseUrl}/projects/${projectId}/logframe`, { headers: auth }).then((r) =>
      r.json(),
    )) as Doc;
    for (const i of [...doc.outcomes[0].indicators, ...doc.outcomes[0].outputs.flatMap((o) => o.indicators)])
      for (const k of ['actualCount', 'retired', 'impliedSdgTargetCode', 'flags']) delete i[k];
    delete doc.projectId;
    delete doc.revision;
    doc.outcomes[0].outputs[1].statement = 'Courts use an electronic case management system';
    const put = await fetch(`${stack.baseUrl}/projects/${projectId}/logframe`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify(doc),
    });
    expect(put.status).toBe(200);

    // Meanwhile in the browser: an edit, then Save with the old version.
    const statement = card('outcomes[0]').getByLabel('Outcome statement');
    await statement.fill('Firearms trafficking cases reach a verdict within a year');
    console_.allow(/status of 409/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    await expect(conflict.getByText('Courts use an electronic case management system')).toBeTruthy();
    expect(await conflict.getByRole('cell', { name: 'Courts use an electronic case management system' }).count()).toBe(
      1,
    );
    expect(await statement.inputValue()).toBe('Firearms trafficking cases reach a verdict within a year');
    await shot('logframe-conflict-en');
    await check('logframe-conflict');
    await conflict.getByRole('button', { name: 'Keep my edits (then save again)' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('save-state').getByText('All changes saved').waitFor();
    const saved = (await fetch(`${stack.baseUrl}/projects/${projectId}/logframe`, { headers: auth }).then((r) =>
      r.json(),
    )) as Doc;
    expect(saved.outcomes[0].statement).toBe('Firearms trafficking cases reach a verdict within a year');
    // Keeping my edits on top of theirs re-sent my whole document, so their statement is replaced by the version I had.
    expect(saved.version).toBe(doc.version + 2);
  });

  step('submits for review', async () => {
    await page.getByTestId('checklist-state').getByText('Ready to submit').waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted: an RBM focal point will review it.').waitFor();
    await page.getByText('Rev. 1 · submitted').first().waitFor();
    // Submitted, the revision cannot be edited: its checklist no longer says "Ready to submit".
    await page.getByTestId('checklist-state').getByText('All checks pass').waitFor();
  });

  step('reloads a deep link: the session resumes from the refresh cookie', async () => {
    await page.reload();
    await page.getByRole('heading', { name: new RegExp(code) }).waitFor();
    await page.getByText('This revision is submitted: it cannot be edited.').waitFor();
    expect(new URL(page.url()).pathname).toBe(projectPath);
    // Calendar dates stay on their day in Lima (UTC−5): 2026-01-01 is never shown as 31 Dec 2025.
    await card('outcomes[0].outputs[0]')
      .getByRole('button', { name: /Output OP1\.1$/ })
      .click();
    const hours = card('outcomes[0].outputs[0].indicators[0]');
    await hours.getByRole('button', { name: /Indicator OP1\.1\.1/ }).click();
    await hours.getByRole('tab', { name: 'Baseline and targets' }).click();
    await hours.getByText('Jan 1, 2026 – Mar 31, 2026').waitFor();
    await hours.getByText('Oct 1, 2026 – Dec 31, 2026').waitFor();
  });

  step('shows the workbook tab', async () => {
    await page.getByRole('tab', { name: 'Workbook' }).click();
    await page.getByRole('button', { name: 'Download .xlsx' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(projectPath.replace(/logframe$/, 'workbook'));
    await shot('workbook-en');
    await check('workbook');
  });

  step('lists the project with its office, SDG target and logframe state', async () => {
    // Funded by the demo donor, whose long name in the Donors column narrows the logframe column.
    const login = await fetch(`${stack.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'manager@demo.rbm', password: PASSWORD }),
    }).then((r) => r.json() as Promise<{ accessToken: string }>);
    const auth = { Authorization: `Bearer ${login.accessToken}`, 'Content-Type': 'application/json' };
    const donors = (await fetch(`${stack.baseUrl}/donors`, { headers: auth }).then((r) => r.json())) as {
      items: Array<{ id: string; iatiOrgRef: string | null }>;
    };
    const fcdo = donors.items.find((d) => d.iatiOrgRef === 'GB-GOV-3')!;
    const funding = await fetch(`${stack.baseUrl}/projects/${projectPath.split('/')[3]}/funding-agreements`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        donorId: fcdo.id,
        amount: 250000,
        currency: 'GBP',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
      }),
    });
    expect(funding.status).toBe(201);
    await page.getByRole('navigation').getByRole('link', { name: 'My projects' }).click();
    await page.getByRole('heading', { name: 'My projects' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(new RegExp(`q=${code}`));
    const row = page.getByRole('row', { name: new RegExp(code) });
    await row.waitFor();
    expect(await row.getByText('16.4').count()).toBe(1);
    expect(await row.getByText('Foreign, Commonwealth and Development Office (FCDO)').count()).toBe(1);
    expect(await row.getByText('Rev. 1 · submitted').count()).toBe(1);
    expect(await row.getByText('No indicator overdue').count()).toBe(1);
    // The logframe state stays readable in the narrow column (it was cut to "Rev. 1 · sub…").
    expect(await clippedBadges(page)).toEqual([]);
    await shot('projects-en');
    await check('projects');
  });

  it('logged no console error and no CSP violation', () => {
    expect(console_.errors).toEqual([]);
  });

  it('works right to left in Arabic, in Kathmandu (UTC+5:45), axe-clean', async () => {
    const ar = await stack.browser.newContext({
      timezoneId: 'Asia/Kathmandu',
      locale: 'ar',
      viewport: { width: 1280, height: 900 },
    });
    const p = await ar.newPage();
    p.setDefaultTimeout(stack.reused ? 8000 : 20000);
    const log = watchConsole(p);
    await capturing(p, 'arabic', async () => {
      const arShot = (name: string) => pageShot(p, name);
      const arCheck = async (name: string) =>
        expect({ page: name, violations: await axeViolations(p) }).toEqual({ page: name, violations: [] });
      await p.goto(`${stack.baseUrl}/app/`);
      // The browser asks for Arabic: the app starts in Arabic, right to left.
      await p.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor();
      expect([await p.locator('html').getAttribute('lang'), await p.locator('html').getAttribute('dir')]).toEqual([
        'ar',
        'rtl',
      ]);
      // Codes and identifiers read left to right in the Arabic page: the e-mail as it is typed.
      const isLtrInput = (l: Locator) => l.evaluate((el) => el.matches(':dir(ltr)'));
      expect(await isLtrInput(p.getByLabel('البريد الإلكتروني'))).toBe(true);
      await p.getByLabel('البريد الإلكتروني').fill('manager@demo.rbm');
      await p.locator('input[type=password]').fill(PASSWORD);
      await arShot('sign-in-ar');
      await arCheck('sign-in-ar');
      await p.getByRole('button', { name: 'دخول' }).click();
      await p.getByRole('heading', { name: 'مشاريعي' }).waitFor();
      await p.getByLabel('بحث', { exact: true }).fill(code);
      await p.getByRole('button', { name: 'بحث', exact: true }).click();
      const row = p.getByRole('row', { name: new RegExp(code) });
      await row.waitFor();
      // Latin digits by default (ar-u-nu-latn).
      expect(await row.getByText('المراجعة 1 · مُقدَّمة').count()).toBe(1);
      expect(await clippedBadges(p)).toEqual([]);
      await arShot('projects-ar');
      await arCheck('projects-ar');
      await row.getByRole('link', { name: code }).click();
      await p.getByTestId('checklist-state').waitFor();
      // The project code in the title: one left-to-right run, never broken at its hyphen.
      const titleCode = p.getByRole('heading', { level: 1 }).locator('.code-text');
      expect(
        await titleCode.evaluate((el) => ({
          text: el.textContent,
          ltr: el.matches(':dir(ltr)'),
          whiteSpace: el.ownerDocument.defaultView!.getComputedStyle(el).whiteSpace,
          lines: el.getClientRects().length,
        })),
      ).toEqual({ text: code, ltr: true, whiteSpace: 'nowrap', lines: 1 });
      await p
        .locator('[data-path="outcomes[0].outputs[0]"]')
        .getByRole('button', { name: /OP1\.1$/ })
        .first()
        .click();
      const hours = p.locator('[data-path="outcomes[0].outputs[0].indicators[0]"]');
      await hours.getByRole('button', { name: /OP1\.1\.1/ }).click();
      // The indicator's code field reads left to right (its label stays right to left).
      expect(await isLtrInput(hours.getByLabel('الرمز', { exact: true }))).toBe(true);
      expect(await isLtrInput(hours.getByText('الرمز', { exact: true }))).toBe(false);
      await hours.getByRole('tab', { name: 'خط الأساس والقيم المستهدفة' }).click();
      // 2026-01-01 stays 1 January in UTC+5:45 too, with Latin digits.
      await hours.getByText(/^01\u200f?\/01\u200f?\/2026 – 31\u200f?\/03\u200f?\/2026$/).waitFor();
      // English text in the Arabic page keeps its own direction: the assumption's final period stays at its
      // end, and so does the output's title in its card header (both were laid out right to left).
      const isLtr = (l: Locator) => l.evaluate((el) => el.matches(':dir(ltr)'));
      expect(await isLtr(p.locator('[data-path="project"]').getByLabel('النص'))).toBe(true);
      expect(await isLtr(p.locator('[data-path="outcomes[0].outputs[0]"]').locator('.card-title').first())).toBe(true);
      expect(await isLtr(p.getByRole('heading', { name: 'قائمة التحقق من الجودة' }))).toBe(false);
      await arShot('logframe-editor-ar');
      await arCheck('logframe-editor-ar');
      await p.getByRole('tab', { name: 'نظرة عامة' }).click();
      await p.getByLabel('نظرية التغيير').waitFor();
      // The office code, as GDI-PO — its name: left to right and whole.
      const officeCode = p.locator('.code-text', { hasText: 'GDI-PO' });
      expect(
        await officeCode.evaluate((el) => [
          el.matches(':dir(ltr)'),
          el.ownerDocument.defaultView!.getComputedStyle(el).whiteSpace,
        ]),
      ).toEqual([true, 'nowrap']);
      await arShot('overview-ar');
      await arCheck('overview-ar');
      await p.getByRole('tab', { name: 'المصنف' }).click();
      await p.getByRole('button', { name: 'تنزيل ‎.xlsx' }).waitFor();
      await arShot('workbook-ar');
      await arCheck('workbook-ar');
      expect(log.errors).toEqual([]);
    });
    await ar.close();
  });

  /** An access token of a demo user, for the steps a script takes beside the browser. */
  async function bearer(email: string): Promise<Record<string, string>> {
    const login = await fetch(`${stack.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    }).then((r) => r.json() as Promise<{ accessToken: string }>);
    return { Authorization: `Bearer ${login.accessToken}`, 'Content-Type': 'application/json' };
  }

  it('shows the donor the approved logframe read only, asking nothing the API refuses donors', async () => {
    // The focal point approves revision 1 (the project is funded by FCDO since the projects step).
    const projectId = projectPath.split('/')[3];
    const focal = await bearer('focal@demo.rbm');
    const [rev] = (await fetch(`${stack.baseUrl}/projects/${projectId}/revisions`, { headers: focal }).then((r) =>
      r.json(),
    )) as Array<{ number: number; version: number }>;
    const approve = await fetch(`${stack.baseUrl}/projects/${projectId}/revisions/${rev.number}/approve`, {
      method: 'POST',
      headers: focal,
      body: JSON.stringify({ version: rev.version }),
    });
    expect(approve.status).toBe(201);

    const donorContext = await stack.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const d = await donorContext.newPage();
    d.setDefaultTimeout(stack.reused ? 8000 : 20000);
    const log = watchConsole(d);
    // Every API answer the donor's pages got, and every QA-workflow request they made.
    const refused: string[] = [];
    const qaRequests: string[] = [];
    d.on('response', (r) => {
      if (r.status() === 403 || r.status() === 401) refused.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    d.on('request', (r) => {
      if (/\/projects\/[^/]+\/(revisions|checklist|comments|audit)\b/.test(new URL(r.url()).pathname))
        qaRequests.push(`${r.method()} ${r.url()}`);
    });
    await capturing(d, 'donor', async () => {
      const donorCheck = async (name: string) =>
        expect({ page: name, violations: await axeViolations(d) }).toEqual({ page: name, violations: [] });
      await d.goto(`${stack.baseUrl}/app/`);
      await d.getByLabel('Email').fill('donor@demo.rbm');
      await d.locator('input[type=password]').fill(PASSWORD);
      await d.getByRole('button', { name: 'Sign in' }).click();
      await d.getByRole('heading', { name: 'My projects' }).waitFor();
      expect(await d.getByRole('button', { name: 'New project' }).count()).toBe(0);
      await d
        .getByRole('row', { name: new RegExp(code) })
        .getByRole('link', { name: code })
        .click();
      await d.waitForURL(new RegExp(`/app/projects/${projectPath.split('/')[3]}`));

      // The approved logframe, its revision named, read only, without the QA checklist.
      await d.getByTestId('donor-view').waitFor();
      expect(await d.getByTestId('revision-state').textContent()).toBe('Rev. 1 · approved');
      const outcome = d.locator('[data-path="outcomes[0]"]').first();
      expect(await outcome.locator('.card-title').first().innerText()).toBe(
        'Firearms trafficking cases reach a verdict within a year',
      );
      expect(await outcome.getByLabel('Outcome statement').isDisabled()).toBe(true);
      // The card's toggle keeps the space between its kind and its code ("OutcomeOC1" once ran together).
      expect(await outcome.locator('.card-toggle').first().innerText()).toContain('Outcome OC1');
      expect(await d.getByRole('heading', { name: 'QA checklist' }).count()).toBe(0);
      expect(await d.getByTestId('checklist-state').count()).toBe(0);
      expect(await d.getByTestId('save-state').count()).toBe(0);
      for (const name of ['Save', 'Submit for review', 'Open a new revision', 'Add outcome'])
        expect({ name, count: await d.getByRole('button', { name, exact: true }).count() }).toEqual({ name, count: 0 });
      // No error banner: the one alert is the read-only note.
      expect(await d.getByRole('alert').allTextContents()).toEqual([
        'The approved logframe, read only. Drafts and reviews in progress are not shown.',
      ]);
      await pageShot(d, 'logframe-donor-en');
      await donorCheck('logframe-donor');

      // The project's fields read only, without Save.
      await d.getByRole('tab', { name: 'Overview' }).click();
      const toc = d.getByLabel('Theory of change');
      expect(await toc.inputValue()).toBe(
        'If prosecutors are trained and courts equipped, cases reach a verdict faster.',
      );
      expect(await toc.isDisabled()).toBe(true);
      await d.getByText('Foreign, Commonwealth and Development Office (FCDO)').waitFor();
      expect(await d.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
      await donorCheck('overview-donor');

      // The workbook: the download only, no upload control.
      await d.getByRole('tab', { name: 'Workbook' }).click();
      await d.getByRole('button', { name: 'Download .xlsx' }).waitFor();
      await d.getByText('The approved logframe as a workbook, to read in Excel or LibreOffice.').waitFor();
      expect(await d.locator('input[type=file]').count()).toBe(0);
      expect(await d.getByRole('button', { name: 'Upload', exact: true }).count()).toBe(0);
      expect(await d.getByText('Upload an edited workbook').count()).toBe(0);
      await pageShot(d, 'workbook-donor-en');
      await donorCheck('workbook-donor');
      const download = d.waitForEvent('download');
      await d.getByRole('button', { name: 'Download .xlsx' }).click();
      expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

      // A deep link too (the page asks for the donor's roles before the QA workflow).
      await d.goto(`${stack.baseUrl}${projectPath}`);
      await d.getByTestId('donor-view').waitFor();
      expect({ refused, qaRequests, console: log.errors }).toEqual({ refused: [], qaRequests: [], console: [] });
    });
    await donorContext.close();
  });

  async function fillIndicator(
    ind: Locator,
    v: {
      measure: string;
      title: string;
      unit?: string;
      baseline?: string;
      endTarget?: string;
      baselineText?: string;
      endTargetText?: string;
      mov: string;
      sdgIndicator?: string;
      quarters?: string[];
    },
  ) {
    await ind.getByLabel('Measure').selectOption(v.measure);
    await ind.getByLabel('Indicator', { exact: true }).fill(v.title);
    if (v.unit) await ind.getByLabel('Unit').fill(v.unit);
    await ind.getByRole('tab', { name: 'Baseline and targets' }).click();
    if (v.baseline) await ind.getByLabel('Baseline', { exact: true }).fill(v.baseline);
    await ind.getByLabel('Baseline year').fill('2025');
    if (v.baselineText) await ind.getByLabel('Baseline situation (described)').fill(v.baselineText);
    if (v.endTarget) await ind.getByLabel('End target', { exact: true }).fill(v.endTarget);
    if (v.endTargetText) await ind.getByLabel('End state (described)').fill(v.endTargetText);
    if (v.quarters) {
      await ind.getByRole('button', { name: 'Fill the project’s quarters' }).click();
      const inputs = ind.getByRole('textbox', { name: /^Target / });
      expect(await inputs.count()).toBe(v.quarters.length);
      for (let k = 0; k < v.quarters.length; k++) await inputs.nth(k).fill(v.quarters[k]);
    }
    await ind.getByRole('tab', { name: 'Verification and SDG' }).click();
    await ind.getByLabel('Means of verification').fill(v.mov);
    if (v.sdgIndicator) await pickSdg(ind, 'SDG indicator', v.sdgIndicator);
  }
});
