// Live cursor demonstration: three scripted visitors (the demo users) wander over one
// appointment at ~15 Hz; open the printed URL in a browser to watch them.
//
//   npm run demo                              # starts the server on 127.0.0.1:8080
//   SLOTLOCK_URL=http://127.0.0.1:9000 npm run demo   # uses a running server (with --demo data)
//   npm run demo -- --screenshot docs/cursors.png     # a 4th browser saves a screenshot, then exits
//
// Ctrl-C stops the visitors and the server it started.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.resolve(web, process.env.SLOTLOCK_BIN ?? '../build/slotlock');
const DIST = path.join(web, 'dist');
const HZ = 15;
const screenshotAt = (() => {
  const i = process.argv.indexOf('--screenshot');
  return i > 0 ? path.resolve(process.argv[i + 1] ?? 'cursors.png') : null;
})();

if (typeof WebSocket === 'undefined') {
  console.error('This Node has no WebSocket: run with Node 22+, or Node 20 with --experimental-websocket.');
  process.exit(1);
}

const visitors = [
  { email: 'alice@example.com', password: 'alice-demo', phase: 0.0, speed: 1.0 },
  { email: 'bob@example.com', password: 'bob-demo', phase: 2.1, speed: 0.8, holdsLock: true },
  { email: 'carol@example.com', password: 'carol-demo', phase: 4.2, speed: 1.15 },
];
// A user never sees their own pointer, so the person watching signs in as a fourth user.
const watcher = { email: 'dana@example.com', password: 'dana-demo', name: 'Dana Watcher' };

let server = null;
let tmp = null;
const sockets = [];
const timers = [];
let base = process.env.SLOTLOCK_URL?.replace(/\/$/, '');

async function startServer() {
  if (!existsSync(BIN)) throw new Error(`no server binary at ${BIN}: build it or set SLOTLOCK_BIN`);
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('no web/dist: run `npm run build` first');
  tmp = mkdtempSync(path.join(tmpdir(), 'slotlock-demo-'));
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    '8080',
    '--db',
    `sqlite:${tmp}/demo.db`,
    '--demo',
    '--static',
    DIST,
  ];
  server = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace(/\/$/, ''));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) =>
      reject(
        new Error(
          `the server exited (${code}); is port 8080 taken? Set SLOTLOCK_URL to use a running one.\n${out}`,
        ),
      ),
    );
  });
}

async function call(method, route, token, body) {
  const res = await fetch(`${base}/api${route}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok && res.status !== 409) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return data;
}

const login = (who) => call('POST', '/auth/login', null, { email: who.email, password: who.password });

/** A smooth path that wanders over the whole form without repeating quickly. */
function wander(t, phase, speed) {
  const s = t * speed;
  const x = 0.5 + 0.3 * Math.sin(0.9 * s + phase) + 0.15 * Math.sin(2.3 * s + 1.7 * phase);
  const y = 0.5 + 0.28 * Math.sin(0.7 * s + 2 * phase) + 0.15 * Math.cos(1.9 * s + phase);
  const clamp = (v) => Math.min(0.97, Math.max(0.03, v));
  return { x: Math.round(clamp(x) * 1e4) / 1e4, y: Math.round(clamp(y) * 1e4) / 1e4 };
}

async function visit(v, appointmentId) {
  const { token, user } = await login(v);
  const sessionId = `demo-${user.name.split(' ')[0].toLowerCase()}`;
  if (v.holdsLock) await call('POST', `/appointments/${appointmentId}/acquire-lock`, token, { sessionId });
  const { ticket } = await call('POST', '/ws-tickets', token);
  const wsBase = base.replace(/^http/, 'ws');
  const ws = new WebSocket(
    `${wsBase}/api/appointments/${appointmentId}/updates?ticket=${encodeURIComponent(ticket)}&sessionId=${sessionId}`,
  );
  sockets.push({ ws, token, appointmentId, holdsLock: v.holdsLock });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`${v.email}: the WebSocket failed`)), { once: true });
  });
  const start = performance.now();
  timers.push(
    setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const t = (performance.now() - start) / 1000;
      ws.send(JSON.stringify({ type: 'cursor', ...wander(t, v.phase, v.speed) }));
    }, 1000 / HZ),
  );
  // The lock holder counts as active now and then, so the demo lock does not expire.
  if (v.holdsLock)
    timers.push(
      setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"activity"}'), 60_000),
    );
  return user.name;
}

async function ensureWatcher() {
  const { token } = await login(visitors[2]); // carol is an admin
  await call('POST', '/users', token, { ...watcher, role: 'user' }); // 409: already there
}

async function stop(code = 0) {
  for (const t of timers) clearInterval(t);
  await Promise.all(
    sockets.map(async ({ ws, token, appointmentId, holdsLock }) => {
      if (holdsLock)
        await call('DELETE', `/appointments/${appointmentId}/release-lock`, token).catch(() => {});
      ws.close();
    }),
  );
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    const kill = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}

async function screenshot(url, file) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const session = await login(watcher);
    const context = await browser.newContext({
      viewport: { width: 1100, height: 820 },
      deviceScaleFactor: 1,
      storageState: {
        cookies: [],
        origins: [
          { origin: base, localStorage: [{ name: 'slotlock.auth', value: JSON.stringify(session) }] },
        ],
      },
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('form[aria-label="Appointment"]').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="live-cursor"][data-active="true"]').length >= 3,
    );
    await page.waitForTimeout(1500); // let them wander apart a little
    await page.screenshot({ path: file });
    console.log(`screenshot saved: ${file}`);
  } finally {
    await browser.close();
  }
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  base ??= await startServer();
  await ensureWatcher();
  const { token } = await login(visitors[0]);
  const list = await call('GET', '/appointments', token);
  const appointment = list.items[0];
  const names = [];
  for (const v of visitors) names.push(await visit(v, appointment.id));
  const url = `${base}/appointments/${appointment.id}`;
  console.log(`\n${names.join(', ')} are looking at "${appointment.title}" (${names[1]} is editing it).`);
  console.log(`Open ${url}`);
  console.log(`and sign in as ${watcher.email} / ${watcher.password} to see all three pointers`);
  console.log('(a user never sees their own pointer; the other demo users see two). Ctrl-C stops.\n');
  if (screenshotAt) {
    await screenshot(url, screenshotAt);
    await stop(0);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  await stop(1);
}
