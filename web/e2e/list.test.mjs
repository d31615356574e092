// The front desk's day (issue 13, PRODUCT.md §4): the list in the clinic's zone (the server runs
// --time-zone Europe/Berlin while the browser is in UTC), search, status, Day and Week views with
// previous/next, all in the URL; a new appointment created with the keyboard alone that another
// browser's list shows without a reload (and loses again when it is deleted); overlaps warned
// before and after creating. axe runs on every page state visited.
// LIST_SHOTS=<dir> saves the list views and the form, desktop and 390 px (docs/list-*.png).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectPageAxeClean, settle } from './lib/axe.mjs';
import { api, eventually, launchBrowser, login, people, startServer, withBrowser } from './lib/harness.mjs';
import { countPointerUse, focused, tabTo, waitForFocus } from './lib/keyboard.mjs';

const ZONE = 'Europe/Berlin';
const PHONE = { width: 390, height: 844 };
let server;
let browser;
/** The agenda as the API lists it (the demo's appointments, from today on). */
let agenda;
const run = (fn) =>
  withBrowser(
    () => browser,
    () => server,
    fn,
  );
const shots = process.env.LIST_SHOTS ? path.resolve(process.env.LIST_SHOTS) : null;

async function shot(page, name, { fullPage = true } = {}) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await settle(page);
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
}

/** The clinic's calendar date of an instant, `YYYY-MM-DD`. */
const clinicDate = (iso) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(iso));
/** A `datetime-local` value in the clinic's zone. */
function clinicInput(iso) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
function addDays(date, n) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const rows = (page) => page.getByTestId('appointment-row');
const titles = (page) => rows(page).getByRole('link').allInnerTexts();

/** The list shows exactly these titles, in this order (live data: waits until it does). */
async function listShows(page, expected, message) {
  let last;
  try {
    await eventually(async () => {
      last = await titles(page);
      return JSON.stringify(last) === JSON.stringify(expected);
    });
  } catch {
    assert.fail(`${message}: expected ${JSON.stringify(expected)}, shown ${JSON.stringify(last)}`);
  }
}

const matches = (a, q) =>
  [a.title, a.clientName, a.clientEmail, a.location, a.notes].some((f) =>
    f.toLowerCase().includes(q.toLowerCase()),
  );

describe('the list: views, search, live updates, new appointment', { timeout: 180_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(['--time-zone', ZONE]), launchBrowser()]);
    const { token } = await login(server, people.carol);
    agenda = (await api(server, token, 'GET', '/appointments')).body.items;
    assert.ok(agenda.length >= 10, 'the demo has at least 10 appointments from today on');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'a new appointment made with the keyboard alone shows in another browser’s list without a reload, and goes when deleted',
    run(async (s) => {
      const bob = await s.signedIn(people.bob);
      await bob.page.goto(`${server.url}/`);
      await rows(bob.page).first().waitFor();
      await bob.page.getByText(`Times in ${ZONE}`).waitFor();
      await bob.page.evaluate(() => (window.__sameDocument = true));
      await expectPageAxeClean(bob.page);

      const alice = await s.signedIn(people.alice);
      await countPointerUse(alice.context);
      const page = alice.page;
      await page.goto(`${server.url}/`);
      await rows(page).first().waitFor();
      await tabTo(page, (f) => f.tag === 'A' && f.text === 'New appointment');
      await page.keyboard.press('Enter');
      await waitForFocus(
        page,
        (f) => f.tag === 'H1' && f.text === 'New appointment',
        'the form’s heading has focus',
      );
      assert.equal(await page.title(), 'New appointment · slotlock');
      await expectPageAxeClean(page);

      // Enter with nothing typed: each error beside its input, focus on the first.
      await tabTo(page, (f) => f.tag === 'INPUT' && f.text === 'Title');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').filter({ hasText: 'Please correct these 3 fields' }).waitFor();
      const titleInput = page.getByLabel('Title');
      assert.equal(await titleInput.getAttribute('aria-invalid'), 'true');
      const describedBy = await titleInput.getAttribute('aria-describedby');
      assert.equal(await page.locator(`[id="${describedBy}"]`).innerText(), 'Enter a title.');
      assert.deepEqual(await focused(page), { tag: 'INPUT', text: 'Title' });
      await expectPageAxeClean(page);

      const title = `Keyboard visit ${Date.now().toString(36)}`;
      await page.keyboard.type(title);
      await page.keyboard.press('Tab');
      await page.keyboard.type('Noor Haddad');
      await page.keyboard.press('Tab');
      await page.keyboard.type('noor@example.org');
      await tabTo(page, (f) => f.tag === 'INPUT' && f.text === 'Location');
      await page.keyboard.type('Room 9');
      const startsAt = await page.getByLabel('Starts').inputValue();
      await page.keyboard.press('Enter');

      await page.waitForURL(/\/appointments\/[^/]+$/);
      await page.getByText(`Appointment “${title}” created.`).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
      assert.notEqual(id, 'new');
      assert.equal(await page.evaluate(() => window.__pointerEvents), 0, 'no mouse was used');

      const created = (await api(server, alice.token, 'GET', `/appointments/${id}`)).body;
      assert.equal(created.title, title);
      assert.equal(created.clientEmail, 'noor@example.org');
      assert.equal(clinicInput(created.startsAt), startsAt, 'the form’s time was read in the clinic zone');

      // Bob's list, untouched since it loaded, has it.
      await rows(bob.page).filter({ hasText: title }).waitFor();
      assert.equal(await bob.page.evaluate(() => window.__sameDocument), true, 'Bob’s page was not reloaded');
      await expectPageAxeClean(bob.page);

      // Deleted by whoever holds its lock: it leaves Bob's list too.
      const { token } = await login(server, people.carol);
      const lock = await api(server, token, 'POST', `/appointments/${id}/acquire-lock`, {
        sessionId: 'e2e-deleter',
      });
      assert.equal(lock.status, 200);
      const gone = await api(server, token, 'DELETE', `/appointments/${id}`, undefined, {
        'X-Lock-Token': String(lock.body.lock.fencingToken),
      });
      assert.equal(gone.status, 204);
      await rows(bob.page).filter({ hasText: title }).waitFor({ state: 'detached' });
      assert.equal(await bob.page.evaluate(() => window.__sameDocument), true);
    }),
  );

  test(
    'overlaps in the same location are warned about as the time is typed, and again when created',
    run(async (s) => {
      const carol = await s.signedIn(people.carol);
      const page = carol.page;
      const other = agenda.find((a) => a.location && a.status !== 'cancelled');
      await page.goto(`${server.url}/appointments/new`);
      await page.getByLabel('Title').fill('Overlapping visit');
      await page.getByLabel('Client name').fill('Ada Byron');
      await page.getByLabel('Client e-mail').fill('ada@example.org');
      await page.getByLabel('Starts').fill(clinicInput(other.startsAt));
      await page.getByLabel('Ends').fill(clinicInput(other.endsAt));
      await page.getByLabel('Location').fill(other.location.toUpperCase());
      const warning = page.getByTestId('conflict-warning');
      await warning.getByRole('link', { name: new RegExp(`^${other.title}`) }).waitFor();
      assert.match(await warning.innerText(), /overlaps this time/);
      assert.equal(await warning.getAttribute('role'), 'status', 'a polite warning, not an alert');
      await expectPageAxeClean(page);
      await shot(page, 'list-new-appointment');

      await page.getByRole('button', { name: 'Create appointment' }).click();
      await page.waitForURL(/\/appointments\/(?!new)[^/]+$/);
      await page
        .getByText(new RegExp(`Appointment “Overlapping visit” created\\. It overlaps .*${other.title}`))
        .waitFor();
    }),
  );

  test(
    'search, status, Day and Week with previous and next: every step is in the URL, Back works, a shared URL shows the same',
    run(async (s) => {
      const carol = await s.signedIn(people.carol);
      const page = carol.page;
      // As it is now (the tests before added to it).
      const agenda = (await api(server, carol.token, 'GET', '/appointments')).body.items;
      await page.goto(`${server.url}/`);
      await listShows(
        page,
        agenda.map((a) => a.title),
        'the agenda from today on',
      );
      await expectPageAxeClean(page);
      await shot(page, 'list-agenda');

      // Search: into the URL once typing stops; only what matches, still live.
      const q = agenda[0].clientName.split(' ')[0];
      await page.getByRole('searchbox', { name: 'Search' }).fill(q);
      await page.waitForURL((u) => u.searchParams.get('q') === q);
      await listShows(
        page,
        agenda.filter((a) => matches(a, q)).map((a) => a.title),
        `search "${q}"`,
      );
      await page.getByRole('searchbox', { name: 'Search' }).fill('');
      await page.waitForURL((u) => !u.searchParams.has('q'));

      // Status: several at once.
      await page.getByRole('checkbox', { name: 'Confirmed' }).check();
      await page.getByRole('checkbox', { name: 'Cancelled' }).check();
      await page.waitForURL((u) => u.searchParams.getAll('status').join() === 'confirmed,cancelled');
      const statuses = ['confirmed', 'cancelled'];
      await listShows(
        page,
        agenda.filter((a) => statuses.includes(a.status)).map((a) => a.title),
        'confirmed or cancelled',
      );
      await expectPageAxeClean(page);
      await page.goBack();
      await page.waitForURL((u) => u.searchParams.getAll('status').join() === 'confirmed');
      assert.equal(
        await page.getByRole('checkbox', { name: 'Cancelled' }).isChecked(),
        false,
        'Back unticks',
      );
      await page.getByRole('checkbox', { name: 'Confirmed' }).uncheck();

      // Day view on the first day with appointments, its days in the clinic's zone.
      const onDay = (d) => agenda.filter((a) => clinicDate(a.startsAt) === d).map((a) => a.title);
      const day = clinicDate(agenda[0].startsAt);
      await page.getByRole('navigation', { name: 'View' }).getByRole('link', { name: 'Day' }).click();
      await page.waitForURL((u) => u.searchParams.get('view') === 'day');
      await page.getByLabel('Day', { exact: true }).fill(day);
      await page.waitForURL((u) => u.searchParams.get('date') === day);
      await listShows(page, onDay(day), `the day ${day}`);
      const dayInWords = new Intl.DateTimeFormat('en-US', {
        timeZone: 'UTC',
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }).format(new Date(`${day}T12:00:00Z`));
      assert.equal(await page.title(), `${dayInWords} · Appointments · slotlock`);
      assert.equal(await page.getByText(`Times in ${ZONE}`).count(), 1, 'the zone is said once');
      await expectPageAxeClean(page);
      await shot(page, 'list-day');

      await page.getByRole('link', { name: 'Next day' }).click();
      await page.waitForURL((u) => u.searchParams.get('date') === addDays(day, 1));
      await listShows(page, onDay(addDays(day, 1)), 'the next day');
      await page.getByRole('link', { name: 'Previous day' }).click();
      await page.getByRole('link', { name: 'Previous day' }).click();
      await page.waitForURL((u) => u.searchParams.get('date') === addDays(day, -1));
      const before = onDay(addDays(day, -1));
      if (before.length === 0) await page.getByText(/^Nothing is booked on /).waitFor();
      else await listShows(page, before, 'the day before');
      await expectPageAxeClean(page);
      await page.goBack();
      await page.waitForURL((u) => u.searchParams.get('date') === day);
      await listShows(page, onDay(day), 'Back: the day again');

      // The week (Monday to Sunday) holding that day.
      await page.getByRole('navigation', { name: 'View' }).getByRole('link', { name: 'Week' }).click();
      await page.waitForURL(
        (u) => u.searchParams.get('view') === 'week' && u.searchParams.get('date') === day,
      );
      const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
      const week = Array.from({ length: 7 }, (_, i) => addDays(day, i - weekday));
      await listShows(
        page,
        agenda.filter((a) => week.includes(clinicDate(a.startsAt))).map((a) => a.title),
        'the week',
      );
      assert.equal(await page.getByRole('columnheader', { name: /day, / }).count(), 7, 'seven days');
      await expectPageAxeClean(page);
      await shot(page, 'list-week');
      await page.getByRole('link', { name: 'Next week' }).click();
      await page.waitForURL((u) => u.searchParams.get('date') === addDays(day, 7));

      // A shared URL shows the same view to someone else, on a phone.
      const url = `${server.url}/?view=day&date=${day}`;
      const bob = await s.signedIn(people.bob, { viewport: PHONE });
      await bob.page.goto(url);
      await listShows(bob.page, onDay(day), 'the shared day on a phone');
      const overflow = await bob.page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      assert.ok(overflow <= 0, `nothing wider than the phone (${overflow} px too wide)`);
      await expectPageAxeClean(bob.page);
      await shot(bob.page, 'list-day-phone');
      await bob.page.goto(`${server.url}/`);
      await listShows(
        bob.page,
        agenda.map((a) => a.title),
        'the agenda on a phone',
      );
      await shot(bob.page, 'list-agenda-phone');
      await bob.page.goto(`${server.url}/?view=week&date=${day}`);
      await rows(bob.page).first().waitFor();
      await expectPageAxeClean(bob.page);
      await shot(bob.page, 'list-week-phone');
      await bob.page.goto(`${server.url}/appointments/new`);
      await bob.page.getByLabel('Title').waitFor();
      await bob.page.getByRole('button', { name: 'Create appointment' }).click();
      await bob.page.getByRole('alert').waitFor();
      await expectPageAxeClean(bob.page);
      // The screen as the phone shows it: the Create bar stays at its bottom.
      await shot(bob.page, 'list-new-appointment-phone', { fullPage: false });
    }),
  );
});
