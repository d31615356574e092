// Control request and expiry warning, against a server started with short timers:
//   slotlock --demo --lock-ttl 70 --control-grace 12 ...
// Usage: node scripts/control-flow.mjs http://127.0.0.1:PORT /tmp/shots
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const out = process.argv[3] ?? '/tmp/slotlock-shots';
mkdirSync(out, { recursive: true });
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
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

async function signIn(email, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${email}] page error: ${e.message}`));
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Appointments' }).waitFor();
  return page;
}

try {
  const alice = await signIn('alice@example.com', 'alice-demo');
  await alice.locator('tbody tr a').nth(1).click();
  const url = alice.url();
  await alice.getByRole('button', { name: 'Edit' }).click();
  await alice.getByRole('button', { name: 'Done' }).waitFor();

  const carol = await signIn('carol@example.com', 'carol-demo');
  await carol.goto(url);
  await carol.getByRole('button', { name: 'Request control' }).click();
  await carol.getByText('You asked for control').waitFor();
  await alice
    .getByText(/asks to take over editing/)
    .first()
    .waitFor();
  await alice.waitForTimeout(500);
  await alice.screenshot({ path: `${out}/11-alice-control-requested.png`, fullPage: true });
  await carol.screenshot({ path: `${out}/12-carol-asked-for-control.png`, fullPage: true });
  check(true, 'holder is told about the control request');

  // Alice does nothing: control passes to Carol at the deadline.
  await carol.getByRole('button', { name: 'Done' }).waitFor({ timeout: 20_000 });
  check(true, 'control passed to carol at the deadline');
  await alice.getByText(/Editing passed to Carol Diaz/).waitFor({ timeout: 5000 });
  await alice.waitForTimeout(500);
  await alice.screenshot({ path: `${out}/13-alice-after-handover.png`, fullPage: true });

  // Carol idles until the expiry warning (TTL 70 s: warning at 60 s left).
  await carol.getByRole('button', { name: 'Keep editing' }).waitFor({ timeout: 20_000 });
  await carol.screenshot({ path: `${out}/14-carol-expiry-warning.png`, fullPage: true });
  await carol.getByRole('button', { name: 'Keep editing' }).click();
  await carol
    .getByRole('region', { name: 'Your lock expires soon' })
    .waitFor({ state: 'detached', timeout: 5000 });
  check(true, 'Keep editing pushed the expiry on');
} catch (e) {
  failures.push(String(e));
  console.error(e);
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} failed` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
