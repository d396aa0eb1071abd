// API tests: status codes, JSON shape, error cases (docs/api.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkGolden, jsonDiff } from './golden.mjs';

async function call(base, url, opts) {
  const r = await fetch(base + url, opts);
  const type = r.headers.get('content-type') || '';
  const body = type.startsWith('application/json') ? await r.json() : await r.text();
  return { status: r.status, type, body };
}

export async function apiTests(base, test) {
  await test('GET /api/regions: 17 sido and 229 sigungu with names', async () => {
    const { status, body } = await call(base, '/api/regions');
    assert.equal(status, 200);
    assert.equal(body.regions.filter((r) => r.level === 'sido').length, 17);
    assert.equal(body.regions.filter((r) => r.level === 'sigungu').length, 229);
    const seoul = body.regions.find((r) => r.code === '11');
    assert.equal(seoul.name_ko, '서울특별시');
    assert.equal(seoul.capital_region, true);
  });
  await test('GET /api/geometry/sigungu: TopoJSON with 229 shapes', async () => {
    const { status, body } = await call(base, '/api/geometry/sigungu');
    assert.equal(status, 200);
    assert.equal(body.type, 'Topology');
    assert.equal(body.objects.sigungu.geometries.length, 229);
  });
  await test('GET /api/scenarios: the shipped scenarios with their specs', async () => {
    const { status, body } = await call(base, '/api/scenarios');
    assert.equal(status, 200);
    const names = body.scenarios.map((s) => s.name);
    for (const n of ['status_quo', 'metropolises', 'decentralization', 'integration_all', 'combined'])
      assert.ok(names.includes(n), n);
    const m = body.scenarios.find((s) => s.name === 'metropolises');
    assert.equal(m.spec.levers.metropolises.hubs.length, 5);
    assert.equal(body.scenarios.find((s) => s.name === 'status_quo').status_quo, true);
  });
  await test('POST /api/run: a scenario against the status quo', async () => {
    const spec = { name: 'api_test', levers: { integration: [{ name: 'BG', members: ['Busan', 'Gyeongnam'] }] } };
    const { status, body } = await call(base, '/api/run', { method: 'POST', body: JSON.stringify(spec) });
    assert.equal(status, 200);
    assert.equal(body.name, 'api_test');
    assert.equal(body.years.length, 28);
    assert.equal(body.years[0], 2025);
    assert.equal(Object.keys(body.scenario).length, 17 + 229 + 1);
    assert.equal(body.scenario['11'].population.length, 28);
    assert.equal(body.scenario['00'].population[0], body.status_quo['00'].population[0]);
    const cmp = body.compare.scenarios;
    assert.equal(cmp.length, 2);
    assert.deepEqual(body.compare.years, [2035, 2045, 2052]);
    assert.ok(cmp[1].indicators.population_outside_capital[2] > cmp[0].indicators.population_outside_capital[2]);
    assert.equal(cmp[1].unions[0].members.join(','), '26,48');
  });
  await test('POST /api/run: golden answer for the shipped metropolises scenario', async () => {
    assert.equal(jsonDiff({ x: [1, 2.5] }, { x: [1, 2.5 + 1e-13] }), null);
    assert.match(jsonDiff({ x: [1, 2.5] }, { x: [1, 2.6] }), /^\$\.x\[1\]: 2\.5 in the golden/);
    const spec = { name: 'golden', extends: 'metropolises.yaml' };
    const { status, body } = await call(base, '/api/run', { method: 'POST', body: JSON.stringify(spec) });
    assert.equal(status, 200);
    checkGolden('api_run.json', body);
  });
  await test('GET /api/levers: the lever table with units, ranges and pending settings', async () => {
    const { status, body } = await call(base, '/api/levers');
    assert.equal(status, 200);
    const cut = body.levers.find((l) => l.path === 'levers.integration[].transport_cut');
    assert.equal(cut.type, 'number');
    assert.equal(cut.default, 0.3);
    assert.equal(cut.max, 0.8);
    assert.equal(cut.unit, 'fraction of travel time');
    assert.equal(cut.doc, '14.2');
    assert.ok(cut.label_ko.length > 0);
    assert.match(body.levers.find((l) => l.path === 'levers.integration[].hq').pending, /Policy channels/);
    // today's local tax shares of the data on the fiscal items (income: local income tax part / total)
    const income = body.levers.find((l) => l.path === 'levers.decentralization.fiscal.income');
    assert.ok(income.today > 0.05 && income.today < 0.2, String(income.today));
    assert.equal(body.levers.filter((l) => l.today !== undefined).length, 5);
  });
  await test('GET /api/levers: switches, list sizes and choices for the editor, each accepted by the loader', async () => {
    const { body } = await call(base, '/api/levers');
    const row = (p) => body.levers.find((l) => l.path === p);
    const switched = body.levers.filter((l) => l.switch).map((l) => l.path.replace('levers.', ''));
    assert.deepEqual(switched, ['decentralization', 'decentralization.legislative', 'decentralization.fiscal',
      'decentralization.executive', 'metropolises']);
    assert.equal(row('levers.metropolises.hubs').max_items, 5);
    assert.equal(row('levers.decentralization.legislative.sectors').choices.length, 14);
    const preset = row('levers.decentralization.fiscal.preset');
    assert.deepEqual(preset.preset_shares.germany, { income: 0.575, corporate: 0.5, vat: 0.4719, property: 1 });
    // every choice the editor offers is one the scenario loader takes
    const industries = row('levers.metropolises.hubs[].industry').choices;
    const spec = {
      name: 'choices', levers: {
        metropolises: { hubs: industries.map((industry, i) => ({ region: ['Busan', 'Daegu', 'Gwangju', 'Ulsan', 'Jeju'][i], industry })) },
        decentralization: { legislative: { sectors: row('levers.decentralization.legislative.sectors').choices } }
      }
    };
    assert.equal(industries.length, 5);
    const r = await call(base, '/api/run', { method: 'POST', body: JSON.stringify(spec) });
    assert.equal(r.status, 200, JSON.stringify(r.body.error));
    for (const p of preset.choices) {
      const q = await call(base, '/api/run', { method: 'POST', body: JSON.stringify({ name: p, levers: { decentralization: { fiscal: { preset: p } } } }) });
      assert.equal(q.status, 200, p);
    }
  });
  await test('POST /api/run: each shipped scenario, resolved, gives the CLI compare numbers', async () => {
    const golden = JSON.parse(readFileSync(new URL('../../tests/golden/compare.json', import.meta.url), 'utf8'));
    const { body } = await call(base, '/api/scenarios');
    for (const sc of body.scenarios) {
      if (sc.status_quo) continue;
      assert.equal(sc.resolved.extends, undefined);
      const r = await call(base, '/api/run', { method: 'POST', body: JSON.stringify(sc.resolved) });
      assert.equal(r.status, 200, sc.file);
      const want = golden.scenarios.find((g) => g.name === sc.name);
      assert.ok(want, sc.name);
      // both write the indicator table's decimals
      const d = jsonDiff(want.indicators, r.body.compare.scenarios[1].indicators);
      assert.equal(d, null, `${sc.file}: ${d}`);
    }
  });
  await test('POST /api/project and /api/backtest: the CLI\'s outputs through the same engine calls', async () => {
    const gold = (f) => JSON.parse(readFileSync(new URL('../../tests/golden/' + f, import.meta.url), 'utf8'));
    let r = await call(base, '/api/project', { method: 'POST', body: '{}' });
    assert.equal(r.status, 200);
    assert.equal(jsonDiff(gold('project_sido.json'), r.body), null);
    r = await call(base, '/api/project', { method: 'POST', body: '{"level": "sigungu"}' });
    assert.equal(r.status, 200);
    assert.equal(jsonDiff(gold('project_sigungu.json'), r.body), null);
    r = await call(base, '/api/backtest', { method: 'POST', body: '{"from": 2015}' });
    assert.equal(r.status, 200);
    assert.equal(jsonDiff(gold('backtest_2015.json'), r.body), null);
    r = await call(base, '/api/project', { method: 'POST', body: '{"to": 2030, "no_economy": true, "tfr_target": 1.0}' });
    assert.equal(r.status, 200);
    assert.equal(r.body.years.length, 6);
    assert.equal(r.body.parameters.tfr_target, 1.0);
    for (const [url, body, re] of [['/api/project', '{"teleport": 1}', /unknown option 'teleport'/],
      ['/api/project', '{"tfr_target": 9}', /tfr-target: expected 0.1..5/],
      ['/api/backtest', '{"level": "county"}', /expected sido or sigungu/],
      ['/api/backtest', '[1]', /expected an object/],
      ['/api/backtest', '{"tfr_year": 2040}', /unknown option 'tfr_year'/],
      ['/api/backtest', '{"from": 2024, "to": 2050}', /at most/]]) {
      const q = await call(base, url, { method: 'POST', body });
      assert.equal(q.status, 400, body);
      assert.match(q.body.error, re);
    }
    assert.equal((await call(base, '/api/project')).status, 405);
  });
  await test('POST /api/run: the status quo equals the baseline', async () => {
    const { status, body } = await call(base, '/api/run', { method: 'POST', body: '{"name": "sq"}' });
    assert.equal(status, 200);
    assert.deepEqual(body.scenario['47940'], body.status_quo['47940']);
  });
  await test('POST /api/compare: two shipped-style scenarios', async () => {
    const body = { scenarios: [{ name: 'a', extends: 'metropolises.yaml' }, { name: 'b' }] };
    const r = await call(base, '/api/compare', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(r.status, 200);
    assert.equal(r.body.scenarios.length, 3);
    assert.equal(r.body.scenarios[1].name, 'a');
    assert.equal(r.body.scenarios[0].indicators.gdp.length, 3);
    for (const bad of ['{"scenarios": [null]}', '{"scenarios": ["x"]}']) {
      const q = await call(base, '/api/compare', { method: 'POST', body: bad });
      assert.equal(q.status, 400, bad);
      assert.match(q.body.error, /scenarios\[0\]: expected a scenario object/);
    }
  });
  await test('GET /api/results.csv: full results of a shipped scenario', async () => {
    const r = await call(base, '/api/results.csv?scenario=integration_chungcheong');
    assert.equal(r.status, 200);
    assert.ok(r.type.startsWith('text/csv'));
    const lines = r.body.trim().split('\n');
    assert.ok(lines[0].startsWith('year,code,name,level,parent,population,'));
    assert.equal(lines.length, 1 + 28 * (17 + 229 + 1));
  });
  await test('errors: 400 with file:line for invalid scenarios', async () => {
    const bad = [
      ['{"name": "x", "levers": {"teleport": {}}}', /unknown lever 'teleport'/],
      ['{"name": "x", "levers": {"integration": [{"name": "u", "members": ["Busan", "Atlantis"]}]}}', /unknown region 'Atlantis'/],
      ['{"name": "x", "levers": {"metropolises": {"hubs": [{"region": "Ulsan", "industry": "bio"}, {"region": "Ulsan", "industry": "ai"}]}}}', /named twice/],
      ['{"name": "x", "levers": {"integration": [{"name": "u", "members": ["Busan", "Gyeongnam"], "transport_cut": 3}]}}', /out of range/],
      ['{"name": ', /not valid JSON/],
      [new Uint8Array([0x25, 0xff]), /not valid JSON/],
      ['{"name": "x", "name": "y"}', /not valid JSON: duplicate object key/],
      ['["name"]', /expected a scenario object/],
      ['   ', /empty scenario file/],
      ['{"name": "x", "extends": "../../etc/passwd"}', /must name a shipped scenario/]
    ];
    for (const [text, re] of bad) {
      const { status, body } = await call(base, '/api/run', { method: 'POST', body: text });
      assert.equal(status, 400, text);
      assert.match(body.error, re);
      assert.match(body.error, /^request:\d+: /);
    }
  });
  await test('errors: 413, 404, 405 and no path traversal', async () => {
    const big = '{"name": "' + 'x'.repeat(70 * 1024) + '"}';
    assert.equal((await call(base, '/api/run', { method: 'POST', body: big })).status, 413);
    assert.equal((await call(base, '/api/nothing')).status, 404);
    assert.equal((await call(base, '/api/run')).status, 405);
    assert.equal((await call(base, '/api/regions', { method: 'POST', body: '{}' })).status, 405);
    assert.equal((await call(base, '/api/results.csv?scenario=../x')).status, 400);
    assert.equal((await call(base, '/api/results.csv?scenario=nope')).status, 404);
    for (const p of ['/../data/kr/regions.csv', '/%2e%2e/Makefile', '/node_modules/echarts/package.json', '/tests/api.mjs', '/.gitignore'])
      assert.equal((await call(base, p)).status, 404, p);
    const idx = await call(base, '/');
    assert.equal(idx.status, 200);
    assert.match(idx.body, /<title>Balance/);
    assert.equal((await call(base, '/vendor/echarts.min.js')).status, 200);
  });
  await test('concurrency: parallel runs are bounded (200 or 503, never a failure)', async () => {
    const rs = await Promise.all([0, 1, 2, 3, 4].map(() =>
      call(base, '/api/run', { method: 'POST', body: '{"name": "p", "levers": {"decentralization": {"executive": {}}}}' })));
    for (const r of rs) assert.ok(r.status === 200 || r.status === 503, String(r.status));
    assert.ok(rs.some((r) => r.status === 200));
  });
}
