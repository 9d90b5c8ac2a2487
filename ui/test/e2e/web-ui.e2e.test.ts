// The web UI end to end: Debian's Chromium (playwright-core) against the real control plane
// serving ui/dist on the same origin, on a real SQLite file, over real TLS, with the shared
// real Kafka broker and a scripted GPU node (real enrollment, real Kafka) that completes its
// tasks. A producer signs in, creates a project, uploads stills (file chooser and drag and
// drop), submits a promo video from the form generated from the template's zod schema and
// watches it run to done over SSE; the IT admin sees the node in the fleet and acts on it; the
// DPO sees what exists; everything again in Arabic, right to left. Any console error, page
// error, failed request or error response fails the test. Screenshots go to
// .enclave/ui-screenshots/ and the key ones to docs/screenshots/.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, watchedPage, type Watched } from './browser.ts';

const uiRoot = join(import.meta.dirname, '..', '..');
const repoRoot = join(uiRoot, '..');
const uiDist = join(uiRoot, 'dist');
const shots = join(repoRoot, '.enclave', 'ui-screenshots');
const docShots = join(repoRoot, 'docs', 'screenshots');
/** This suite's ports (the UI helper's range 20700-20799). */
const API_PORT = Number(process.env['ENCLAVE_UI_E2E_PORT'] ?? 20710);

interface UiUser {
  readonly email: string;
  readonly password: string;
}
interface UiAppliance {
  readonly baseUrl: string;
  readonly users: { readonly itAdmin: UiUser; readonly producer: UiUser; readonly dpo: UiUser };
  nodeName(suffix: string): string;
  startNode(suffix: string): Promise<string>;
  stop(): Promise<void>;
}
interface Harness {
  startUiAppliance(options: { uiDir: string; apiPort: number; agentPort: number }): Promise<UiAppliance>;
}

let appliance: UiAppliance;
let browser: Browser;
let nodeId: string;
let files: string;
let jobUrl: string;
const watched: Watched[] = [];

beforeAll(async () => {
  if (!existsSync(join(uiDist, 'index.html'))) {
    throw new Error('ui/dist is missing: run `npm run build -w @enclave/ui` (npm test in ui/ does it first)');
  }
  mkdirSync(shots, { recursive: true });
  mkdirSync(docShots, { recursive: true });
  files = await mkdtemp(join(tmpdir(), 'enclave-ui-files-'));
  for (const [i, colour] of ['0x1d3b5f', '0xb3261e', '0x1d7a3e'].entries()) {
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=${colour}:s=320x180`,
      '-frames:v',
      '1',
      join(files, `still-${i}.jpg`),
    ]);
  }
  // Control-plane test code, loaded by path: the ui package may import only @enclave/contracts.
  const harness = (await import(
    pathToFileURL(join(repoRoot, 'control-plane/test/e2e-support/ui-appliance.ts')).href
  )) as Harness;
  appliance = await harness.startUiAppliance({ uiDir: uiDist, apiPort: API_PORT, agentPort: API_PORT + 1 });
  nodeId = await appliance.startNode('a');
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await appliance?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

async function open(lang: 'en' | 'ar' = 'en'): Promise<Page> {
  const context = await newContext(browser, lang === 'ar' ? 'ar' : 'en-GB');
  const w = await watchedPage(context);
  watched.push(w);
  await w.page.goto(`${appliance.baseUrl}/${lang === 'ar' ? '?lang=ar' : ''}`);
  await w.page.waitForFunction(() => document.documentElement.dataset['ready'] === 'true');
  return w.page;
}

async function signIn(
  page: Page,
  user: UiUser,
  labels = { email: 'Email', password: 'Password', submit: 'Sign in' },
) {
  await page.getByLabel(labels.email).fill(user.email);
  await page.getByLabel(labels.password).fill(user.password);
  await page.getByRole('button', { name: labels.submit }).click();
  await page.getByTestId('user').waitFor();
}

async function shot(page: Page, name: string, toDocs = false): Promise<void> {
  const file = join(shots, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: false });
  if (toDocs) copyFileSync(file, join(docShots, `${name}.png`));
}

function expectClean(): void {
  const problems = watched.flatMap((w) => w.problems);
  expect(problems).toEqual([]);
}

const AR = { email: 'البريد الإلكتروني', password: 'كلمة المرور', submit: 'تسجيل الدخول' };

describe('web UI against the real control plane', () => {
  it('producer: signs in, creates a project, uploads, submits a promo video and watches it finish', async () => {
    const page = await open();
    await signIn(page, appliance.users.producer);
    await page.waitForURL(/\/projects$/);

    await page.getByLabel('Project name').fill('Spring campaign');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/projects\/[A-Za-z0-9_-]+$/);

    // Two stills through the file chooser, one dropped on the drop zone.
    await page
      .locator('input[type=file]')
      .setInputFiles([join(files, 'still-0.jpg'), join(files, 'still-1.jpg')]);
    const dropped = readFileSync(join(files, 'still-2.jpg')).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], 'still-2.jpg', { type: 'image/jpeg' }));
      return dt;
    }, dropped);
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: transfer });
    const assetRows = page.locator('section[aria-labelledby=assets-title] tbody tr');
    await expect.poll(() => assetRows.count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.locator('.uploads [role=progressbar][aria-valuenow="100"]').count()).toBe(3);

    // Preview and download come from GET /api/v1/assets/{id}/content.
    await assetRows.first().getByRole('button', { name: 'Preview' }).click();
    await page.locator('figure.preview img').waitFor();
    expect(
      await page.locator('figure.preview img').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(320);
    expect(await assetRows.first().getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(
      /^\/api\/v1\/assets\/[^/]+\/content$/,
    );

    // The form is built from the template's zod schema and speaks its messages.
    await page.getByLabel('Template').selectOption('promo-video');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await expect
      .poll(() => page.locator('.field-error').allTextContents())
      .toEqual(expect.arrayContaining(['must not be empty', 'needs at least one still']));
    await page.getByLabel('Title', { exact: true }).fill('Spring promo');
    await page.getByLabel('Script').fill('Meet the new collection. Made in Dubai.');
    for (const box of await page.locator('input[name=stills]').all()) await box.check();
    expect(await page.getByLabel('Voice').inputValue()).toBe('en-gb');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForURL(/\/jobs\/[A-Za-z0-9_-]+$/);
    jobUrl = page.url();

    // Live: the DAG follows the event stream to the end.
    try {
      await page
        .locator('[data-testid=job-state] .badge', { hasText: 'succeeded' })
        .waitFor({ timeout: 90_000 });
    } catch (error) {
      await shot(page, 'failure-producer-job');
      const detail = await page.evaluate(() => fetch(`/api/v1${location.pathname}`).then((r) => r.text()));
      throw new Error(`the job did not finish: ${detail}`, { cause: error });
    }
    await expect.poll(() => page.locator('g.dag-node[data-state=succeeded]').count()).toBe(3);
    const rows = page.locator('tr[data-task-row]');
    expect(await rows.count()).toBe(3);
    for (const row of await rows.all()) expect(await row.textContent()).toContain(nodeId);
    await shot(page, 'producer-job-en', true);
    expectClean();
  });

  it('IT admin: the fleet shows the node with its GPU telemetry; tokens; cordon and activate', async () => {
    const page = await open();
    await signIn(page, appliance.users.itAdmin);
    await page.waitForURL(/\/fleet$/);
    const row = page.locator(`tr[data-node="${nodeId}"]`);
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('online');
    expect(text).toContain('NVIDIA L4');
    expect(text).toContain('58 °C');
    expect(text).toContain('GPU 37%');
    expect(text).toContain('6 / 22.5 GiB');
    expect(text).toMatch(/\d+ s ago/);

    await row.getByRole('button', { name: 'Cordon' }).click();
    await row.locator('.badge', { hasText: 'cordoned' }).waitFor();
    await row.getByRole('button', { name: 'Activate' }).click();
    await row.locator('.badge', { hasText: 'online' }).waitFor({ timeout: 15_000 });

    await page.getByLabel('Node id').fill('Not A Node');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('.field-error').first().waitFor();
    await page.getByLabel('Node id').fill(appliance.nodeName('b'));
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('enrollment-token').textContent();
    expect(token?.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await shot(page, 'it-fleet-en', true);
    expectClean();
  });

  it('DPO: signs in with the keyboard alone; the privacy area says honestly what exists', async () => {
    const page = await open();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe(
      'email',
    );
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.type(appliance.users.dpo.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(appliance.users.dpo.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/privacy$/);
    const areas = page.locator('section[data-area]');
    expect(await areas.count()).toBe(3);
    for (const area of await areas.all()) {
      const routes = await area.locator('.route-list li').count();
      const missing = await area.locator('.not-available').count();
      expect(routes > 0 || missing === 1).toBe(true);
    }
    // The DPO has no fleet.
    expect(await page.getByRole('link', { name: 'Node fleet' }).count()).toBe(0);
    await shot(page, 'dpo-queue-en', true);
    expectClean();
  });

  it('Arabic renders right to left for all three roles', async () => {
    for (const [user, path, name] of [
      [appliance.users.producer, new URL(jobUrl).pathname, 'producer-job-ar'],
      [appliance.users.itAdmin, '/fleet', 'it-fleet-ar'],
      [appliance.users.dpo, '/privacy', 'dpo-queue-ar'],
    ] as const) {
      const page = await open('ar');
      expect(
        await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual(['ar', 'rtl']);
      await signIn(page, user, AR);
      await page.evaluate((to) => {
        window.history.pushState(null, '', to);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.locator('main h1').waitFor();
      if (name === 'producer-job-ar')
        await page.locator('g.dag-node[data-state=succeeded]').first().waitFor();
      if (name === 'it-fleet-ar') await page.locator(`tr[data-node="${nodeId}"]`).waitFor();
      // Mirrored: the brand sits at the right edge, the sign-out button at the left.
      const brand = await page.locator('.brand').boundingBox();
      const signOut = await page.getByRole('button', { name: 'تسجيل الخروج' }).boundingBox();
      expect(brand!.x).toBeGreaterThan(signOut!.x);
      expect(brand!.x + brand!.width).toBeGreaterThan(1200);
      expect(await page.locator('main').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      await shot(page, name, true);
    }
    expectClean();
  });

  it('records the bundle size and time to interactive', async () => {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await open();
      samples.push(
        await page.evaluate(() => performance.getEntriesByName('enclave-app-ready')[0]?.startTime ?? -1),
      );
      await page.context().close();
    }
    expect(samples.every((s) => s > 0)).toBe(true);
    samples.sort((a, b) => a - b);
    const assets = readdirSync(join(uiDist, 'assets')).map((file) => {
      const bytes = readFileSync(join(uiDist, 'assets', file));
      return {
        file,
        bytes: statSync(join(uiDist, 'assets', file)).size,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
      };
    });
    const metrics = { ttiMs: { median: samples[2], min: samples[0], max: samples[4], samples }, assets };
    writeFileSync(join(shots, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    expectClean();
  });
});
