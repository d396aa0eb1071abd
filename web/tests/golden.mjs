// Golden comparison for API answers (tests/golden/api_*.json): the same rule
// as tests/unit/test_golden.c — structure and strings identical, numbers
// within a relative 1e-9 (absolute 1e-12). With GOLDEN_UPDATE=1 the answer is
// written as the new golden instead (`make golden`).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function close(a, b, rel) {
  return a === b || Math.abs(a - b) <= 1e-12 + rel * Math.max(Math.abs(a), Math.abs(b));
}

// The path of the first difference, or null (numbers within a relative `rel`).
export function jsonDiff(a, b, where = '$', rel = 1e-9) {
  if (typeof a === 'number' && typeof b === 'number')
    return close(a, b, rel) ? null : `${where}: ${a} in the golden, ${b} now`;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return a === b ? null : `${where}: ${JSON.stringify(a)} in the golden, ${JSON.stringify(b)} now`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${where}: not the same type`;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${where}: ${a.length} items in the golden, ${b.length} now`;
    for (let i = 0; i < a.length; i++) {
      const d = jsonDiff(a[i], b[i], `${where}[${i}]`, rel);
      if (d) return d;
    }
    return null;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return `${where}: keys ${ka} in the golden, ${kb} now`;
  for (const k of ka) {
    if (!(k in b)) return `${where}.${k}: missing now`;
    const d = jsonDiff(a[k], b[k], `${where}.${k}`, rel);
    if (d) return d;
  }
  return null;
}

export function checkGolden(name, value) {
  const file = path.join(root, 'tests/golden', name);
  if (process.env.GOLDEN_UPDATE === '1') {
    writeFileSync(file, JSON.stringify(value, null, 1) + '\n');
    return;
  }
  const d = jsonDiff(JSON.parse(readFileSync(file, 'utf8')), value);
  if (d) throw new Error(`tests/golden/${name} differs at ${d} (if intended: make golden, review git diff tests/golden)`);
}
