// Browser tests in Debian's chromium driven by playwright-core. The public site:
// a visitor's search, the deep-zoom viewer on IIIF tiles, a manifest in Mirador,
// axe-core accessibility checks, and screenshots at 375 and 1280 px. The
// workspace: a curator signs in and records the seed donation through the
// intake screens, uploads a photograph, publishes one item, and the public
// site shows it and not the other.
//
//   node tests/browser/run.mjs PATH/TO/catalogue
//
// Starts its own servers (the demo catalogue, and an empty one for intake) on
// free loopback ports.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
// What the Content Security Policy blocked on any page, with the page's address.
const cspViolations = [];
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
  const newPage = async (width = 1280, locale = 'zh-CN', options = {}) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale, ...options });
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    // Anything the Content Security Policy blocked: every page must work under it.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
    });
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

  await test('pages carry a Content-Security-Policy, and suggestions work under it', async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/`);
    const csp = res.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/);
    assert.ok(!/unsafe-inline/.test(csp), csp);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers()['x-content-type-options'], 'nosniff');
    const suggested = page.waitForResponse((r) => r.url().includes('/api/v1/suggest') && r.status() === 200);
    await page.locator('#q').pressSequentially('李书', { delay: 50 });
    await suggested;
    await page.waitForFunction(() => document.querySelectorAll('#suggestions option').length > 0, null, { timeout: 10000 });
    const options = await page.$$eval('#suggestions option', (os) => os.map((o) => o.value));
    assert.ok(options.some((o) => o.includes('李书城')), JSON.stringify(options));
    assert.deepEqual(page.errors, []);
  });

  await test('without JavaScript the object page shows its images, and the larger image opens', async () => {
    const page = await newPage(1280, 'zh-CN', { javaScriptEnabled: false });
    await page.goto(`${base}/objects/DEMO-PH-1`);
    assert.equal(await page.locator('#viewer').isVisible(), false, 'no empty viewer box');
    const still = page.locator('noscript img.still, img.still').first();
    await still.waitFor({ state: 'visible', timeout: 10000 });
    const loaded = await still.evaluate((img) => img.complete && img.naturalWidth > 0);
    assert.ok(loaded, 'the image itself is shown');
    const larger = await page.getAttribute('ul.image-list a', 'href');
    const res = await page.request.get(`${base}${larger}`);
    assert.equal(res.status(), 200, larger);
    assert.equal(res.headers()['content-type'], 'image/jpeg');
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
    // The viewer's buttons speak the page's language, and no strip covers the image.
    assert.ok(await page.locator('#viewer [title="放大"]').count() > 0, 'a zoom button titled 放大 on a Chinese page');
    assert.equal(await page.locator('#viewer [title="Zoom in"]').count(), 0);
    const tiles = iiif.filter((r) => /\/default\.jpg$/.test(r.url));
    assert.ok(iiif.some((r) => r.url.endsWith('/info.json') && r.status === 200), 'info.json loaded');
    assert.ok(tiles.length > 0, 'tiles requested');
    assert.ok(iiif.every((r) => r.status === 200), JSON.stringify(iiif.filter((r) => r.status !== 200)));
    manifestUrl = await page.getAttribute('p.iiif a[type="application/ld+json"]', 'href');
    const en = await newPage();
    await en.goto(`${base}/objects/DEMO-PH-2?lang=en`);
    await en.waitForFunction(() => window.catalogueViewer && window.catalogueViewer.world.getItemCount() > 0, null, { timeout: 30000 });
    assert.ok(await en.locator('#viewer [title="Zoom in"]').count() > 0, 'and Zoom in on an English one');
    await en.context().close();
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
    // Through the object page's own link to the bundled Mirador.
    const object = await newPage();
    await object.goto(`${base}/objects/DEMO-PH-2`);
    const mirador = await object.getAttribute('a.mirador', 'href');
    await object.context().close();
    assert.equal(new URL(mirador, base).searchParams.get('manifest'), manifestUrl);
    await page.goto(`${base}${mirador}`);
    await page.waitForSelector('.mirador-viewer', { timeout: 30000 });
    await tile;
    assert.deepEqual(failed, []);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(consoleErrors, []);
    await page.screenshot({ path: join(artifacts, 'mirador-1280.png') });
  });

  await test('the citation is copied by its button, as shown', async () => {
    const page = await newPage(1280, 'zh-CN', { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${base}/objects/2023.15.2`);
    const button = page.locator('button.copy');
    await button.waitFor({ state: 'visible' });
    const shown = (await page.textContent('#citation')).trim();
    assert.ok(shown.includes('《黎澍书陆游〈村饮〉诗》') && !shown.includes('%'), shown);
    await button.click();
    await page.waitForFunction(() => document.querySelector('button.copy').textContent === '已复制');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  const pages = {
    home: '/',
    results: `/search?q=${encodeURIComponent('李书城')}`,
    object: '/objects/2023.15.2',
    'object-images': '/objects/DEMO-PH-1',
    donation: '/donations/1',
    donors: '/donors',
    donor: '/donors/4',
    maker: `/makers/${encodeURIComponent('黎澍')}`,
    browse: '/browse',
    'browse-period': '/browse/period',
    'results-grid': '/search?view=grid&per_page=50',
    'object-zh-number': `/objects/${encodeURIComponent('贈扇00000600000')}`,
  };
  for (const [name, path] of Object.entries(pages)) {
    await test(`axe finds no serious or critical violation on the ${name} page (zh and en)`, async () => {
      for (const lang of ['zh', 'en']) {
        const page = await newPage();
        await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await injectAxe(page);
        const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
        const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), []);
        await page.context().close();
      }
    });
  }

  // Every page type, in both languages, at phone widths and on a desktop; screenshots at 375 and 1280.
  for (const width of [320, 375, 414, 1280]) {
    await test(`pages fit at ${width} px`, async () => {
      for (const [name, path] of Object.entries(pages)) {
        for (const lang of ['zh', 'en']) {
          const page = await newPage(width);
          await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          await page.waitForLoadState('networkidle');
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${name} (${lang}) scrolls sideways by ${overflow} px at ${width} px`);
          if ((width === 375 || width === 1280) && (lang === 'zh' || name === 'object-zh-number')) {
            await page.screenshot({ path: join(artifacts, `${name}${lang === 'en' ? '-en' : ''}-${width}.png`), fullPage: true });
          }
          await page.context().close();
        }
      }
    });
  }
  await test('a curator records the seed donation in the workspace, and publishes one item', async () => {
    await workspaceIntake(browser, newPage);
  });
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
}

// axe is the test's tool, not the site's: evaluated through the browser's debugging
// protocol, which the page's Content Security Policy does not govern (a script tag
// added to the page would be refused, as it should be).
async function injectAxe(page) {
  await page.evaluate(readFileSync(axePath, 'utf8'));
}

// No serious or critical accessibility violation on the page as it stands.
async function axeClean(page, what) {
  await injectAxe(page);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${what}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), []);
}

// The seed donation's register, as the museum's curators keep it.
function seedItems() {
  const [head, ...rows] = readFileSync(join(here, '../fixtures/seed/register.csv'), 'utf8').trim().split('\n');
  const names = head.split(',');
  return rows.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

async function workspaceIntake(browser, newPage) {
  // An empty catalogue of its own, with one curator.
  const dir = mkdtempSync(join(tmpdir(), 'catalogue-intake-'));
  const password = 'curator password for the browser';
  const made = spawnSync(bin, ['--data-dir', dir, 'user', 'add', 'curator', '--role', 'curator', '--password-stdin'],
    { input: `${password}\n`, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const port = await freePort();
  const site = `http://127.0.0.1:${port}`;
  const server = spawn(bin, ['--data-dir', dir, 'serve', '--addr', `127.0.0.1:${port}`],
    { env: { ...process.env, RUST_LOG: 'warn' }, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitFor(async () => (await fetch(`${site}/healthz`)).ok, 'the intake server');
    const page = await newPage();
    page.on('dialog', (d) => d.dismiss());
    const failedRequests = [];
    page.on('response', (r) => { if (r.status() >= 400) failedRequests.push(`${r.status()} ${r.url()}`); });

    // Sign in: the workspace sends us to the form and back.
    await page.goto(`${site}/admin`);
    assert.match(page.url(), /\/login\?next=/);
    await axeClean(page, 'sign-in');
    await page.fill('input[name=name]', 'curator');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(/\/admin(\?|$)/), page.click('button[type=submit]')]);

    await axeClean(page, 'dashboard');
    // Donor: 李振亚, a descendant of 李书城.
    await Promise.all([page.waitForURL(/\/admin\/donors\/new/), page.click('a.button')]);
    await axeClean(page, 'donor form');
    await page.fill('input[name=name_zh]', '李振亚');
    await page.selectOption('select[name=relation_kind]', 'descendant_of');
    await page.fill('input[name=relation_name]', '李书城');
    await page.check('input[name=naming_consent]');
    await page.fill('input[name=credit_line]', '李书城后人李振亚捐赠');
    await page.fill('input[name=email]', 'donor-contact@example.org');
    await Promise.all([page.waitForURL(/\/admin\/donations\/new/), page.click('form.record button[type=submit]')]);

    // The donation event.
    assert.equal(await page.locator('select[name=donor] option:checked').textContent(), '李振亚');
    await page.fill('input[name=date]', '2023年');
    await page.fill('input[name=occasion_zh]', '「有实其积」第15场捐赠仪式——李书城、薛文淑珍贵遗物捐赠专场');
    await page.fill('input[name=venue]', '初心讲堂');
    await page.fill('input[name=number]', '15');
    await Promise.all([page.waitForURL(/\/admin\/donations\/\d+/), page.click('form.record button[type=submit]')]);
    const donationUrl = page.url();
    await axeClean(page, 'donation page');
    assert.equal(await page.locator('.next-accession').textContent(), '2023.15.1');

    // The items, one by one, from the register.
    const items = seedItems();
    const numbers = [];
    for (const [i, item] of items.entries()) {
      if (i > 0) await page.goto(donationUrl);
      await page.fill('input[name=title_zh]', item['藏品名称']);
      await page.fill('textarea[name=makers]', item['作者']);
      if (item['年代']) await page.fill('input[name=date]', item['年代']);
      await page.fill('input[name=category]', item['类别']);
      if (item['质地']) await page.fill('input[name=materials]', item['质地']);
      await page.fill('input[name=quantity]', item['数量']);
      await page.fill('input[name=acquisition_method]', item['来源方式']);
      await page.fill('[name=source_note]', item['具体来源']);
      await page.fill('textarea[name=description_zh]', item['备注']);
      // Dimensions typed as free text get a live reading; the register has none yet.
      await page.fill('[name=dimensions]', '纵 60 厘米，横 90 厘米');
      await page.waitForFunction(() => /60/.test(document.querySelector('#dimensions-preview').textContent));
      await page.fill('[name=dimensions]', '待测量');
      await page.waitForFunction(() => /待测量/.test(document.querySelector('#dimensions-preview').textContent));
      if (/复制/.test(item['藏品名称'])) {
        await page.check('input[name=reproduction]');
        await page.fill('input[name=reproduction_note]', item['备注']);
      }
      if (/晓缘/.test(item['备注'])) {
        await page.fill('input[name=ins_kind_0]', 'dedication');
        await page.fill('[name=ins_text_0]', '晓缘仁兄');
      }
      // Saved, the curator is back at the donation's steps, with the item in its table.
      await Promise.all([page.waitForURL(/\/admin\/donations\/\d+/), page.click('form.record button[type=submit]')]);
      assert.equal(await page.locator('p.notice.done').textContent(), '藏品已保存为草稿，可继续添加下一件。');
      const row = page.locator('#items table.items tbody tr').last();
      numbers.push(await row.locator('td:nth-child(2)').textContent());
      assert.equal(await row.locator('td:nth-child(4)').textContent(), '草稿');
    }
    assert.deepEqual(numbers, ['2023.15.1', '2023.15.2']);
    await axeClean(page, 'donation page with items');

    // A photograph of the first item, uploaded with progress.
    await page.goto(`${site}/admin/objects/2023.15.1`);
    await page.setInputFiles('form.upload input[type=file]', join(here, '../fixtures/images/hopper.jpg'));
    await Promise.all([page.waitForEvent('load'), page.click('form.upload button[type=submit]')]);
    await page.waitForSelector('ul.images li img');
    assert.equal(await page.locator('ul.images li').count(), 1);
    await page.waitForFunction(() => {
      const img = document.querySelector('ul.images li img');
      return img.complete && img.naturalWidth > 0;
    }, null, { timeout: 15000 }).catch((e) => { throw new Error(`the thumbnail did not load: ${failedRequests.join(', ')}: ${e}`); });

    // Accession the donation, then publish the first item only.
    await page.goto(donationUrl);
    await Promise.all([page.waitForURL(/\/admin\/donations\/\d+\?done=accessioned/), page.click('form.accession button')]);
    assert.equal(await page.locator('.donation-status').textContent(), '已入藏');
    await page.goto(`${site}/admin/objects/2023.15.1`);
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=status][value=published]')]);
    assert.equal(await page.locator('.status').first().textContent(), '已公开');
    assert.equal(await page.locator('p.notice.done').textContent(), '已发布到公开网站。');
    await axeClean(page, 'object page');
    // The lists: every object, filtered; every donation; every donor. The object list reads
    // the search index, which follows each write within a second.
    await waitFor(async () => {
      await page.goto(`${site}/admin/objects?status=internal`);
      return (await page.locator('table.list tbody td.acc').allTextContents()).join(' ') === '2023.15.2';
    }, 'the object list to show the publication');
    await axeClean(page, 'object list');
    await page.selectOption('select[name=status]', '');
    await Promise.all([page.waitForURL(/\/admin\/objects\?/), page.click('form.filters button[type=submit]')]);
    assert.equal(await page.locator('p.count').textContent(), '共 2 件');
    await page.goto(`${site}/admin/donations`);
    await axeClean(page, 'donation list');
    await page.goto(`${site}/admin/donors?find=lizhenya`);
    assert.deepEqual(await page.locator('table.list tbody td:nth-child(1)').allTextContents(), ['李振亚']);
    await axeClean(page, 'donor list');
    assert.deepEqual(page.errors, []);

    // A batch publish of a whole search result, with one record changed by someone else
    // between the preview and the confirmation: refused, and nothing is changed.
    const token = made.stdout.trim().split('\n').pop().trim();
    await page.goto(`${site}/admin/objects?status=internal`);
    await page.selectOption('form.batch select[name=action]', 'publish');
    await Promise.all([page.waitForURL(/\/admin\/batch/), page.click('form.batch button[name=whole]')]);
    assert.deepEqual(await page.locator('table.batch tbody td:nth-child(1)').allTextContents(), ['2023.15.2']);
    await axeClean(page, 'batch preview');
    const before = await (await fetch(`${site}/api/v1/artefacts/2023.15.2`, { headers: { authorization: `Bearer ${token}` } })).json();
    const edit = await fetch(`${site}/api/v1/artefacts/2023.15.2`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: before.version, title: { zh: `${before.title.zh}（改）` } }),
    });
    assert.equal(edit.status, 200);
    await Promise.all([page.waitForLoadState('load'), page.click('form.batch-apply button[name=apply]')]);
    assert.match(await page.locator('div.conflict').textContent(), /预览之后已被他人修改/);
    const after = await (await fetch(`${site}/api/v1/artefacts/2023.15.2`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(after.status, 'internal', 'the batch changed nothing');

    // The workspace on a phone: no page scrolls sideways at 375 px.
    await page.setViewportSize({ width: 375, height: 800 });
    // The history of the record edited above marks what changed, not the whole title.
    await page.goto(`${site}/admin/objects/2023.15.2/history`);
    assert.deepEqual(await page.locator('section.change').first().locator('table.diff ins').allTextContents(), ['（改）']);
    await axeClean(page, 'history page');
    for (const path of ['/admin', '/admin/objects', '/admin/donations', '/admin/donors', donationUrl, '/admin/objects/2023.15.1', '/admin/objects/2023.15.2/history']) {
      await page.goto(path.startsWith('http') ? path : `${site}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow} px at 375 px`);
    }
    // At 375 px a change reads down the screen: before and after each have the width of it.
    await page.goto(`${site}/admin/objects/2023.15.2/history`);
    const narrowest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('table.diff td')].map((td) => td.getBoundingClientRect().width)));
    assert.ok(narrowest >= 250, `a history value is squeezed to ${narrowest} px at 375 px`);
    await page.screenshot({ path: join(artifacts, 'workspace-history-375.png'), fullPage: true });
    await page.goto(`${site}/admin`);
    await page.screenshot({ path: join(artifacts, 'workspace-dashboard-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Every workspace page the curator can reach, walked link by link in each language as
    // the browser shows it: no program code on screen (tests/fixtures/screen-codes.json).
    const screen = JSON.parse(readFileSync(join(here, '../fixtures/screen-codes.json'), 'utf8'));
    for (const lang of ['zh', 'en']) {
      const seen = new Set();
      const queue = ['/admin'];
      const problems = [];
      while (queue.length && seen.size < 60) {
        const path = queue.shift();
        if (seen.has(path)) continue;
        seen.add(path);
        const res = await page.goto(`${site}${path}?lang=${lang}`);
        assert.ok(res.ok(), `${path}?lang=${lang}: ${res.status()}`);
        const { text, links } = await page.evaluate(() => {
          const body = document.body.cloneNode(true);
          body.querySelectorAll('code, script, style').forEach((e) => e.remove());
          const links = [...document.querySelectorAll('a[href]:not([download])')].map((a) => new URL(a.href));
          return { text: body.textContent, links: links.filter((u) => u.origin === location.origin).map((u) => u.pathname + (u.hash ? '#' : '')) };
        });
        for (const w of text.split(/[^A-Za-z0-9_-]+/)) {
          if (screen.codes.includes(w) || (lang === 'zh' && screen.word_codes.includes(w))) problems.push(`${path}?lang=${lang}: ${w}`);
        }
        queue.push(...links.filter((l) => l.startsWith('/admin') && !l.endsWith('#') && !l.endsWith('.csv')));
      }
      assert.ok(seen.size >= 10, `walked only ${[...seen].join(' ')}`);
      assert.deepEqual([...new Set(problems)], [], 'codes on screen');
    }

    // The public site shows the published item with its image, and not the other.
    const visitor = await newPage();
    await waitFor(async () => {
      const r = await (await fetch(`${site}/api/v1/search?q=${encodeURIComponent('毛主席走遍全国')}`)).json();
      return r.total === 1;
    }, 'the published item to be searchable');
    const res = await visitor.goto(`${site}/objects/2023.15.1`);
    assert.equal(res.status(), 200);
    assert.match(await visitor.locator('h1').textContent(), /毛主席走遍全国/);
    assert.ok(!(await visitor.content()).includes('donor-contact@example.org'));
    assert.equal((await visitor.goto(`${site}/objects/2023.15.2`)).status(), 404);
    await visitor.goto(`${site}/search?q=${encodeURIComponent('村饮')}`);
    assert.equal(await visitor.locator('ol.hits > li').count(), 0, 'the unpublished item is not found by the public');
    await page.screenshot({ path: join(artifacts, 'workspace-object-1280.png'), fullPage: true });
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await test('no page broke the Content Security Policy', async () => {
  assert.deepEqual(cspViolations, []);
});

const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length} of ${results.length} browser tests passed; screenshots in ${artifacts}`);
process.exit(failed.length === 0 ? 0 : 1);
