// Browser tests of the public site, in Debian's chromium driven by playwright-core:
// a visitor's search, the deep-zoom viewer on IIIF tiles, a manifest in Mirador,
// axe-core accessibility checks, and screenshots at 375 and 1280 px.
//
//   node tests/browser/run.mjs PATH/TO/catalogue
//
// Starts its own server with the demo catalogue on a free loopback port.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2] || join(here, '../../target/debug/catalogue');
const artifacts = process.env.BROWSER_ARTIFACTS || join(here, 'artifacts');
const axePath = join(here, 'node_modules/axe-core/axe.min.js');
mkdirSync(artifacts, { recursive: true });

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitFor(check, what, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if (await check()) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const results = [];
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n     ${e.stack || e}`);
  }
}

const data = mkdtempSync(join(tmpdir(), 'catalogue-browser-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ['--data-dir', data, 'serve', '--demo', '--addr', `127.0.0.1:${port}`], {
  env: { ...process.env, RUST_LOG: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let browser;
try {
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 'the server');
  await waitFor(async () => {
    const r = await (await fetch(`${base}/api/v1/search?q=${encodeURIComponent('晓缘仁兄')}`)).json();
    return r.total > 0;
  }, 'the demo catalogue to be indexed');

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });

  // Visitors' browsers ask for Chinese first, as the museum's visitors' do.
  const newPage = async (width = 1280, locale = 'zh-CN') => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    return page;
  };

  await test('a visitor searches 李書城, narrows by a facet, opens the object and switches to English', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', 'the first Tab reaches the skip link');
    await page.fill('#q', '李書城');
    await Promise.all([page.waitForURL(/\/search\?/), page.press('#q', 'Enter')]);
    const hits = await page.locator('ol.hits > li').count();
    assert.ok(hits > 0, 'results for 李書城');
    await Promise.all([page.waitForURL(/filter=/), page.locator('section.facet a').first().click()]);
    assert.equal(await page.locator('.active a.chip').count(), 1, 'one active filter');
    await Promise.all([page.waitForURL(/\/objects\//), page.locator('ol.hits h3 a').first().click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    await Promise.all([page.waitForURL(/lang=en/), page.locator('a.lang').click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('#cite-h').textContent(), 'Cite this object');
    assert.deepEqual(page.errors, []);
  });

  let manifestUrl;
  await test('an object with images shows IIIF tiles in the viewer, and its manifest is valid JSON', async () => {
    const page = await newPage();
    const iiif = [];
    page.on('response', (r) => { if (r.url().includes('/iiif/3/')) iiif.push({ url: r.url(), status: r.status() }); });
    await page.goto(`${base}/objects/DEMO-PH-2`);
    await page.waitForFunction(() => {
      const v = window.catalogueViewer;
      return v && v.world.getItemCount() > 0 && v.world.getItemAt(0).getFullyLoaded();
    }, null, { timeout: 30000 });
    const tiles = iiif.filter((r) => /\/default\.jpg$/.test(r.url));
    assert.ok(iiif.some((r) => r.url.endsWith('/info.json') && r.status === 200), 'info.json loaded');
    assert.ok(tiles.length > 0, 'tiles requested');
    assert.ok(iiif.every((r) => r.status === 200), JSON.stringify(iiif.filter((r) => r.status !== 200)));
    manifestUrl = await page.getAttribute('p.iiif a[type="application/ld+json"]', 'href');
    const res = await page.request.get(manifestUrl);
    assert.equal(res.status(), 200);
    const manifest = await res.json();
    assert.equal(manifest.type, 'Manifest');
    assert.ok(manifest.items.length >= 1);
    assert.deepEqual(page.errors, []);
  });

  await test('the manifest opens in Mirador without errors', async () => {
    assert.ok(manifestUrl, 'a manifest from the previous test');
    const page = await newPage();
    const failed = [];
    page.on('response', (r) => { if (r.url().includes('/iiif/3/') && r.status() >= 400) failed.push(r.url()); });
    const consoleErrors = [];
    // Mirador's own React deprecation notices are not errors of the manifest or the image server.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/React \d+|deprecat/i.test(m.text())) consoleErrors.push(m.text());
    });
    const tile = page.waitForResponse((r) => /\/iiif\/3\/.+\/default\.jpg$/.test(r.url()) && r.status() === 200, { timeout: 30000 });
    await page.goto(`${base}/static/mirador.html?manifest=${encodeURIComponent(manifestUrl)}`);
    await page.waitForSelector('.mirador-viewer', { timeout: 30000 });
    await tile;
    assert.deepEqual(failed, []);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(consoleErrors, []);
    await page.screenshot({ path: join(artifacts, 'mirador-1280.png') });
  });

  const pages = {
    home: '/',
    results: `/search?q=${encodeURIComponent('李书城')}`,
    object: '/objects/2023.15.2',
    'object-images': '/objects/DEMO-PH-1',
    donation: '/donations/1',
    donors: '/donors',
  };
  for (const [name, path] of Object.entries(pages)) {
    await test(`axe finds no serious or critical violation on the ${name} page (zh and en)`, async () => {
      for (const lang of ['zh', 'en']) {
        const page = await newPage();
        await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await page.addScriptTag({ path: axePath });
        const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
        const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), []);
        await page.context().close();
      }
    });
  }

  for (const width of [375, 1280]) {
    await test(`pages fit and are screenshotted at ${width} px`, async () => {
      for (const name of ['home', 'results', 'object', 'object-images']) {
        const page = await newPage(width);
        await page.goto(`${base}${pages[name]}`);
        await page.waitForLoadState('networkidle');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow} px at ${width} px`);
        await page.screenshot({ path: join(artifacts, `${name}-${width}.png`), fullPage: true });
        await page.context().close();
      }
    });
  }
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} of ${results.length} browser tests passed; screenshots in ${artifacts}`);
process.exit(failed.length === 0 ? 0 : 1);
