// End-to-end: the dashboard in Debian's headless Chromium, driven by
// playwright-core: the page loads, the map draws 229 municipalities, the
// slider changes the year, the editor has a control for every row of the
// lever table, a scenario edited in the page (a union, a hub picked on the
// map) runs and the comparison shows; each shipped scenario loaded into the
// editor and run unchanged gives the CLI's numbers; a screenshot is written
// as a test artefact.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { jsonDiff } from './golden.mjs';

// Click Run and wait for its answer to be drawn (body[data-runs] counts runs).
async function runAndWait(page) {
  const n = Number(await page.getAttribute('body', 'data-runs'));
  await page.click('#run');
  await page.waitForFunction((k) => Number(document.body.dataset.runs) > k || document.body.dataset.lastError, n, { timeout: 30000 });
  const err = await page.getAttribute('body', 'data-last-error');
  assert.equal(err, null, `run failed: ${err}`);
}

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
    // the editor is generated from the lever table: every setting has its control
    const levers = (await (await fetch(base + '/api/levers')).json()).levers;
    const scenarios = (await (await fetch(base + '/api/scenarios')).json()).scenarios;
    await page.selectOption('#preset', 'combined.yaml');
    for (const lv of levers)
      if (lv.type !== 'file')
        assert.ok(await page.locator(`#levers [data-lever="${lv.path}"]`).count() > 0, `no control for ${lv.path}`);
    const cut = levers.find((lv) => lv.path === 'levers.integration[].transport_cut');
    const cutInput = page.locator('[data-path="levers.integration[0].transport_cut"] input[type=number]');
    assert.equal(await cutInput.getAttribute('max'), String(cut.max));
    assert.match(await page.textContent('[data-path="levers.integration[0].transport_cut"]'), new RegExp(cut.unit));
    // a pending setting is marked, with its reason as tooltip
    const hq = levers.find((lv) => lv.path === 'levers.integration[].hq');
    assert.equal(await page.getAttribute('[data-path="levers.integration[0].hq"] .badge', 'title'), hq.pending);
    // today's shares: the table's text and the data's value when unset
    const other = levers.find((lv) => lv.path === 'levers.decentralization.fiscal.other');
    assert.equal(await page.getAttribute('[data-path="levers.decentralization.fiscal.other"] input[type=number]', 'placeholder'),
      `${other.default_text} ${other.today.toFixed(3)}`);
    // Korean labels, the editor's from the table's label_ko
    await page.selectOption('#lang', 'ko');
    assert.equal(await page.textContent('#run'), '실행');
    const dec = levers.find((lv) => lv.path === 'levers.decentralization');
    assert.match(await page.textContent('[data-path="levers.decentralization"] > legend'), new RegExp(dec.label_ko));
    await page.selectOption('#lang', 'en');
    // edit a scenario: a union added with two members, a setting changed, and
    // a hub picked on the map
    await page.selectOption('#preset', 'status_quo.yaml');
    await page.click('button.add[data-path="levers.integration"]');
    await page.check('[data-path="levers.integration[0].members"] input[value="26"]');
    await page.check('[data-path="levers.integration[0].members"] input[value="48"]');
    await page.fill('[data-path="levers.integration[0].transport_cut"] input[type=number]', '0.45');
    await page.check('#pick');
    // the middle of the map is inland Korea (Gyeongbuk): a municipality; the
    // checkbox scrolled the page, so bring the map back first
    await page.locator('#mapA').scrollIntoViewIfNeeded();
    const box = await page.locator('#mapA').boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.45);
    await page.waitForSelector('[data-path="levers.metropolises.hubs[0]"]');
    assert.equal(await page.locator('[data-path="levers.metropolises.hubs"] fieldset.item').count(), 1);
    const hub = await page.getAttribute('body', 'data-last-click');
    assert.match(hub, /^\d{5}$/, 'a municipality was picked');
    await page.uncheck('#pick');
    await page.fill('[data-path="name"] input', 'e2e_scenario');
    const t0 = Date.now();
    await runAndWait(page);
    const ms = Date.now() - t0;
    assert.equal(await page.getAttribute('body', 'data-last-run'), 'e2e_scenario');
    const posted = (await page.evaluate(() => window.balanceLastRun)).spec;
    assert.deepEqual(posted.levers.integration.map((u) => [u.members, u.transport_cut]), [[['26', '48'], 0.45]]);
    assert.equal(posted.levers.metropolises.hubs[0].region, hub);
    // the comparison shows the scenario next to the status quo
    const row = page.locator('#compare tr[data-indicator="capital_region_share"] td');
    assert.equal(await row.count(), 7);
    const header = await page.textContent('#compare tr:first-child');
    assert.match(header, /e2e_scenario/);
    // each shipped scenario, loaded and run unchanged, posts its resolved form
    // and shows the CLI's numbers (tests/golden/compare.json, 12 digits; the
    // API writes 8)
    const golden = JSON.parse(readFileSync(new URL('../../tests/golden/compare.json', import.meta.url), 'utf8'));
    const t1 = Date.now();
    // (the status quo first: the screenshot shows the last one)
    for (const sc of [...scenarios].sort((x, y) => y.status_quo - x.status_quo)) {
      await page.selectOption('#preset', sc.file);
      await runAndWait(page);
      const last = await page.evaluate(() => window.balanceLastRun);
      assert.deepEqual(last.spec, sc.resolved, `${sc.file}: the editor's spec is not the resolved scenario`);
      const want = golden.scenarios.find((g) => g.name === sc.name && !g.baseline) ||
        golden.scenarios.find((g) => g.name === sc.name);
      assert.ok(want, sc.name);
      // the status quo may come back as the baseline alone
      const col = last.compare.scenarios.length > 1 ? 'scenario' : 'status_quo';
      const shown = await page.evaluate((c) => {
        const o = {};
        document.querySelectorAll('#compare tr[data-indicator]').forEach((tr) => {
          o[tr.dataset.indicator] = [...tr.querySelectorAll(`td[data-col="${c}"]`)].map((td) => Number(td.dataset.v));
        });
        return o;
      }, col);
      let d = jsonDiff(want.indicators, shown, '$', 1e-7);
      assert.equal(d, null, `${sc.file}: the dashboard shows ${d}`);
      d = jsonDiff(want.unions, last.compare.scenarios.at(-1).unions, '$.unions', 1e-7);
      assert.equal(d, null, `${sc.file}: ${d}`);
      assert.match(await page.textContent('#compare tr:first-child'), new RegExp(sc.name));
    }
    const shippedMs = Date.now() - t1;
    // a difference map against the status quo
    await page.selectOption('#mode', 'difference');
    await page.selectOption('#indicator', 'population');
    // side by side draws two maps
    await page.selectOption('#mode', 'side');
    assert.ok(await page.locator('#mapB svg path').count() >= 229);
    await page.screenshot({ path: path.join(artifacts, 'dashboard.png'), fullPage: true });
    assert.deepEqual(errors, []);
    console.log(`e2e: scenario run and shown in ${ms} ms; ${scenarios.length} shipped scenarios loaded, run and checked in ${shippedMs} ms`);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
