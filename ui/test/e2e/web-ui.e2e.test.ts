// The web UI end to end: Debian's Chromium (playwright-core) against the real control plane
// serving ui/dist on the same origin, on a real SQLite file, over real TLS, with the shared
// real Kafka broker and a real agent process (`enclave agent start`, enrolled with a token,
// sandboxed CPU steps) that runs the jobs. A producer signs in, creates a project, uploads the
// bundled stills (file chooser and drag and drop), submits a promo video from the form
// generated from the template's zod schema, watches it run to done over SSE, plays the MP4 it
// made in the preview player and downloads it (ffprobe: H.264 1280×720); the IT admin sees the
// agent's node in the fleet and acts on it, and a scripted GPU node (real enrollment, real
// Kafka; this box has no GPU) shows the GPU telemetry columns; a
// client user files privacy requests for themselves and the DPO verifies, approves and
// certifies an erasure, works the audit log and legal holds, and sees the erased project's
// "erased" state; everything again in Arabic, right to left. Any console error, page
// error, failed request or error response fails the test. Screenshots go to
// .enclave/ui-screenshots/; with ENCLAVE_UI_UPDATE_DOCS=1 the key ones also to docs/screenshots/.
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
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, watchedPage, type Watched } from './browser.ts';

const uiRoot = join(import.meta.dirname, '..', '..');
const repoRoot = join(uiRoot, '..');
const uiDist = join(uiRoot, 'dist');
const shots = join(repoRoot, '.enclave', 'ui-screenshots');
const docShots = join(repoRoot, 'docs', 'screenshots');
/** `ENCLAVE_UI_UPDATE_DOCS=1` refreshes the committed screenshots; a plain test run never writes into docs/. */
const updateDocs = process.env['ENCLAVE_UI_UPDATE_DOCS'] === '1';
/** This suite's ports (the UI helper's range 20700-20799; ENCLAVE_UI_E2E_PORT moves them). */
const API_PORT = Number(process.env['ENCLAVE_UI_E2E_PORT'] ?? 20710);

interface Probe {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
  format: { duration?: string };
}

function ffprobe(file: string): Probe {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], {
      encoding: 'utf8',
    }),
  ) as Probe;
}

interface UiUser {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
}
interface UiAppliance {
  readonly baseUrl: string;
  readonly users: {
    readonly itAdmin: UiUser;
    readonly producer: UiUser;
    readonly dpo: UiUser;
    readonly client: UiUser;
    readonly subject: UiUser;
  };
  nodeName(suffix: string): string;
  startNode(suffix: string): Promise<string>;
  startAgent(suffix: string): Promise<string>;
  stop(): Promise<void>;
}
interface Harness {
  startUiAppliance(options: { uiDir: string; apiPort: number; agentPort: number }): Promise<UiAppliance>;
}

let appliance: UiAppliance;
let browser: Browser;
/** The real agent's node: it runs every job of this suite. */
let nodeId: string;
/** The bundled stills of `make demo` (fixtures/stills; the astronaut has a face to blur). */
let stills: string[];
let files: string;
let jobUrl: string;
const watched: Watched[] = [];

beforeAll(async () => {
  if (!existsSync(join(uiDist, 'index.html'))) {
    throw new Error('ui/dist is missing: run `npm run build -w @enclave/ui` (npm test in ui/ does it first)');
  }
  mkdirSync(shots, { recursive: true });
  if (updateDocs) mkdirSync(docShots, { recursive: true });
  files = await mkdtemp(join(tmpdir(), 'enclave-ui-files-'));
  const fixtures = join(repoRoot, 'fixtures', 'stills');
  stills = (await readdir(fixtures))
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => join(fixtures, name));
  expect(stills).toHaveLength(3);
  // Control-plane test code, loaded by path: the ui package may import only @enclave/contracts.
  const harness = (await import(
    pathToFileURL(join(repoRoot, 'control-plane/test/e2e-support/ui-appliance.ts')).href
  )) as Harness;
  appliance = await harness.startUiAppliance({ uiDir: uiDist, apiPort: API_PORT, agentPort: API_PORT + 1 });
  // Only the real agent exists while the producer's job runs, so it is the one that runs it.
  nodeId = await appliance.startAgent('a');
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

/** The viewport from the top, or only `element` (scrolled into view) when given. */
async function shot(page: Page, name: string, toDocs = false, element?: Locator): Promise<void> {
  const file = join(shots, `${name}.png`);
  if (element === undefined) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage: false });
  } else {
    await element.screenshot({ path: file });
  }
  if (toDocs && updateDocs) copyFileSync(file, join(docShots, `${name}.png`));
}

function watchOf(page: Page): Watched {
  const w = watched.find((x) => x.page === page);
  if (w === undefined) throw new Error('page not opened with open()');
  return w;
}

function expectClean(): void {
  const problems = watched.flatMap((w) => w.problems);
  expect(problems).toEqual([]);
}

const AR = { email: 'البريد الإلكتروني', password: 'كلمة المرور', submit: 'تسجيل الدخول' };

describe('web UI against the real control plane', () => {
  it('producer: signs in, creates a project, uploads, submits a promo video, watches the real agent run it, plays and downloads the MP4', async () => {
    const page = await open();
    await signIn(page, appliance.users.producer);
    await page.waitForURL(/\/projects$/);

    await page.getByLabel('Project name').fill('Spring campaign');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/projects\/[A-Za-z0-9_-]+$/);
    const projectPath = new URL(page.url()).pathname;

    // Two stills through the file chooser, the third dropped on the drop zone.
    await page.locator('input[type=file]').setInputFiles([stills[0]!, stills[1]!]);
    const dropped = readFileSync(stills[2]!).toString('base64');
    const transfer = await page.evaluateHandle(
      ([b64, name]) => {
        const dt = new DataTransfer();
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
        return dt;
      },
      [dropped, basename(stills[2]!)] as const,
    );
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: transfer });
    const assetRows = page.locator('section[aria-labelledby=assets-title] tbody tr');
    await expect.poll(() => assetRows.count(), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => page.locator('.uploads [role=progressbar][aria-valuenow="100"]').count()).toBe(3);

    // Preview and download come from GET /api/v1/assets/{id}/content.
    const astronaut = assetRows.filter({ hasText: 'astronaut.jpg' });
    await astronaut.getByRole('button', { name: 'Preview' }).click();
    await page.locator('figure.preview img').waitFor();
    expect(
      await page.locator('figure.preview img').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(512);
    expect(await astronaut.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(
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

    // Live: the DAG follows the event stream to the end while the real agent renders.
    try {
      await page
        .locator('[data-testid=job-state] .badge', { hasText: 'succeeded' })
        .waitFor({ timeout: 150_000 });
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

    // The job's MP4 is in the project's files: it plays in the preview player…
    await page.locator(`main .page-head a[href="${projectPath}"]`).click();
    await page.waitForURL((url) => url.pathname === projectPath);
    const video = assetRows.filter({ hasText: 'video/mp4' });
    await expect.poll(() => video.count(), { timeout: 20_000 }).toBe(1);
    expect(await video.textContent()).toContain('task');
    await video.getByRole('button', { name: 'Preview' }).click();
    const player = page.locator('figure.preview video');
    await player.waitFor();
    // Muted, so that autoplay policy lets a script start it; the decoder has to produce frames.
    await player.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
    });
    await expect
      .poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(0.5);
    expect(
      await player.evaluate((v: HTMLVideoElement) => ({
        error: v.error?.code ?? null,
        readyState: v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA,
        width: v.videoWidth,
        height: v.videoHeight,
        duration: v.duration > 1,
      })),
    ).toEqual({ error: null, readyState: true, width: 1280, height: 720, duration: true });
    await player.evaluate((v: HTMLVideoElement) => v.pause());
    await shot(page, 'producer-preview-en', true, page.locator('figure.preview'));

    // …and downloads as a valid H.264 MP4 at 1280×720.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      video.getByRole('link', { name: 'Download' }).click(),
    ]);
    const saved = join(files, 'promo.mp4');
    await download.saveAs(saved);
    const probe = ffprobe(saved);
    expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({
      codec_name: 'h264',
      width: 1280,
      height: 720,
    });
    expect(Number(probe.format.duration)).toBeGreaterThan(1);
    expectClean();
  });

  it('IT admin: the fleet shows the agent and a GPU node with its telemetry; tokens; cordon and activate', async () => {
    // A scripted GPU node joins now, after the producer's job: this box has no GPU to report.
    const gpuNode = await appliance.startNode('gpu');
    const page = await open();
    await signIn(page, appliance.users.itAdmin);
    await page.waitForURL(/\/fleet$/);
    const gpuRow = page.locator(`tr[data-node="${gpuNode}"]`);
    await gpuRow.waitFor();
    const gpuText = (await gpuRow.textContent()) ?? '';
    expect(gpuText).toContain('online');
    expect(gpuText).toContain('NVIDIA L4');
    expect(gpuText).toContain('58 °C');
    expect(gpuText).toContain('GPU 37%');
    expect(gpuText).toContain('6 / 22.5 GiB');
    expect(gpuText).toMatch(/\d+ s ago/);
    // The real agent: a CPU node, its version, its own CPU utilisation from its heartbeats.
    const row = page.locator(`tr[data-node="${nodeId}"]`);
    await row.waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 20_000 }).toMatch(/CPU \d+%/);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('online');
    expect(text).toContain('no GPU');
    expect(text).toMatch(/Agent \d+\.\d+\.\d+/);
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
    // Queue, audit log and retention: the contract gives the DPO all three, so none says
    // "not available yet".
    const areas = page.locator('section[data-area]');
    expect(await areas.count()).toBe(3);
    expect(await page.locator('.not-available').count()).toBe(0);
    await page.getByText('No requests in the queue.').waitFor();
    // The DPO has no fleet.
    expect(await page.getByRole('link', { name: 'Node fleet' }).count()).toBe(0);
    await shot(page, 'dpo-privacy-empty-en');
    expectClean();
  });

  it('privacy: a client user files for themselves; the DPO verifies and approves an erasure; the certificate; the erased project', async () => {
    const { client, subject } = appliance.users;

    // A client user: the consent banner comes first (nothing optional exists to turn on), then
    // "Export my data" and "Request erasure" file requests for themselves.
    const cp = await open();
    await signIn(cp, client);
    await cp.waitForURL(/\/projects$/);
    const banner = cp.getByTestId('consent-banner');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Essential only' }).click();
    await banner.waitFor({ state: 'detached' });
    await cp.getByRole('link', { name: 'My privacy' }).click();
    await cp.getByRole('button', { name: 'Export my data' }).click();
    const mine = cp.locator('[data-testid=my-requests] tbody tr');
    await expect.poll(() => mine.count()).toBe(1);
    await cp.getByRole('button', { name: 'Request erasure' }).click();
    await cp.getByRole('button', { name: 'Yes, request erasure' }).click();
    await expect.poll(() => mine.count()).toBe(2);
    expect(await mine.first().locator('[data-state]').allTextContents()).toEqual(['erasure', 'received']);
    const asked = cp.waitForResponse((r) => r.url().endsWith('/api/v1/privacy/consent'));
    await cp.reload();
    await asked;
    await cp.locator('[data-testid=my-requests]').waitFor();
    await cp.waitForTimeout(300); // let the consent reply render, if it were to show anything
    expect(await cp.getByTestId('consent-banner').count()).toBe(0);
    expect(await mine.count()).toBe(2);
    await shot(cp, 'client-privacy-en');

    // The erasure subject: a producer with a project holding one file.
    const sp = await open();
    await signIn(sp, subject);
    await sp.getByLabel('Project name').fill('Subject campaign');
    await sp.getByRole('button', { name: 'Create' }).click();
    await sp.waitForURL(/\/projects\/[A-Za-z0-9_-]+$/);
    const projectPath = new URL(sp.url()).pathname;
    await sp.locator('input[type=file]').setInputFiles([stills[1]!]);
    const subjectRows = sp.locator('section[aria-labelledby=assets-title] tbody tr');
    await expect.poll(() => subjectRows.count(), { timeout: 20_000 }).toBe(1);
    const contentHref = await subjectRows
      .first()
      .getByRole('link', { name: 'Download' })
      .getAttribute('href');
    expect(contentHref).toMatch(/^\/api\/v1\/assets\/[^/]+\/content$/);
    // The erasure ends this account's sessions: close its page before anything else asks.
    await sp.context().close();

    // The DPO: the queue holds the client's two requests; files an erasure for the subject.
    const dp = await open();
    await signIn(dp, appliance.users.dpo);
    await dp.waitForURL(/\/privacy$/);
    const queue = dp.locator('[data-testid=privacy-queue] tbody tr');
    await expect.poll(() => queue.count()).toBe(2);
    await dp.getByLabel('Subject user id').fill(subject.userId);
    await dp.getByRole('button', { name: 'File request' }).click();
    await expect.poll(() => queue.count()).toBe(3);
    for (const row of await queue.all()) {
      expect(await row.textContent()).toMatch(/\d{4}/); // a deadline date
      expect(await row.locator('[data-overdue]').count()).toBe(0); // 30 days ahead
    }
    await shot(dp, 'dpo-queue-en', true);

    await queue.filter({ hasText: subject.userId }).getByRole('link').click();
    await dp.waitForURL(/\/privacy\/requests\/[A-Za-z0-9_-]+$/);
    const status = dp.getByTestId('request-status');
    await status.getByText('received').waitFor();
    // Approval before identity verification is not offered (the server would answer 409).
    expect(await dp.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await dp.getByLabel('Verification method').selectOption('in-person');
    await dp.getByRole('button', { name: 'Verify identity' }).click();
    await status.getByText('identity-verified').waitFor();
    expect(await dp.getByTestId('identity').textContent()).toBe('in-person');
    await dp.getByRole('button', { name: 'Approve' }).click();
    await status.getByText('completed').waitFor();

    // The signed certificate, readable and as JSON.
    const cert = dp.getByTestId('certificate');
    await cert.locator('tbody tr').first().waitFor();
    await cert.getByText('Certificate (JSON)').click();
    const json = JSON.parse((await dp.getByTestId('certificate-json').textContent()) ?? '{}') as {
      certificate: { format: string; destroyedKeyIds: string[]; subjectPseudonym: string };
      signature: string;
    };
    expect(json.certificate.format).toBe('enclave-erasure-certificate/v1');
    expect(json.certificate.destroyedKeyIds.length).toBeGreaterThan(0);
    expect(json.certificate.subjectPseudonym).toMatch(/^erased-subject-/);
    expect(await cert.textContent()).toContain(json.certificate.subjectPseudonym);
    expect(await dp.getByTestId('certificate-link').getAttribute('href')).toMatch(/\/certificate$/);
    await shot(dp, 'dpo-erasure-certificate-en', true);

    // The client's access request: approved, the one-time export link and key appear once;
    // the client's erasure request: rejected with a note.
    await dp.getByRole('link', { name: 'Back to the queue' }).click();
    await queue
      .filter({ has: dp.locator('[data-state=access]') })
      .getByRole('link')
      .click();
    await status.getByText('received').waitFor();
    await dp.getByRole('button', { name: 'Verify identity' }).click();
    await status.getByText('identity-verified').waitFor();
    await dp.getByRole('button', { name: 'Approve' }).click();
    await status.getByText('completed').waitFor();
    const delivery = dp.getByTestId('export-delivery');
    expect(await delivery.getByRole('link').getAttribute('href')).toMatch(
      /^\/api\/v1\/privacy\/exports\/[A-Za-z0-9_-]{43}$/,
    );
    await dp.getByRole('link', { name: 'Back to the queue' }).click();
    await queue
      .filter({ hasText: client.userId, has: dp.locator('[data-state=erasure]') })
      .getByRole('link')
      .click();
    await status.getByText('received').waitFor();
    await dp.getByLabel('Notes').fill('Identity could not be confirmed');
    await dp.getByRole('button', { name: 'Reject' }).click();
    await status.getByText('rejected').waitFor();
    expect(await dp.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // The audit log: the chain verifies, and the erasure is in the export.
    await dp.getByRole('link', { name: 'Back to the queue' }).click();
    await dp.getByRole('button', { name: 'Verify chain' }).click();
    await dp.locator('[data-testid=audit-verify][data-ok=true]').waitFor();
    expect(await dp.getByTestId('audit-verify').textContent()).toMatch(/The chain verifies: \d+ entries/);
    await dp.getByRole('button', { name: 'Load the log' }).click();
    await dp.locator('[data-testid=audit-entries] tr[data-action="privacy.subject-erased"]').waitFor();

    // Retention: the dry run, and a legal hold placed and released with reasons.
    await dp.getByRole('button', { name: 'Run a dry run' }).click();
    await dp.getByTestId('retention-report').getByText('Nothing would be deleted now.').waitFor();
    const hold = dp.locator('[data-testid=legal-holds] tr', { hasText: 'Spring campaign' });
    await hold.getByRole('button', { name: 'Place hold' }).click();
    await hold.locator('.field-error', { hasText: 'required' }).waitFor();
    await hold.getByLabel('Reason: Spring campaign').fill('Litigation LH-7');
    await hold.getByRole('button', { name: 'Place hold' }).click();
    await hold.getByText('on hold').waitFor();
    expect(await hold.getAttribute('data-held')).toBe('true');
    await hold.getByLabel('Reason: Spring campaign').fill('Case closed');
    await hold.getByRole('button', { name: 'Release hold' }).click();
    await hold.getByText('no hold').waitFor();

    // The subject's project: its assets answer 410, which the app shows as "erased".
    const w = watchOf(dp);
    w.allow(410, /\/api\/v1\/(projects\/[^/]+\/assets|assets\/[^/]+\/content)$/);
    await dp.evaluate((to) => {
      window.history.pushState(null, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, projectPath);
    await dp.getByTestId('project-erased').waitFor();
    expect(await dp.locator('main .page-head [data-state=erased]').count()).toBe(1);
    expect(await dp.locator('[role=alert]').count()).toBe(0);
    expect(await dp.evaluate((href) => fetch(href).then((r) => r.status), contentHref!)).toBe(410);
    expect(w.expected.some((line) => line.startsWith('HTTP 410: GET'))).toBe(true);
    await shot(dp, 'project-erased-en', true);
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
      if (name === 'dpo-queue-ar') {
        // The real queue, right to left: the first column (request id) sits at the right.
        const queue = page.getByTestId('privacy-queue');
        await queue.locator('tbody tr').first().waitFor();
        expect(await queue.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
        const first = await queue.locator('thead th').first().boundingBox();
        const last = await queue.locator('thead th').last().boundingBox();
        expect(first!.x).toBeGreaterThan(last!.x);
      }
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

  it('consent: a published privacy notice is shown and the choices are recorded with its hash', async () => {
    // Last of the signed-in tests: once a notice is published every user must acknowledge it.
    const dp = await open();
    await signIn(dp, appliance.users.dpo);
    const text = 'Enclave privacy notice v1.\nWe process your account data to run your projects.';
    const notice = await dp.evaluate(
      async (body) => {
        const res = await fetch('/api/v1/privacy/notices', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await res.json()) as { noticeId: string; textSha256: string };
      },
      { text, material: true },
    );
    await dp.reload();
    await dp.getByTestId('consent-banner').waitFor(); // the DPO too must acknowledge it

    const cp = await open();
    await signIn(cp, appliance.users.client);
    const banner = cp.getByTestId('consent-banner');
    await banner.getByText('Enclave privacy notice v1.').waitFor();
    expect(await banner.locator('input[type=checkbox]:checked').count()).toBe(1); // essential only
    await banner.getByLabel('Analytics').check();
    await banner.getByRole('button', { name: 'Save my choices' }).click();
    await banner.waitFor({ state: 'detached' });
    const history = await cp.evaluate(() =>
      fetch('/api/v1/privacy/consent').then((r) => r.json() as Promise<unknown>),
    );
    expect(history).toMatchObject({
      reacknowledgementRequired: false,
      items: [
        {
          noticeId: notice.noticeId,
          shownTextSha256: notice.textSha256,
          choices: { essential: true, analytics: true, personalisation: false, marketing: false },
        },
      ],
    });
    const asked = cp.waitForResponse((r) => r.url().endsWith('/api/v1/privacy/consent'));
    await cp.reload();
    await asked;
    await cp.getByTestId('user').waitFor();
    await cp.waitForTimeout(300); // let the consent reply render, if it were to show anything
    expect(await cp.getByTestId('consent-banner').count()).toBe(0);
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
