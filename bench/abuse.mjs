// bench/abuse.mjs — `balance serve` under a slow-client attack (issue 18,
// docs/performance.md): 100 sockets from 127.0.0.2 each trickle a request a
// byte every 500 ms (reconnecting when the server closes them at the request
// deadline), while a normal client on 127.0.0.1 alternates GET /api/regions
// and POST /api/run (municipal scenario). Reports the normal client's
// answers and latency, the slow sockets held open, and the server's resident
// memory sampled every second. Loopback only. Usage:
//   node bench/abuse.mjs [SECONDS]   (default 60; BALANCE_BIN, BALANCE_DATA)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.resolve(root, process.env.BALANCE_BIN || 'build/balance');
const data = path.resolve(root, process.env.BALANCE_DATA || 'data/kr');
const seconds = Number(process.argv[2] || 60);
const SLOW = 100;

const srv = spawn(bin, ['serve', '--port', '0', '--data', data, '--web', path.join(root, 'web'),
  '--scenarios', path.join(root, 'scenarios'), '--per-ip', '128'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  srv.stdout.on('data', (b) => {
    out += b;
    const m = out.match(/http:\/\/[0-9.]+:(\d+)\//);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
  srv.on('exit', (c) => reject(new Error('server exited ' + c)));
});
const port = Number(new URL(base).port);
// the server process: balance execs balance-serve, so the pid is the server's
const rss = () => {
  try { return Number(readFileSync(`/proc/${srv.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); }
  catch { return NaN; }
};

let stop = false, open = 0, opened = 0;
function slow() {
  if (stop) return;
  const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' });
  let timer = null, counted = false;
  s.on('connect', () => {
    open++; opened++; counted = true;
    s.write('POST /api/run HTTP/1.1\r\nHost: x\r\n');
    timer = setInterval(() => s.write('X'), 500);
  });
  s.on('error', () => {});
  s.on('close', () => { clearInterval(timer); if (counted) open--; setTimeout(slow, 50); });
}
for (let i = 0; i < SLOW; i++) slow();

const spec = JSON.stringify({ name: 'abuse', extends: 'metropolises.yaml' });
const lat = [];
let ok = 0, bad = 0, openSum = 0, openN = 0;
const mem = [];
const memTimer = setInterval(() => { mem.push(rss()); openSum += open; openN++; }, 1000);
const t0 = Date.now();
while (Date.now() - t0 < seconds * 1000) {
  for (const [url, opts] of [['/api/regions', {}], ['/api/run', { method: 'POST', body: spec }]]) {
    const t = Date.now();
    try {
      const r = await fetch(base + url, opts);
      await r.arrayBuffer();
      if (r.status === 200) ok++; else bad++;
    } catch { bad++; }
    lat.push(Date.now() - t);
  }
}
stop = true;
clearInterval(memTimer);
const status = await (await fetch(base + '/api/status')).json();
srv.kill('SIGTERM');
lat.sort((a, b) => a - b);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
const m = mem.filter((v) => !Number.isNaN(v));
console.log(`abuse.seconds               ${seconds}`);
console.log(`abuse.slow_sockets_open     mean ${(openSum / Math.max(1, openN)).toFixed(1)} of ${SLOW} (${opened} connections opened)`);
console.log(`abuse.closed_at_deadline    ${status.requests_closed_at_deadline}`);
console.log(`abuse.normal_requests       ${ok} answered 200, ${bad} failed`);
console.log(`abuse.normal_latency_ms     p50 ${q(0.5)}  p99 ${q(0.99)}  max ${lat[lat.length - 1]}`);
console.log(`abuse.server_rss_kib        first ${m[0]}  max ${Math.max(...m)}  last ${m[m.length - 1]}`);
process.exit(bad ? 1 : 0);
