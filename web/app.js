/* Balance dashboard: maps and charts over the balance serve API (docs/api.md).
   ECharts draws, topojson-client turns the data pack's TopoJSON into GeoJSON. */
'use strict';

const I18N = {
  en: {
    title: "Balance — South Korea's regions to 2052", language: 'Language', level: 'Map',
    sigungu: 'Municipalities (229)', sido: 'Provinces (17)', indicator: 'Indicator', view: 'View',
    mode_scenario: 'Scenario', mode_difference: 'Difference from status quo',
    mode_side: 'Side by side', year: 'Year', loading: 'Loading…',
    click_region: 'Click a region for its time series', comparison: 'Scenario against the status quo',
    editor: 'Scenario editor', start_from: 'Start from', name: 'Name', run: 'Run',
    integration: 'Administrative integration', u_bg: 'Busan–Gyeongnam', u_dg: 'Daegu–Gyeongbuk',
    u_cc: 'Chungcheong Megalopolis Union (HQ Sejong)', decentralization: 'State-like decentralization',
    enable: 'On', t_income: 'Local share of income tax', t_corporate: 'Local share of corporate tax',
    t_vat: 'Local share of VAT', dereg: 'Deregulation gain (strategic sectors)',
    executive: 'Executive efficiency', metropolises: 'Five major metropolises',
    pick: 'Pick hubs on the map', start: 'Start', ramp: 'Years to full effect',
    footer: 'Data: KOSTAT, MOIS and others (data/kr/SOURCES.md). Model: docs/model.md.',
    download: 'Download results (CSV)', status_quo: 'Status quo', scenario: 'Scenario',
    running: 'Running…', ran: 'Ran', remove: 'remove', no_data: 'no data',
    ind_pop_change: 'Population change since 2025, %', ind_population: 'Population',
    ind_extinction_index: 'Extinction-risk index (women 20–39 / 65+)',
    ind_grdp_per_capita: 'GRDP per capita, thousand KRW', ind_employment_rate: 'Employment rate 15+, %',
    ind_fiscal_self_reliance: 'Fiscal self-reliance, % (provinces)', ind_schools: 'Schools sustained',
    ind_share_65: 'Aged 65+, %', ind_net_internal_migration: 'Net internal migration',
    ai: 'AI', bio: 'Bio', energy: 'Energy', future_cars: 'Future cars', semiconductors: 'Semiconductors',
    cmp_capital_region_share: 'Capital-region share, %', cmp_population_outside_capital: 'Population outside the capital region',
    cmp_sigungu_at_risk: 'Sigungu at risk', cmp_sigungu_high_risk: 'Sigungu at high risk',
    cmp_grdp_per_capita_cv: 'GRDP per capita disparity (CV)', cmp_grdp_per_capita_theil: 'GRDP per capita disparity (Theil)',
    cmp_gdp: 'GDP, trillion KRW', cmp_fiscal_self_reliance: 'Fiscal self-reliance, %', cmp_schools_lost: 'Schools lost since 2025',
    cmp_national_cost_cumulative: 'National cost since 2025, trillion KRW'
  },
  ko: {
    title: '균형 — 2052년까지의 대한민국 지역', language: '언어', level: '지도',
    sigungu: '시군구 (229)', sido: '시도 (17)', indicator: '지표', view: '보기',
    mode_scenario: '시나리오', mode_difference: '현상 유지 대비 차이', mode_side: '나란히 보기',
    year: '연도', loading: '불러오는 중…', click_region: '지역을 누르면 시계열이 나타납니다',
    comparison: '시나리오와 현상 유지 비교', editor: '시나리오 편집기', start_from: '시작 시나리오',
    name: '이름', run: '실행', integration: '행정 통합', u_bg: '부산–경남', u_dg: '대구–경북',
    u_cc: '충청광역연합 (본부 세종)', decentralization: '연방제 수준의 지방분권', enable: '적용',
    t_income: '소득세 지방 몫', t_corporate: '법인세 지방 몫', t_vat: '부가가치세 지방 몫',
    dereg: '규제 자율 생산성 효과 (전략산업)', executive: '행정권 효율', metropolises: '5극 메가시티',
    pick: '지도에서 거점 선택', start: '시작 연도', ramp: '완전 시행까지 연수',
    footer: '자료: 통계청, 행정안전부 등 (data/kr/SOURCES.md). 모형: docs/model.md.',
    download: '결과 내려받기 (CSV)', status_quo: '현상 유지', scenario: '시나리오',
    running: '계산 중…', ran: '실행 완료', remove: '삭제', no_data: '자료 없음',
    ind_pop_change: '2025년 대비 인구 변화, %', ind_population: '인구',
    ind_extinction_index: '지방소멸위험지수 (20–39세 여성 / 65세 이상)',
    ind_grdp_per_capita: '1인당 지역내총생산, 천원', ind_employment_rate: '고용률 15세 이상, %',
    ind_fiscal_self_reliance: '재정자립도, % (시도)', ind_schools: '유지 가능한 학교 수',
    ind_share_65: '65세 이상 비율, %', ind_net_internal_migration: '순 국내 인구이동',
    ai: '인공지능', bio: '바이오', energy: '에너지', future_cars: '미래차', semiconductors: '반도체',
    cmp_capital_region_share: '수도권 인구 비중, %', cmp_population_outside_capital: '비수도권 인구',
    cmp_sigungu_at_risk: '소멸위험 시군구', cmp_sigungu_high_risk: '소멸고위험 시군구',
    cmp_grdp_per_capita_cv: '1인당 GRDP 격차 (변동계수)', cmp_grdp_per_capita_theil: '1인당 GRDP 격차 (타일)',
    cmp_gdp: '국내총생산, 조원', cmp_fiscal_self_reliance: '재정자립도, %', cmp_schools_lost: '2025년 이후 줄어든 학교',
    cmp_national_cost_cumulative: '2025년 이후 국가 비용, 조원'
  }
};
const INDICATORS = ['pop_change', 'population', 'extinction_index', 'grdp_per_capita',
  'employment_rate', 'fiscal_self_reliance', 'schools', 'share_65', 'net_internal_migration'];
const INDUSTRIES = ['ai', 'bio', 'energy', 'future_cars', 'semiconductors'];
const UNIONS = {
  u_bg: { name: 'Busan-Gyeongnam', members: ['26', '48'] },
  u_dg: { name: 'Daegu-Gyeongbuk', members: ['27', '47'] },
  u_cc: { name: 'Chungcheong Megalopolis Union', members: ['30', '36', '43', '44'], hq: '36' }
};

const S = {
  lang: 'en', level: 'sigungu', indicator: 'pop_change', year: 2025, mode: 'scenario',
  regions: {}, years: [], sq: null, scn: null, compare: null, selected: null, hubs: [],
  scenarios: [], features: { sido: 0, sigungu: 0 }
};
const $ = (id) => document.getElementById(id);
const t = (k) => (I18N[S.lang][k] !== undefined ? I18N[S.lang][k] : k);
let mapA, mapB, chart;

async function getJSON(url, opts) {
  const r = await fetch(url, opts);
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}

function regionName(code) {
  const g = S.regions[code];
  if (!g) return code;
  return S.lang === 'ko' ? g.name_ko : g.name;
}

/* Value of an indicator for a region in year index k of a series set. */
function value(series, code, ind, k) {
  const s = series && series[code];
  if (!s) return null;
  if (ind === 'pop_change') return 100 * (s.population[k] / s.population[0] - 1);
  if (ind === 'share_65') return 100 * s.population_65_plus[k] / s.population[k];
  const v = s[ind] && s[ind][k];
  return v === undefined ? null : v;
}

function codesOfLevel() {
  return Object.values(S.regions).filter((g) => g.level === S.level).map((g) => g.code);
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('no_data');
  const a = Math.abs(v);
  if (Number.isInteger(v) || a >= 1000) return Math.round(v).toLocaleString('en');
  return a >= 10 ? v.toFixed(1) : v.toFixed(3);
}

function mapOption(series, other, title) {
  const k = S.year - S.years[0];
  const diff = other !== null;
  const data = codesOfLevel().map((code) => {
    let v = value(series, code, S.indicator, k);
    if (diff && v !== null) {
      const w = value(other, code, S.indicator, k);
      v = w === null ? null : v - w;
    }
    return { name: code, value: v === null ? NaN : v };
  });
  const vals = data.map((d) => d.value).filter((v) => Number.isFinite(v));
  let lo = Math.min(...vals), hi = Math.max(...vals);
  if (diff || S.indicator === 'pop_change' || S.indicator === 'net_internal_migration') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    lo = -m; hi = m;
  }
  if (!(hi > lo)) hi = lo + 1;
  const diverging = lo < 0 && hi > 0;
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    tooltip: {
      trigger: 'item',
      formatter: (p) => `${regionName(p.name)}<br>${t('ind_' + S.indicator)}: ${fmt(p.value)}`
    },
    visualMap: {
      min: lo, max: hi, calculable: true, left: 10, bottom: 20, text: [fmt(hi), fmt(lo)],
      inRange: { color: diverging ? ['#b2182b', '#f7f7f7', '#2166ac'] : ['#f7fbff', '#6baed6', '#08306b'] }
    },
    series: [{
      type: 'map', map: S.level, roam: true, data,
      layoutCenter: ['50%', '52%'], layoutSize: '92%',
      nameProperty: 'name', emphasis: { label: { show: false } },
      itemStyle: { borderColor: '#999', borderWidth: 0.3 }
    }]
  };
}

function render() {
  if (!S.sq) return;
  const scn = S.scn || S.sq;
  const side = S.mode === 'side';
  $('mapB').classList.toggle('hidden', !side);
  const scnTitle = S.scn ? `${t('scenario')}: ${S.scn.name}` : t('status_quo');
  if (S.mode === 'difference')
    mapA.setOption(mapOption(scn.series, S.sq.series, `${scnTitle} − ${t('status_quo')}`), true);
  else if (side) {
    mapA.setOption(mapOption(S.sq.series, null, t('status_quo')), true);
    mapB.setOption(mapOption(scn.series, null, scnTitle), true);
  } else mapA.setOption(mapOption(scn.series, null, scnTitle), true);
  mapA.resize();
  if (side) mapB.resize();
  document.body.dataset.regionsDrawn = String(S.features[S.level]);
  document.body.dataset.year = String(S.year);
  renderChart();
}

function renderChart() {
  const code = S.selected || '00';
  $('regionTitle').textContent = code === '00' ? (S.lang === 'ko' ? '전국' : 'Korea') : regionName(code);
  const ser = (set) => S.years.map((y, k) => value(set, code, S.indicator, k));
  const lines = [{ name: t('status_quo'), type: 'line', showSymbol: false, data: ser(S.sq.series) }];
  if (S.scn) lines.push({ name: S.scn.name, type: 'line', showSymbol: false, data: ser(S.scn.series) });
  chart.setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 },
    grid: { left: 60, right: 20, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: S.years },
    yAxis: { type: 'value', name: t('ind_' + S.indicator), nameTextStyle: { align: 'left' }, scale: true },
    series: lines
  }, true);
}

function renderCompare() {
  const tb = $('compare').querySelector('tbody');
  tb.innerHTML = '';
  if (!S.compare) return;
  const years = S.compare.years, sc = S.compare.scenarios;
  const head = document.createElement('tr');
  head.innerHTML = '<th></th>' + years.map((y) => `<th>${y}<br>${t('status_quo')}</th><th>${y}<br>${sc[1] ? sc[1].name : ''}</th>`).join('');
  tb.appendChild(head);
  for (const key of Object.keys(sc[0].indicators)) {
    const tr = document.createElement('tr');
    tr.dataset.indicator = key;
    let cells = `<td>${t('cmp_' + key)}</td>`;
    years.forEach((y, i) => {
      cells += `<td>${fmt(sc[0].indicators[key][i])}</td><td>${sc[1] ? fmt(sc[1].indicators[key][i]) : ''}</td>`;
    });
    tr.innerHTML = cells;
    tb.appendChild(tr);
  }
}

function applyLang() {
  document.documentElement.lang = S.lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const sel = $('indicator'), cur = S.indicator;
  sel.innerHTML = INDICATORS.map((k) => `<option value="${k}">${t('ind_' + k)}</option>`).join('');
  sel.value = cur;
  renderHubs();
  renderCompare();
  render();
}

/* ---- the editor ---- */

function renderHubs() {
  const ul = $('hubs');
  ul.innerHTML = '';
  S.hubs.forEach((h, i) => {
    const li = document.createElement('li');
    const opts = INDUSTRIES.map((k) => `<option value="${k}"${k === h.industry ? ' selected' : ''}>${t(k)}</option>`).join('');
    li.innerHTML = `${regionName(h.region)} <select>${opts}</select> <a href="#">${t('remove')}</a>`;
    li.querySelector('select').addEventListener('change', (e) => { h.industry = e.target.value; });
    li.querySelector('a').addEventListener('click', (e) => { e.preventDefault(); S.hubs.splice(i, 1); renderHubs(); });
    ul.appendChild(li);
  });
}

function addHub(code) {
  if (S.hubs.length >= 5 || S.hubs.some((h) => h.region === code)) return;
  const used = new Set(S.hubs.map((h) => h.industry));
  const industry = INDUSTRIES.find((k) => !used.has(k));
  S.hubs.push({ region: code, industry });
  renderHubs();
}

function loadPreset(file) {
  const sc = S.scenarios.find((s) => s.file === file);
  const spec = (sc && sc.spec) || {};
  const lev = spec.levers || {};
  const unions = (lev.integration || []).map((u) => u.name);
  const inherits = spec.extends ? S.scenarios.find((s) => s.file === spec.extends) : null;
  const inherited = inherits && inherits.spec && inherits.spec.levers ? (inherits.spec.levers.integration || []).map((u) => u.name) : [];
  for (const [id, u] of Object.entries(UNIONS))
    $(id).checked = unions.concat(inherited).some((n) => n.startsWith(u.name.split(' ')[0]));
  const d = lev.decentralization;
  $('d_on').checked = !!d;
  S.hubs = ((lev.metropolises && lev.metropolises.hubs) || []).map((h) => {
    const g = Object.values(S.regions).find((r) => r.code === String(h.region) || r.name === h.region || r.name_ko === h.region);
    return { region: g ? g.code : String(h.region), industry: h.industry };
  });
  if (lev.metropolises) {
    $('m_start').value = lev.metropolises.start || 2027;
    $('m_ramp').value = lev.metropolises.ramp || 2;
  }
  $('scnName').value = (sc ? sc.name : 'my_scenario') + '_edited';
  renderHubs();
}

function buildSpec() {
  const levers = {};
  const integration = [];
  for (const [id, u] of Object.entries(UNIONS))
    if ($(id).checked) integration.push(Object.assign({ start: 2027 }, u));
  if (integration.length) levers.integration = integration;
  if ($('d_on').checked)
    levers.decentralization = {
      start: 2027, ramp: 3,
      legislative: { sectors: INDUSTRIES, productivity: +$('d_leg').value },
      fiscal: { income: +$('t_income').value, corporate: +$('t_corporate').value, vat: +$('t_vat').value },
      executive: { efficiency: +$('d_exe').value }
    };
  if (S.hubs.length)
    levers.metropolises = { start: +$('m_start').value, ramp: +$('m_ramp').value, hubs: S.hubs };
  return { name: $('scnName').value || 'my_scenario', description: 'edited in the dashboard', levers };
}

async function runScenario(spec) {
  $('status').textContent = t('running');
  $('run').disabled = true;
  const t0 = performance.now();
  try {
    const r = await getJSON('/api/run', { method: 'POST', body: JSON.stringify(spec) });
    S.years = r.years;
    S.sq = { name: 'status_quo', series: r.status_quo };
    S.scn = Object.keys(spec.levers || {}).length ? { name: r.name, series: r.scenario } : null;
    S.compare = r.compare;
    $('status').textContent = `${t('ran')} ${r.name} (${Math.round(performance.now() - t0)} ms)`;
    document.body.dataset.lastRun = r.name;
    renderCompare();
    render();
  } catch (e) {
    $('status').textContent = e.message;
    document.body.dataset.lastError = e.message;
  } finally {
    $('run').disabled = false;
  }
}

function onMapClick(p) {
  document.body.dataset.lastClick = p && p.name ? p.name : 'none';
  if (!p || !p.name) return;
  if ($('pick').checked) addHub(p.name);
  else { S.selected = p.name; renderChart(); }
}

async function init() {
  mapA = echarts.init($('mapA'), null, { renderer: 'svg' });
  mapB = echarts.init($('mapB'), null, { renderer: 'svg' });
  chart = echarts.init($('chart'), null, { renderer: 'svg' });
  mapA.on('click', onMapClick);
  mapB.on('click', onMapClick);
  const [regions, sido, sgg, scenarios] = await Promise.all([
    getJSON('/api/regions'), getJSON('/api/geometry/sido'), getJSON('/api/geometry/sigungu'),
    getJSON('/api/scenarios')]);
  regions.regions.forEach((g) => { S.regions[g.code] = g; });
  for (const [level, topo, key] of [['sido', sido, 'sido_code'], ['sigungu', sgg, 'adm_code']]) {
    const geo = topojson.feature(topo, topo.objects[level]);
    geo.features.forEach((f) => { f.properties.name = f.properties[key]; });
    S.features[level] = geo.features.length;
    echarts.registerMap(level, geo);
  }
  S.scenarios = scenarios.scenarios;
  $('preset').innerHTML = S.scenarios.map((s) => `<option value="${s.file}">${s.name}</option>`).join('');
  $('preset').value = 'status_quo.yaml';
  $('lang').addEventListener('change', (e) => { S.lang = e.target.value; applyLang(); });
  $('level').addEventListener('change', (e) => { S.level = e.target.value; render(); });
  $('indicator').addEventListener('change', (e) => { S.indicator = e.target.value; render(); });
  $('mode').addEventListener('change', (e) => { S.mode = e.target.value; render(); });
  $('year').addEventListener('input', (e) => { S.year = +e.target.value; $('yearLabel').textContent = S.year; render(); });
  $('preset').addEventListener('change', (e) => loadPreset(e.target.value));
  $('run').addEventListener('click', () => runScenario(buildSpec()));
  document.querySelectorAll('#editor input[type=range]').forEach((el) => {
    const out = el.nextElementSibling;
    const show = () => { out.textContent = (+el.value).toFixed(3); };
    el.addEventListener('input', show);
    show();
  });
  window.addEventListener('resize', () => { mapA.resize(); mapB.resize(); chart.resize(); });
  applyLang();
  await runScenario({ name: 'status_quo', description: 'today' });
  document.body.dataset.ready = '1';
}

init().catch((e) => { $('status').textContent = e.message; document.body.dataset.lastError = e.message; });
