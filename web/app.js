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
    editor: 'Scenario editor', start_from: 'Start from', run: 'Run',
    editor_note: 'Every setting of the scenario files, from the lever table (GET /api/levers)',
    scenario_settings: 'Scenario', enable: 'on', pick: 'Pick hubs on the map', add: 'add',
    default: 'default', reset: '↺', reset_title: 'Back to the default', none: '(none)',
    choose: '(choose)', pending: 'pending',
    footer: 'Data: KOSTAT, MOIS and others (data/kr/SOURCES.md). Model: docs/model.md.',
    download: 'Download results (CSV)', status_quo: 'Status quo', scenario: 'Scenario',
    running: 'Running…', ran: 'Ran', remove: 'remove', no_data: 'no data',
    today: 'today', germany: 'Germany', united_states: 'United States',
    agriculture_mining: 'Agriculture, mining', light_manufacturing: 'Light manufacturing',
    petrochemicals: 'Petrochemicals', steel_metals: 'Steel, metals', electronics: 'Electronics',
    shipbuilding_machinery: 'Shipbuilding, machinery', construction: 'Construction',
    ai_software: 'AI, software', port_logistics: 'Ports, logistics', services: 'Services',
    ind_pop_change: 'Population change since the start, %',
    ai: 'AI', bio: 'Bio', energy: 'Energy', future_cars: 'Future cars', semiconductors: 'Semiconductors',
  },
  ko: {
    title: '균형 — 2052년까지의 대한민국 지역', language: '언어', level: '지도',
    sigungu: '시군구 (229)', sido: '시도 (17)', indicator: '지표', view: '보기',
    mode_scenario: '시나리오', mode_difference: '현상 유지 대비 차이', mode_side: '나란히 보기',
    year: '연도', loading: '불러오는 중…', click_region: '지역을 누르면 시계열이 나타납니다',
    comparison: '시나리오와 현상 유지 비교', editor: '시나리오 편집기', start_from: '시작 시나리오',
    run: '실행', editor_note: '시나리오 파일의 모든 설정 (정책 수단 표, GET /api/levers)',
    scenario_settings: '시나리오', enable: '적용', pick: '지도에서 거점 선택', add: '추가',
    default: '기본값', reset: '↺', reset_title: '기본값으로 되돌리기', none: '(없음)',
    choose: '(선택)', pending: '보류',
    footer: '자료: 통계청, 행정안전부 등 (data/kr/SOURCES.md). 모형: docs/model.md.',
    download: '결과 내려받기 (CSV)', status_quo: '현상 유지', scenario: '시나리오',
    running: '계산 중…', ran: '실행 완료', remove: '삭제', no_data: '자료 없음',
    today: '현행', germany: '독일', united_states: '미국',
    agriculture_mining: '농림어업, 광업', light_manufacturing: '경공업', petrochemicals: '석유화학',
    steel_metals: '철강, 금속', electronics: '전자', shipbuilding_machinery: '조선, 기계',
    construction: '건설', ai_software: '인공지능, 소프트웨어', port_logistics: '항만, 물류',
    services: '서비스',
    ind_pop_change: '시작 연도 대비 인구 변화, %',
    ai: '인공지능', bio: '바이오', energy: '에너지', future_cars: '미래차', semiconductors: '반도체',
  }
};
/* The map layers: the change of population since the start, then every
   indicator the indicator table marks for the map (GET /api/indicators). */
let INDICATORS = ['pop_change'];
const S = {
  lang: 'en', level: 'sigungu', indicator: 'pop_change', year: 2025, mode: 'scenario',
  regions: {}, years: [], sq: null, scn: null, compare: null, selected: null,
  scenarios: [], features: { sido: 0, sigungu: 0 },
  tree: null, edit: null, presetShares: null, pick: false, runs: 0, ind: {}
};
const $ = (id) => document.getElementById(id);
const t = (k) => (I18N[S.lang][k] !== undefined ? I18N[S.lang][k] : k);
/* An indicator's title from the indicator table (label and, for money and
   percentages, unit), in the page's language. */
function indTitle(name) {
  const d = S.ind[name];
  if (!d) return t('ind_' + name);
  return S.lang === 'ko' ? d.title_ko : d.title;
}
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
      formatter: (p) => `${regionName(p.name)}<br>${indTitle(S.indicator)}: ${fmt(p.value)}`
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
    yAxis: { type: 'value', name: indTitle(S.indicator), nameTextStyle: { align: 'left' }, scale: true },
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
    let cells = `<td>${indTitle(key)}</td>`;
    /* data-v: the number as answered (8 significant digits), for the tests */
    const cell = (s, i, col) => (s ? `<td data-col="${col}" data-v="${s.indicators[key][i]}">${fmt(s.indicators[key][i])}</td>` : '<td></td>');
    years.forEach((y, i) => { cells += cell(sc[0], i, 'status_quo') + cell(sc[1], i, 'scenario'); });
    tr.innerHTML = cells;
    tb.appendChild(tr);
  }
}

function applyLang() {
  document.documentElement.lang = S.lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  const sel = $('indicator'), cur = S.indicator;
  sel.innerHTML = INDICATORS.map((k) => `<option value="${k}">${indTitle(k)}</option>`).join('');
  sel.value = cur;
  renderEditor();
  renderCompare();
  render();
}

/* ---- the editor: its controls are generated from the lever table ----
   GET /api/levers lists every setting of a scenario file (path, type, default,
   range, unit, labels, pending reason; docs/scenarios.md). The editor's state
   has the shape of a scenario file with every setting present: a section that
   is turned on by naming it (`switch`) carries `$on`; a number whose default
   is today's value holds null while unset. "Start from" loads a shipped
   scenario's `resolved` form into it; Run posts buildSpec(), which leaves out
   exactly what the library's writer (bal_scenario_json) leaves out, so a
   shipped scenario loaded and run unchanged posts its `resolved` form. */

/* The lever tree: each row under its section or list (rows come parents first). */
function leverTree(levers) {
  const root = { lv: null, children: [] };
  const byPath = new Map();
  for (const lv of levers) {
    const node = { lv, children: [] };
    byPath.set(lv.path, node);
    const parent = lv.path === lv.key ? '' : lv.path.slice(0, -lv.key.length - 1).replace(/\[\]$/, '');
    node.parent = parent ? byPath.get(parent) : root;
    node.parent.children.push(node);
  }
  root.byPath = byPath;
  return root;
}

const sidoCodes = () => Object.values(S.regions).filter((g) => g.level === 'sido').map((g) => g.code);
const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/* The default of a setting as a value of the state (null: unset or none);
   `start`: the year a `start + n` default counts from (levers.h). */
function defaultOf(lv, start) {
  switch (lv.type) {
    case 'number': return lv.default;
    case 'year':
      if (lv.default !== null) return lv.default;
      return lv.default_after_start && Number.isFinite(start) ? start + lv.default_after_start : null;
    case 'text': return '';
    case 'provinces': case 'sectors': return [];
    case 'province set': return sidoCodes();
    case 'preset': return lv.choices.includes(lv.default_text) ? lv.default_text : lv.choices[0];
    default: return null; /* province, place, industry */
  }
}

/* The state of a section or list item from its part of a scenario (src may
   be undefined); `start`: the parent's, for a plain grouping (as
   bal_lever_finish: its years count from the parent's start). */
function loadSection(node, src, start) {
  const o = {};
  for (const ch of node.children) {
    const lv = ch.lv, k = lv.key, has = !!src && src[k] !== undefined;
    if (lv.type === 'section') {
      o[k] = loadSection(ch, has ? src[k] : undefined, lv.switch ? undefined : (o.start !== undefined ? o.start : start));
      if (lv.switch) o[k].$on = has;
    } else if (lv.type === 'list') o[k] = has ? src[k].map((it) => loadSection(ch, it)) : [];
    else if (lv.type === 'file') continue; /* extends: "Start from" loads resolved scenarios */
    else o[k] = has ? clone(src[k]) : defaultOf(lv, o.start !== undefined ? o.start : start);
  }
  return o;
}

/* A scenario from the state, written as bal_scenario_json writes one. */
function buildSection(node, st) {
  const o = {};
  for (const ch of node.children) {
    const lv = ch.lv, k = lv.key, v = st[k];
    let out = v;
    switch (lv.type) {
      case 'section':
        if (lv.switch && !v.$on) continue;
        out = buildSection(ch, v);
        if (!lv.switch && Object.keys(out).length === 0) continue;
        break;
      case 'list':
        if (v.length === 0) continue;
        out = v.map((it) => buildSection(ch, it));
        break;
      case 'number': case 'text': case 'province':
        if (v === null || v === '') continue;
        break;
      case 'province set': {
        const all = sidoCodes();
        if (all.every((c) => v.includes(c))) continue;
        out = all.filter((c) => v.includes(c));
        break;
      }
      case 'sectors': out = lv.choices.filter((c) => v.includes(c)); break;
      case 'preset': if (v === defaultOf(lv)) continue; break; /* written as its shares */
      case 'file': continue;
      default: break; /* year, place, industry, provinces (in the order given) */
    }
    o[k] = out;
  }
  return o;
}

function buildSpec() { return buildSection(S.tree, S.edit); }

function loadPreset(file) {
  const sc = S.scenarios.find((s) => s.file === file);
  S.edit = loadSection(S.tree, sc ? sc.resolved : { name: 'my_scenario' });
  $('csv').href = '/api/results.csv?scenario=' + encodeURIComponent(file.replace(/\.yaml$/, ''));
  renderEditor();
}

const label = (lv) => (S.lang === 'ko' && lv.label_ko ? lv.label_ko : lv.label);
const provName = (code) => (code ? regionName(code) : t('none'));

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/* Tooltip and pending marker of a row. */
function describe(lv, node) {
  node.title = lv.path + (lv.doc ? ` (docs/model.md §${lv.doc})` : '') + (lv.pending ? `\n${t('pending')}: ${lv.pending}` : '');
  node.dataset.lever = lv.path;
  if (lv.pending) {
    node.classList.add('pending');
    node.append(el('span', { class: 'badge', title: lv.pending, text: t('pending') }));
  }
  return node;
}

function fmtDefault(lv, obj, section) {
  if (lv.type === 'number' && lv.default === null) {
    const preset = section && section.preset;
    const shares = preset && S.presetShares && S.presetShares[preset];
    if (shares && shares[lv.key] !== undefined) return `${preset}: ${shares[lv.key]}`;
    /* today's local share of the data (GET /api/levers: "today") */
    if (lv.today !== undefined) return `${lv.default_text} ${lv.today.toFixed(3)}`;
    return lv.default_text;
  }
  if (lv.default !== null && lv.default !== undefined) return String(lv.default);
  return lv.default_text;
}

/* The control of one setting `lv` of the object `obj` (its section's state). */
function leafControl(lv, obj, path) {
  const k = lv.key, v = obj[k];
  const set = (x) => { obj[k] = x; };
  const row = el('div', { class: 'lever', 'data-path': path });
  row.append(el('span', { class: 'name', text: label(lv) }));
  const def = fmtDefault(lv, obj, obj);
  const note = (extra) => el('span', { class: 'def', text: [extra, def ? `${t('default')} ${def}` : ''].filter(Boolean).join(' · ') });
  switch (lv.type) {
    case 'number': {
      const nullable = lv.default === null;
      const eff = v !== null ? v : (lv.default !== null ? lv.default : lv.min);
      const range = el('input', { type: 'range', min: lv.min, max: lv.max, step: 'any' });
      const num = el('input', { type: 'number', min: lv.min, max: lv.max, step: 'any', placeholder: nullable ? def.replace(/^[a-z_]+: /, '') : null });
      range.value = String(eff);
      num.value = v === null ? '' : String(v);
      row.classList.toggle('unset', v === null);
      range.addEventListener('input', () => {
        /* a drag moves in 1/200 of the range (typed and loaded values stay exact) */
        const step = (lv.max - lv.min) / 200;
        const x = Number((lv.min + Math.round((+range.value - lv.min) / step) * step).toPrecision(12));
        set(x);
        num.value = String(x);
        row.classList.remove('unset');
      });
      num.addEventListener('input', () => {
        if (num.value === '' && nullable) { set(null); row.classList.add('unset'); return; }
        const x = num.valueAsNumber;
        if (Number.isFinite(x)) { set(x); range.value = String(x); row.classList.remove('unset'); }
      });
      const reset = el('button', { type: 'button', class: 'link', text: t('reset'), title: t('reset_title'),
        onclick: () => { set(lv.default); renderEditor(); } });
      row.append(range, num, el('span', { class: 'unit', text: lv.unit }), note(`${lv.min}–${lv.max}`), reset);
      break;
    }
    case 'year': {
      const num = el('input', { type: 'number', min: lv.min, max: lv.max, step: 1 });
      num.value = v === null ? '' : String(v);
      let old = v;
      num.addEventListener('input', () => { if (Number.isFinite(num.valueAsNumber)) set(num.valueAsNumber); });
      num.addEventListener('change', () => {
        const x = num.valueAsNumber;
        if (!Number.isFinite(x)) return;
        set(x);
        /* years that default to `start` + n (here and in plain groupings) follow it unless changed */
        if (k === 'start') {
          let moved = false;
          const follow = (node, o) => {
            for (const ch of node.children) {
              const d = ch.lv;
              if (d.type === 'section' && !d.switch && o[d.key]) follow(ch, o[d.key]);
              else if (d.type === 'year' && d.default_after_start && o[d.key] === old + d.default_after_start) {
                o[d.key] = x + d.default_after_start;
                moved = true;
              }
            }
          };
          if (old !== x) follow(S.tree.byPath.get(lv.path).parent, obj);
          if (moved) renderEditor();
        }
        old = x;
      });
      row.append(num, note(`${lv.min}–${lv.max}`));
      break;
    }
    case 'text': {
      const inp = el('input', { type: 'text', size: k === 'description' ? 48 : 22, placeholder: lv.default_text || null });
      inp.value = v;
      inp.addEventListener('input', () => set(inp.value));
      row.append(inp);
      break;
    }
    case 'province': case 'place': case 'industry': case 'preset': {
      const sel = el('select');
      const opt = (value, text) => el('option', { value, text, selected: value === v });
      if (lv.type === 'province') {
        sel.append(opt('', t('none')));
        sidoCodes().forEach((c) => sel.append(opt(c, regionName(c))));
      } else if (lv.type === 'place') {
        if (v === null) sel.append(opt('', t('choose')));
        const sido = sidoCodes();
        sel.append(el('optgroup', { label: t('sido') }, ...sido.map((c) => opt(c, regionName(c)))));
        for (const c of sido)
          sel.append(el('optgroup', { label: regionName(c) }, ...Object.values(S.regions)
            .filter((g) => g.parent === c && g.level === 'sigungu').map((g) => opt(g.code, regionName(g.code)))));
      } else lv.choices.forEach((c) => sel.append(opt(c, t(c))));
      sel.addEventListener('change', () => {
        set(sel.value === '' ? null : sel.value);
        if (lv.type === 'preset') {
          /* the preset sets the tax items: they show its values until changed */
          for (const key of Object.keys(Object.assign({}, ...Object.values(S.presetShares || {})))) obj[key] = null;
          renderEditor();
        }
      });
      row.append(sel);
      if (lv.type === 'preset') row.append(note(''));
      break;
    }
    case 'provinces': case 'province set': case 'sectors': {
      const opts = lv.type === 'sectors' ? lv.choices : sidoCodes();
      const box = el('span', { class: 'checks' });
      for (const c of opts) {
        const cb = el('input', { type: 'checkbox', value: c, checked: v.includes(c) });
        cb.addEventListener('change', () => {
          const i = obj[k].indexOf(c);
          if (cb.checked && i < 0) obj[k].push(c); /* in the order checked */
          if (!cb.checked && i >= 0) obj[k].splice(i, 1);
        });
        box.append(el('label', {}, cb, ' ', lv.type === 'sectors' ? t(c) : regionName(c)));
      }
      row.append(box);
      if (lv.type === 'province set') row.append(note(''));
      break;
    }
    default: return null;
  }
  return describe(lv, row);
}

/* A section's or list item's settings into `box`. */
function renderChildren(node, obj, path, box) {
  for (const ch of node.children) {
    const lv = ch.lv, p = path ? `${path}.${lv.key}` : lv.key;
    if (lv.type === 'section') box.append(sectionControl(ch, obj[lv.key], p));
    else if (lv.type === 'list') box.append(listControl(ch, obj[lv.key], p));
    else {
      const c = leafControl(lv, obj, p);
      if (c) box.append(c);
    }
  }
}

function sectionControl(node, obj, path) {
  const lv = node.lv;
  const fs = el('fieldset', { class: `section depth${path.split('.').length}`, 'data-path': path });
  const legend = el('legend', {});
  if (lv.switch) {
    const cb = el('input', { type: 'checkbox', checked: obj.$on, class: 'switch' });
    cb.addEventListener('change', () => { obj.$on = cb.checked; renderEditor(); });
    legend.append(label(lv), ' ', el('label', { class: 'on' }, cb, ' ', t('enable')));
    fs.classList.toggle('off', !obj.$on);
  } else legend.append(label(lv));
  fs.append(legend);
  describe(lv, legend);
  if (!lv.switch || obj.$on) renderChildren(node, obj, path, fs);
  else if (node.children.some((c) => c.lv.type === 'list' && c.children.some((x) => x.lv.type === 'place')))
    fs.append(pickControl()); /* picking a hub turns the section on */
  return fs;
}

/* A new item of a list: the table's defaults, a name, an industry not yet taken. */
function newItem(node, items, fill) {
  const it = loadSection(node, fill);
  for (const ch of node.children) {
    const lv = ch.lv;
    if (lv.type === 'text' && it[lv.key] === '' && /required/.test(lv.default_text || ''))
      it[lv.key] = `${node.lv.key}_${items.length + 1}`;
    if (lv.type === 'industry' && it[lv.key] === null)
      it[lv.key] = lv.choices.find((c) => !items.some((o) => o[lv.key] === c)) || lv.choices[0];
  }
  return it;
}

/* Hubs (the items of a list with a place) can be picked on the map as well. */
function pickControl() {
  const cb = el('input', { type: 'checkbox', id: 'pick', checked: S.pick });
  cb.addEventListener('change', () => { S.pick = cb.checked; });
  return el('label', { class: 'pick' }, cb, ' ', t('pick'));
}

function listControl(node, items, path) {
  const lv = node.lv;
  const fs = el('fieldset', { class: 'list', 'data-path': path });
  const legend = el('legend', {}, label(lv));
  fs.append(describe(lv, legend));
  items.forEach((it, i) => {
    const item = el('fieldset', { class: 'item', 'data-path': `${path}[${i}]` });
    const title = it.name || (it.region ? regionName(it.region) : `#${i + 1}`);
    item.append(el('legend', {}, `${title} `, el('button', {
      type: 'button', class: 'link remove', text: t('remove'),
      onclick: () => { items.splice(i, 1); renderEditor(); }
    })));
    renderChildren(node, it, `${path}[${i}]`, item);
    fs.append(item);
  });
  const full = lv.max_items !== undefined && items.length >= lv.max_items;
  const bar = el('div', { class: 'row' }, el('button', {
    type: 'button', class: 'add', disabled: full, 'data-path': path, text: `+ ${t('add')}`,
    onclick: () => { items.push(newItem(node, items)); renderEditor(); }
  }), el('span', { class: 'def', text: lv.default_text || '' }));
  if (node.children.some((c) => c.lv.type === 'place')) bar.append(pickControl());
  fs.append(bar);
  return fs;
}

function renderEditor() {
  const box = $('levers');
  if (!S.tree || !S.edit) return;
  box.innerHTML = '';
  const top = el('fieldset', { class: 'section scenario', 'data-path': '' }, el('legend', { text: t('scenario_settings') }));
  for (const ch of S.tree.children) {
    if (ch.lv.type === 'section') {
      /* `levers`: one group per family */
      const fams = el('div', { class: 'families', 'data-path': ch.lv.key });
      renderChildren(ch, S.edit[ch.lv.key], ch.lv.key, fams);
      box.append(top, describe(ch.lv, el('h3', { text: label(ch.lv) })), fams);
    } else {
      const c = leafControl(ch.lv, S.edit, ch.lv.key);
      if (c) top.append(c);
    }
  }
}

/* A hub picked on the map: an item of the list that has a place. */
function addHub(code) {
  const lev = S.tree.children.find((c) => c.lv.key === 'levers');
  for (const fam of lev.children) {
    const list = fam.children.find((c) => c.lv.type === 'list' && c.children.some((x) => x.lv.type === 'place'));
    if (!list) continue;
    const sec = S.edit.levers[fam.lv.key];
    const items = sec[list.lv.key];
    const key = list.children.find((x) => x.lv.type === 'place').lv.key;
    if (items.length >= list.lv.max_items || items.some((h) => h[key] === code)) return;
    items.push(newItem(list, items, { [key]: code }));
    if (fam.lv.switch) sec.$on = true;
    renderEditor();
    return;
  }
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
    /* what was posted and answered, for the end-to-end test */
    window.balanceLastRun = { spec, compare: r.compare };
    document.body.dataset.runs = String(++S.runs);
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
  if (S.pick) addHub(p.name);
  else { S.selected = p.name; renderChart(); }
}

async function init() {
  mapA = echarts.init($('mapA'), null, { renderer: 'svg' });
  mapB = echarts.init($('mapB'), null, { renderer: 'svg' });
  chart = echarts.init($('chart'), null, { renderer: 'svg' });
  mapA.on('click', onMapClick);
  mapB.on('click', onMapClick);
  const [regions, sido, sgg, scenarios, levers, indicators] = await Promise.all([
    getJSON('/api/regions'), getJSON('/api/geometry/sido'), getJSON('/api/geometry/sigungu'),
    getJSON('/api/scenarios'), getJSON('/api/levers'), getJSON('/api/indicators')]);
  indicators.indicators.forEach((d) => { S.ind[d.name] = d; });
  INDICATORS = ['pop_change'].concat(indicators.indicators.filter((d) => d.map).map((d) => d.name));
  regions.regions.forEach((g) => { S.regions[g.code] = g; });
  for (const [level, topo, key] of [['sido', sido, 'sido_code'], ['sigungu', sgg, 'adm_code']]) {
    const geo = topojson.feature(topo, topo.objects[level]);
    geo.features.forEach((f) => { f.properties.name = f.properties[key]; });
    S.features[level] = geo.features.length;
    echarts.registerMap(level, geo);
  }
  S.tree = leverTree(levers.levers);
  const preset = levers.levers.find((lv) => lv.type === 'preset');
  S.presetShares = preset ? preset.preset_shares : null;
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
  window.addEventListener('resize', () => { mapA.resize(); mapB.resize(); chart.resize(); });
  loadPreset('status_quo.yaml');
  applyLang();
  await runScenario(buildSpec());
  document.body.dataset.ready = '1';
}

init().catch((e) => { $('status').textContent = e.message; document.body.dataset.lastError = e.message; });
