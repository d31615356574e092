// Does the built web app work under the server's Content-Security-Policy? Starts the real
// server on web/dist with --demo, signs in as Alice in Debian's Chromium, opens an
// appointment and takes its lock (REST + WebSocket), and fails on any CSP violation, page
// error or CSP console message. Uses web/'s playwright-core; never downloads a browser.
//
//   node server/test/browser/csp_check.mjs            (after `npm ci && npm run build` in web/)
//   SLOTLOCK_BIN=build/slotlock CHROMIUM=/usr/bin/chromium node server/test/browser/csp_check.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { chromium } = createRequire(path.join(repo, 'web', 'package.json'))('playwright-core');
const BIN = path.resolve(repo, process.env.SLOTLOCK_BIN ?? 'build/slotlock');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const dir = mkdtempSync(path.join(tmpdir(), 'slotlock-csp-'));
const server = spawn(
  BIN,
  ['--host', '127.0.0.1', '--port', '0', '--db', `sqlite:${dir}/csp.db`, '--demo', '--static', path.join(repo, 'web', 'dist')],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let output = '';
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no "listening on" in 15 s:\n${output}`)), 15_000);
  server.stdout.on('data', (c) => {
    output += c;
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
});

const problems = [];
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|CSP violation|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  const first = await page.goto(url);
  const csp = first.headers()['content-security-policy'];
  if (!csp || /script-src[^;]*unsafe-inline/.test(csp)) problems.push(`page CSP: ${csp}`);
  console.log(`CSP: ${csp}`);

  await page.getByLabel('E-mail').fill('alice@example.com');
  await page.getByLabel('Password').fill('alice-demo');
  await page.getByRole('button', { name: /sign in/i }).click();
  const appointment = page.getByRole('link', { name: /Dental check-up/ }).first();
  await appointment.waitFor({ timeout: 15_000 });
  console.log('signed in: the agenda is shown');
  await appointment.click();
  const edit = page.getByRole('button', { name: /^edit$/i });
  await edit.waitFor({ timeout: 15_000 });
  await edit.click();
  await page.getByRole('button', { name: /^save$/i }).waitFor({ timeout: 15_000 });
  console.log('appointment opened and its lock taken');
  await page.mouse.move(400, 400);
  await page.mouse.move(500, 450, { steps: 10 });
  await page.waitForTimeout(500); // let late-loading styles and the socket's frames arrive
} catch (e) {
  problems.push(`scenario: ${e.message}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
if (problems.length) {
  console.error(`FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('no CSP violation, no page error');
