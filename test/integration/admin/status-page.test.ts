/**
 * The status page in a real headless Chromium (the system's, driven by puppeteer-core): it asks
 * for the token, shows what GET /status shows, asks again after a refused token, says when the
 * server is gone. Saves a screenshot to a temporary directory, or to docs/images/status-page.png
 * with MINIONS_DOCS_SCREENSHOT=1 (`npm run docs:screenshot`).
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { launch, type Browser, type Page } from 'puppeteer-core';
import { Gru, InMemoryLogger, InMemoryStateStore, Minion, Pipeline, PrometheusMetrics, Resource, minion, pipeline, resource, step } from 'minions';
import { findChromium } from '../../support/chromium';

class Invoice { n = 0; }
class AuditContext { checked = false; }

/** Released by the test; steps wait for it (or for their abort). */
let release: () => void = () => undefined;
let opened = new Promise<void>((done) => { release = done; });
let waiting = 0;
let onWaiting: () => void = () => undefined;

@resource()
class HttpPool extends Resource {}

@resource()
class RatesClient extends Resource {
  constructor(readonly pool: HttpPool) { super(); }
}

@pipeline({ event: Invoice })
class InvoiceFeed extends Pipeline<Invoice> {
  async *events() { for (let n = 1; n <= 3; n++) yield Object.assign(new Invoice(), { n }); }
}

@minion({ event: Invoice, context: AuditContext })
class InvoiceAuditor extends Minion<Invoice, AuditContext> {
  constructor(readonly rates: RatesClient) { super(); }

  @step async check() {
    waiting++;
    onWaiting();
    await new Promise<void>((done, fail) => {
      void opened.then(done);
      this.signal.addEventListener('abort', () => fail(new Error('stopped while waiting')), { once: true });
    });
    this.context.checked = true;
  }
}

const SHOT = process.env.MINIONS_DOCS_SCREENSHOT === '1' ? resolve(__dirname, '../../../docs/images/status-page.png') : undefined;

describe('the status page in headless Chromium', () => {
  let dir: string;
  let gru: Gru | undefined;
  let browser: Browser | undefined;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'minions-status-page-')); });
  afterAll(async () => {
    await browser?.close();
    release();
    await gru?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const submitToken = async (page: Page, token: string): Promise<void> => {
    await page.waitForSelector('#login:not([hidden]) #token');
    await page.type('#token', token);
    await page.click('#login button[type=submit]');
  };
  // Browser-side code is given as strings: this project compiles without the DOM's types.
  /** Waits until the orchestrations table has a row of `minionClass` with `inflight` workflows in flight. */
  const rowShows = (page: Page, minionClass: string, inflight: number) => page.waitForFunction(
    `[...document.querySelectorAll('#orchestrations tbody tr')].some((tr) => tr.cells[1]?.textContent === ${JSON.stringify(minionClass)} && tr.cells[4]?.textContent === '${inflight}')`);
  /** Waits until the page's message says `text`. */
  const messageSays = (page: Page, text: string) => page.waitForFunction(`document.getElementById('message').textContent.includes(${JSON.stringify(text)})`);

  it('asks for the token, shows orchestrations with their in-flight workflows, pipelines and resources, and says when the server is gone', async () => {
    const executablePath = findChromium();
    const allWaiting = new Promise<void>((done) => { onWaiting = () => { if (waiting === 3) done(); }; });
    const tokenFile = join(dir, 'admin.token');
    gru = await Gru.create({
      stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: new PrometheusMetrics({ port: 0, defaultMetrics: false }),
      stopGraceMs: 0, admin: { tokenFile },
    });
    const started = await gru.startOrchestration({ minion: InvoiceAuditor, pipeline: InvoiceFeed });
    await allWaiting;
    const token = readFileSync(tokenFile, 'utf8').trim();

    browser = await launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`${gru.adminUrl}/`);

    await submitToken(page, 'not-the-token');
    await messageSays(page, 'The token was refused (401)');
    expect(await page.evaluate('document.getElementById("login").hidden')).toBe(false);

    await submitToken(page, token);
    await rowShows(page, 'InvoiceAuditor', 3);
    const text = await page.evaluate('document.getElementById("content").innerText') as string;
    expect(text).toContain(started.orchestrationId);
    expect(text).toMatch(/InvoiceFeed/);
    expect(text).toMatch(/RatesClient\s+1\s+HttpPool/);
    expect(await page.evaluate('document.getElementById("ready").textContent')).toBe('Ready');
    // The token lives in the page's script only.
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie, location.search + location.hash]')).toEqual([0, 0, '', '']);

    const shot = SHOT ?? join(dir, 'status-page.png');
    mkdirSync(dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');

    release();
    await rowShows(page, 'InvoiceAuditor', 0); // refreshed: the workflows finished
    await gru.shutdown();
    gru = undefined;
    await messageSays(page, 'Cannot reach the server');
  });
});
