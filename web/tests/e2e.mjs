// End-to-end: the dashboard in Debian's headless Chromium, driven by
// playwright-core: the page loads, the map draws 229 municipalities, the
// slider changes the year, a scenario edited in the page runs and the
// comparison shows; a screenshot is written as a test artefact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export async function e2eTest(base, artifacts) {
  const profile = mkdtempSync(path.join(tmpdir(), 'balance-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run']
  });
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + '/');
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    // the map draws every municipality
    assert.equal(await page.getAttribute('body', 'data-regions-drawn'), '229');
    const paths = await page.locator('#mapA svg path').count();
    assert.ok(paths >= 229, `only ${paths} paths drawn`);
    // the slider changes the year
    await page.locator('#year').fill('2045');
    await page.waitForSelector('body[data-year="2045"]');
    assert.equal(await page.textContent('#yearLabel'), '2045');
    // Korean labels
    await page.selectOption('#lang', 'ko');
    assert.equal(await page.textContent('#run'), '실행');
    await page.selectOption('#lang', 'en');
    // edit a scenario: a union, and a hub picked on the map
    await page.check('#u_bg');
    await page.check('#pick');
    // the middle of the map is inland Korea (Gyeongbuk): a municipality; the
    // checkbox scrolled the page, so bring the map back first
    await page.locator('#mapA').scrollIntoViewIfNeeded();
    const box = await page.locator('#mapA').boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.45);
    await page.waitForSelector('#hubs li');
    assert.equal(await page.locator('#hubs li').count(), 1);
    const hub = await page.getAttribute('body', 'data-last-click');
    assert.match(hub, /^\d{5}$/, 'a municipality was picked');
    await page.uncheck('#pick');
    await page.fill('#scnName', 'e2e_scenario');
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('body[data-last-run="e2e_scenario"]', { timeout: 30000 });
    const ms = Date.now() - t0;
    // the comparison shows the scenario next to the status quo
    const row = page.locator('#compare tr[data-indicator="capital_region_share"] td');
    assert.equal(await row.count(), 7);
    const header = await page.textContent('#compare tr:first-child');
    assert.match(header, /e2e_scenario/);
    // a difference map against the status quo
    await page.selectOption('#mode', 'difference');
    await page.selectOption('#indicator', 'population');
    // side by side draws two maps
    await page.selectOption('#mode', 'side');
    assert.ok(await page.locator('#mapB svg path').count() >= 229);
    await page.screenshot({ path: path.join(artifacts, 'dashboard.png'), fullPage: true });
    assert.deepEqual(errors, []);
    console.log(`e2e: scenario run and shown in ${ms} ms`);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
