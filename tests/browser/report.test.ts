import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { stadtbezirke } from '../../src/data/cologne.ts';
import { computeFigures, type Figures } from '../../functions/report/figures.ts';
import { palette, renderHtml } from '../../functions/report/html.ts';
import { loadFigures } from '../../functions/report/load.ts';
import { openSqliteStore } from '../../functions/storage/sqlite.ts';
import type { ReportOffer } from '../../functions/storage/types.ts';
import { browserMissing, expectNoAxeViolations, launchBrowser, viewports } from '../support/browser.ts';
import { tempDataDir } from '../support/offers.ts';
import { fillsWith, pdfPages } from '../support/pdf.ts';
import { historyPeriod, seedHistory } from '../support/report-history.ts';

const carriers = [
  { id: 'caritas', name: 'Caritasverband' },
  { id: 'drk', name: 'Deutsches Rotes Kreuz' },
  { id: 'fluechtlingsrat', name: 'Kölner Flüchtlingsrat' },
];
const charts = ['weeks', 'funnel', 'stadtbezirk', 'carrier'] as const;
const generatedAt = new Date('2027-03-31T10:00:00Z');

/** A long year: 53 weeks, every Stadtbezirk, 24 carriers (21 no longer listed): the tallest charts. */
function longYear(): Figures {
  const offers: ReportOffer[] = Array.from({ length: 400 }, (_, i) => ({
    id: i + 1,
    receivedAt: new Date(Date.parse('2026-01-01T08:00:00Z') + i * 21.9 * 3600_000).toISOString(),
    status: 'received',
    stage: 'open',
    stadtbezirk: i % 10 === 9 ? null : stadtbezirke[i % 9]!,
    carrierId: `traeger-mit-langem-namen-${i % 24}`,
    takenOnBy: null,
  }));
  return computeFigures({ offers, events: [] }, { from: '2026-01-01', to: '2026-12-31', carriers });
}

// Reason for skipping: without Chromium nothing here can run; support/browser.ts warns loudly
// and fails the run under CI=true.
describe.skipIf(browserMissing)('the figures as an HTML page in Chromium', () => {
  const pages: Record<string, string> = {};
  let server: Server;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    const store = openSqliteStore(tempDataDir());
    await seedHistory(store);
    pages.history = renderHtml(await loadFigures(store, historyPeriod, carriers), { generatedAt });
    await store.close();
    pages.year = renderHtml(longYear(), { generatedAt });
    // Served over loopback so that every request the page might make is seen (and refused).
    server = createServer((req, res) => {
      const page = pages[(req.url ?? '/').slice(1)];
      if (page === undefined) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Opens a page with every request but the page itself refused and recorded, console errors too. */
  async function open(name: string, viewport: keyof typeof viewports = 'desktop') {
    const context = await browser.newContext(viewports[viewport]);
    const page = await context.newPage();
    const url = `${base}/${name}`;
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });
    return { context, page, requests, problems, url };
  }

  it.each(['history', 'year'])(
    'the %s page makes no request at all besides itself, and nothing complains',
    async (name) => {
      const { context, page, requests, problems, url } = await open(name);
      expect(requests).toEqual([url]);
      expect(problems).toEqual([]);
      // The four charts are images with their names; every one has its table.
      for (const title of [
        'Angebote pro Woche, als Säulendiagramm',
        'Der Weg der Angebote, als Balkendiagramm',
        'Angebote nach Stadtbezirk, als Balkendiagramm',
        'Angebote nach Träger, als Balkendiagramm',
      ])
        await expect(page.getByRole('img', { name: title }).isVisible(), title).resolves.toBe(true);
      expect(await page.locator('table').count()).toBe(7);
      await context.close();
    },
  );

  it('shows the seeded numbers in the tables, as the coordinator would copy them', async () => {
    const { context, page } = await open('history');
    const row = (table: string, header: string) =>
      page
        .getByRole('table', { name: table, exact: true })
        .getByRole('row', { name: new RegExp(`^${header} `) })
        .innerText();
    expect((await row('Angebote nach Stadtbezirk', 'Kalk')).split(/\s+/)).toEqual(['Kalk', '4', '3', '2']);
    expect((await row('Angebote nach Träger', 'Caritasverband')).split(/\s+/)).toEqual([
      'Caritasverband',
      '3',
      '3',
      '1',
    ]);
    expect((await row('Angebote pro Woche', 'KW 42/2026')).split(/\s+/)).toEqual([
      'KW',
      '42/2026',
      '12.10.–18.10.2026',
      '4',
    ]);
    await context.close();
  });

  // The long year once: axe takes its time over 400 table cells on a shared machine.
  it.each([
    ['history', 'phone'],
    ['history', 'desktop'],
    ['year', 'desktop'],
  ] as const)('axe finds no WCAG 2.2 A/AA violation on the %s page (%s)', async (name, viewport) => {
    const { context, page } = await open(name, viewport);
    await expectNoAxeViolations(page, `${name} (${viewport})`);
    await context.close();
  });

  it.each(['history', 'year'])('the %s page prints on A4 with every chart whole on one page', async (name) => {
    const { context, page } = await open(name);
    const printed = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    expect(printed.length).toBeGreaterThan(1);
    for (const p of printed) expect(p.mediaBox.map(Math.round)).toEqual([0, 0, 595, 842]);
    // Each chart draws its bars in a colour of its own: a chart cut by a page break would draw on two pages.
    const pagesOf = Object.fromEntries(
      charts.map((chart) => [chart, printed.flatMap((p, i) => (fillsWith(p, palette[chart]) ? [i + 1] : []))]),
    );
    for (const chart of charts) expect(pagesOf[chart], chart).toHaveLength(1);
    await context.close();
  });
});
