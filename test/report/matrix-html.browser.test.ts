import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BrowserContext, Page, chromium } from 'playwright-core';
import { buildReport, writeReport } from '../../lib/verify/report/write-report';
import { twoPlatformModel } from '../fixtures/two-platform-estate';

const CHROMIUM = '/usr/bin/chromium';

/** Headless Debian chromium in a fresh profile; fails (never skips) when it is not installed. */
async function launch(profile: string): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`the HTML report test needs Debian's chromium at ${CHROMIUM}: run "apt-get install -y --no-install-recommends chromium" (.ci/run does)`);
  }
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The visible matrix: header row and body rows as cell texts. */
async function table(page: Page): Promise<string[][]> {
  return page.$$eval('#matrix tr', (rows) => rows.map((row) => Array.from((row as { children: ArrayLike<{ textContent: string | null }> }).children).map((cell) => cell.textContent ?? '')));
}

describe('matrix.html in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-html-'));
    writeReport(buildReport(twoPlatformModel()), path.join(dir, 'report'));
    context = await launch(path.join(dir, 'profile'));
    page = await context.newPage();
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(path.join(dir, 'report', 'matrix.html')).href);
  }, 60000);

  afterAll(async () => {
    await context?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN the report of a two-platform app WHEN the page opens THEN it renders the whole matrix, cross-platform cell included, with no network request', async () => {
    const rows = await table(page);
    expect(rows[0]).toEqual(['from \\ to', 'azure/Db', 'shop/Api', 'shop/Web']);
    expect(rows.slice(1)).toEqual([
      ['azure/Db', '-', '-', '-'],
      ['shop/Api', 'tcp/5432', '-', '-'],
      ['shop/Web', '-', 'tcp/8080', '-'],
      ['0.0.0.0/0', '-', '-', 'tcp/443'],
    ]);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
  });

  test('WHEN the platform filter is set to azure THEN only the Azure segment remains', async () => {
    await page.selectOption('#filter-platform', 'azure');
    expect(await table(page)).toEqual([['from \\ to', 'azure/Db'], ['azure/Db', '-']]);
    await page.selectOption('#filter-platform', '');
    await page.selectOption('#filter-stack', 'shop');
    expect((await table(page))[0]).toEqual(['from \\ to', 'shop/Api', 'shop/Web']);
    await page.selectOption('#filter-stack', '');
    await page.fill('#filter-segment', 'Api');
    expect(await table(page)).toEqual([['from \\ to', 'shop/Api'], ['shop/Api', '-']]);
    await page.fill('#filter-segment', '');
  });

  test('GIVEN the internet may reach shop/Web WHEN the segment filter is Web THEN the 0.0.0.0/0 row stays with its port', async () => {
    await page.fill('#filter-segment', 'Web');
    expect(await table(page)).toEqual([['from \\ to', 'shop/Web'], ['shop/Web', '-'], ['0.0.0.0/0', 'tcp/443']]);
    await page.fill('#filter-segment', '');
    await page.selectOption('#filter-stack', 'shop');
    expect((await table(page)).map((row) => row[0])).toEqual(['from \\ to', 'shop/Api', 'shop/Web', '0.0.0.0/0']);
    await page.selectOption('#filter-stack', '');
  });

  test('WHEN a cell is clicked THEN its explanation shows every enforcement point and rule', async () => {
    await page.click('td[data-from="shop/Api"][data-to="azure/Db"]');
    const text = await page.textContent('#explanation');
    expect(text).toContain('shop/Api -> azure/Db');
    expect(text).toContain('ALLOWED: shop/Api -> azure/Db on tcp/5432');
    expect(text).toContain('[aws-security-group] egress of shop/Api');
    expect(text).toContain('[azure-nsg]');
    await page.click('td[data-from="azure/Db"][data-to="shop/Api"]');
    expect(await page.textContent('#explanation')).toContain('DENIED: azure/Db -> shop/Api on all');
  });
});
