// Debian's Chromium driven by playwright-core (no downloaded browser), one context per user,
// and a watch on each page that collects console errors, uncaught exceptions, failed requests
// and error responses: a test ends by asserting that list is empty.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['ENCLAVE_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (scripts/debian-packages.txt)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in a container has no user namespace for Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--font-render-hinting=none'],
  });
}

export async function newContext(browser: Browser, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({
    // The appliance's own CA signed the server certificate; the browser has no reason to trust it.
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    locale,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}

export interface Watched {
  readonly page: Page;
  readonly problems: string[];
  /**
   * Declares an error status a test expects for matching URLs (a 410 for an erased project):
   * such a response, and the "Failed to load resource" line Chromium itself logs for it, are
   * recorded in `expected` instead of failing the test. The app must still not log anything.
   */
  allow(status: number, url: RegExp): void;
  readonly expected: string[];
}

const LOAD_FAILED = /^Failed to load resource: the server responded with a status of (\d+)/;

export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  const expected: string[] = [];
  const allowances: { status: number; url: RegExp }[] = [];
  const isAllowed = (status: number, url: string) =>
    allowances.some((a) => a.status === status && a.url.test(url));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = LOAD_FAILED.exec(message.text())?.[1];
    if (status !== undefined && isAllowed(Number(status), message.location().url)) {
      expected.push(`console: ${message.text()} ${message.location().url}`);
      return;
    }
    problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // An event stream the app closes (job finished, page left) ends as an aborted request.
    if (failure === 'net::ERR_ABORTED' && request.url().endsWith('/events')) return;
    if (failure === 'net::ERR_ABORTED' && /\/events(\?|$)/.test(request.url())) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const line = `HTTP ${response.status()}: ${response.request().method()} ${response.url()}`;
    if (isAllowed(response.status(), response.url())) expected.push(line);
    else problems.push(line);
  });
  return { page, problems, expected, allow: (status, url) => allowances.push({ status, url }) };
}
