// Start `balance serve` on a free port, run the API tests and the end-to-end
// test in headless Chromium against it, stop it. Exit status: 0 if all pass.
// Environment: BALANCE_BIN (default build/balance), BALANCE_DATA (data/kr),
// CHROMIUM (default /usr/bin/chromium), ARTIFACTS (default build/web-test).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTests } from './api.mjs';
import { e2eTest } from './e2e.mjs';
import { limitsTests } from './limits.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.resolve(root, process.env.BALANCE_BIN || 'build/balance');
const data = path.resolve(root, process.env.BALANCE_DATA || 'data/kr');
const artifacts = path.resolve(root, process.env.ARTIFACTS || 'build/web-test');
mkdirSync(artifacts, { recursive: true });

const srv = spawn(bin, ['serve', '--port', '0', '--data', data, '--web', path.join(root, 'web'),
  '--scenarios', path.join(root, 'scenarios'), '--request-deadline', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 20000);
  srv.stdout.on('data', (b) => {
    out += b;
    const m = out.match(/http:\/\/[0-9.]+:(\d+)\//);
    if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
  });
  srv.on('exit', (c) => reject(new Error('server exited ' + c + ': ' + out)));
});

let failed = 0;
const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try { await fn(); results.push(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { failed++; results.push(`FAIL ${name}: ${e.stack || e}`); }
}
const exited = new Promise((resolve) => srv.on('exit', (code, sig) => resolve({ code, sig })));
try {
  await apiTests(base, test);
  await limitsTests(base, test, srv.pid);
  if (process.env.E2E !== '0')
    await test('e2e: dashboard in headless Chromium', () => e2eTest(base, artifacts));
} finally {
  srv.kill('SIGTERM');
}
// the server stops cleanly on SIGTERM (under the sanitizers: no leak, no error)
await test('server exits cleanly on SIGTERM', async () => {
  const { code, sig } = await exited;
  if (code !== 0) throw new Error(`server exit code ${code} signal ${sig}`);
});
console.log(results.join('\n'));
console.log(`web tests: ${results.length - failed} passed, ${failed} failed (screenshot in ${artifacts})`);
process.exit(failed ? 1 : 0);
