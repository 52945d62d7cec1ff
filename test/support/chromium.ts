import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { repoRoot } from '@bund/service-kit';

/** Debian's Chromium; CI installs it (`.ci/run`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Where journeys save their screenshots: `test-artifacts/browser/<journey>/<step>.png`. */
export const ARTIFACTS = path.join(repoRoot, 'test-artifacts', 'browser');

/**
 * Launches headless Chromium for one test file. Without Chromium the file's tests are skipped
 * with the reason printed, except in CI (`CI=true`), where a missing browser fails them.
 */
export async function launchChromium(context: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} is missing (apt-get install chromium)`;
    if (process.env.CI === 'true') throw new Error(`browser journeys need Chromium: ${reason}`);
    console.log(`      skipping the browser journeys: ${reason}`);
    context.skip();
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * One customer's journey in a fresh browser context (own cookies): a page, a record of
 * everything that went wrong in it (console errors, page errors, failed requests, 4xx/5xx
 * answers) and numbered screenshots.
 */
export class Journey {
  readonly problems: string[] = [];
  private step = 0;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly expected: (response: Response) => boolean,
  ) {}

  static async start(
    browser: Browser,
    name: string,
    options: {
      locale?: string;
      /** Answers ≥ 400 this journey expects (the rest are problems). */
      expected?: (response: Response) => boolean;
    } = {},
  ): Promise<Journey> {
    const context = await browser.newContext({
      locale: options.locale ?? 'en-GB',
      viewport: { width: 1280, height: 860 },
      deviceScaleFactor: 1,
    });
    const journey = new Journey(
      name,
      context,
      await context.newPage(),
      options.expected ?? (() => false),
    );
    journey.watch(context);
    return journey;
  }

  private watch(context: BrowserContext) {
    const record = (problem: string) => this.problems.push(problem);
    const watchPage = (page: Page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') record(`console error on ${page.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => record(`page error on ${page.url()}: ${error.message}`));
    };
    for (const page of context.pages()) watchPage(page);
    context.on('page', watchPage);
    context.on('requestfailed', (request) => {
      const why = request.failure()?.errorText;
      // Chromium cancels a still-loading favicon when the page navigates on; not a page fault.
      if (why === 'net::ERR_ABORTED' && /\/favicon\.svg$/.test(request.url())) return;
      record(`request failed: ${request.method()} ${request.url()}: ${why}`);
    });
    context.on('response', (response) => {
      if (response.status() >= 400 && !this.expected(response))
        record(`${response.status()} for ${response.request().method()} ${response.url()}`);
    });
  }

  /** A full-page screenshot of the current page, numbered in journey order. */
  async shot(step: string, page: Page = this.page): Promise<string> {
    const dir = path.join(ARTIFACTS, this.name);
    mkdirSync(dir, { recursive: true });
    this.step += 1;
    const file = path.join(dir, `${String(this.step).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Fails with every problem seen, if any. */
  assertClean(): void {
    if (this.problems.length > 0)
      throw new Error(`journey "${this.name}" had problems:\n  ${this.problems.join('\n  ')}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
