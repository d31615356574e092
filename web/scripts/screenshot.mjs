// Two people in two browsers, as PRODUCT.md section 4 describes them.
// Usage: node scripts/screenshot.mjs http://127.0.0.1:8080 /tmp/shots
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
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function signIn(email, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${email}] page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.log(`[${email}] console: ${m.text()}`));
  await page.goto(`${base}/`);
  await page.waitForURL(/sign-in/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Appointments' }).waitFor();
  return { context, page };
}

try {
  const alice = await signIn('alice@example.com', 'alice-demo');
  await alice.page.locator('tbody tr').first().waitFor();
  await alice.page.screenshot({ path: `${out}/01-list-alice.png`, fullPage: true });

  await alice.page.locator('tbody tr a').first().click();
  await alice.page.getByRole('button', { name: 'Edit' }).waitFor();
  const url = alice.page.url();
  await alice.page.getByRole('button', { name: 'Edit' }).click();
  await alice.page.getByRole('button', { name: 'Done' }).waitFor();
  await alice.page.getByLabel('Location').fill('Room 4B (changed by Alice)');
  await alice.page.screenshot({ path: `${out}/02-alice-editing.png`, fullPage: true });

  const bob = await signIn('bob@example.com', 'bob-demo');
  await bob.page.screenshot({ path: `${out}/03-list-bob-badge.png`, fullPage: true });
  const badge = await bob.page.getByText(/Alice Martin is editing/).count();
  check(badge > 0, 'bob sees the live lock badge in the list');

  await bob.page.goto(url);
  const banner = bob.page.getByRole('region', { name: 'Who is editing' });
  await banner.waitFor();
  const text = await banner.innerText();
  check(
    /Alice Martin/.test(text) && /alice@example\.com/.test(text),
    `banner names Alice: ${text.replace(/\s+/g, ' ')}`,
  );
  check(/\d+:\d\d/.test(text), 'banner has an m:ss countdown');
  check(
    await bob.page.getByRole('button', { name: 'Edit', exact: true }).isDisabled(),
    'Edit is disabled for bob',
  );
  const controls = bob.page.locator('form input, form select, form textarea');
  const n = await controls.count();
  let disabled = 0;
  for (let i = 0; i < n; i++) if (await controls.nth(i).isDisabled()) disabled++;
  check(n > 0 && disabled === n, `all ${n} inputs disabled for bob (${disabled})`);
  await bob.page.waitForTimeout(1200);
  await bob.page.screenshot({ path: `${out}/04-bob-sees-lock.png`, fullPage: true });

  // Carol (admin) takes over; Alice keeps her draft.
  const carol = await signIn('carol@example.com', 'carol-demo');
  await carol.page.goto(url);
  await carol.page.getByRole('button', { name: 'Take over' }).click();
  const dialog = carol.page.getByRole('alertdialog');
  await dialog.waitFor();
  await carol.page.waitForTimeout(400); // let the dialog finish fading in
  check(/Alice Martin/.test(await dialog.innerText()), 'take-over dialog names the holder');
  await carol.page.screenshot({ path: `${out}/05-carol-confirm-takeover.png`, fullPage: true });
  await dialog.getByRole('button', { name: 'Take over' }).click();
  await carol.page.getByRole('button', { name: 'Done' }).waitFor();
  await alice.page
    .getByText(/took over editing/)
    .first()
    .waitFor();
  await alice.page.waitForTimeout(800);
  await alice.page.screenshot({ path: `${out}/06-alice-after-takeover.png`, fullPage: true });
  check(
    (await alice.page.getByRole('button', { name: 'Copy my changes' }).count()) > 0,
    'alice is offered her changes',
  );

  // A second tab of Carol: told it is open elsewhere.
  const carol2 = await carol.context.newPage();
  await carol2.goto(url);
  await carol2.getByText(/open for editing in another tab/).waitFor();
  await carol2.screenshot({ path: `${out}/07-carol-second-tab.png`, fullPage: true });
  check(await carol2.getByRole('button', { name: 'Edit here' }).isVisible(), 'second tab offers Edit here');

  // Bob waits in line; Carol saves and finishes; Bob gets the lock; Alice sees the new version.
  await bob.page.getByRole('button', { name: 'Notify me when free' }).click();
  await bob.page.getByRole('button', { name: 'Leave the line' }).waitFor();
  await carol.page.getByLabel('Notes').fill('Rescheduled by Carol after a phone call.');
  await carol.page.getByRole('button', { name: 'Done' }).click();
  const t0 = Date.now();
  await bob.page.getByRole('button', { name: 'Done' }).waitFor({ timeout: 5000 });
  check(true, `bob was granted the lock from the line in ${Date.now() - t0} ms`);
  await alice.page.getByText(/version 2, saved by Carol Diaz/).waitFor({ timeout: 5000 });
  check(true, 'alice sees version 2 without reloading');
  await bob.page.waitForTimeout(600);
  await bob.page.screenshot({ path: `${out}/09-bob-granted-from-line.png`, fullPage: true });
  await alice.page.screenshot({ path: `${out}/10-alice-sees-bob-after-queue.png`, fullPage: true });

  await bob.page.setViewportSize({ width: 390, height: 844 });
  await bob.page.waitForTimeout(500);
  await bob.page.screenshot({ path: `${out}/08-bob-mobile.png`, fullPage: true });
} catch (e) {
  failures.push(String(e));
  console.error(e);
} finally {
  await browser.close();
}
console.log(failures.length ? `${failures.length} failed` : 'all checks passed');
process.exit(failures.length ? 1 : 0);
