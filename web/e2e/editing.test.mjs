// The lock workflow between two people, closing a tab, signing out, a refused save,
// and two tabs of one person — in Debian's Chromium against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  appointmentIds,
  eventually,
  formControlsDisabled,
  launchBrowser,
  lockBanner,
  login,
  openAppointment,
  people,
  startEditing,
  startServer,
  withBrowser,
} from './lib/harness.mjs';

let server;
let browser;
let ids;
const run = (fn) =>
  withBrowser(
    () => browser,
    () => server,
    fn,
  );

async function auditReasons(appointmentId) {
  const { token } = await login(server, people.carol);
  const res = await api(server, token, 'GET', `/appointments/${appointmentId}/audit`);
  return res.body.items.map((r) => `${r.action}:${r.reason}`);
}

describe('editing', { timeout: 120_000 }, () => {
  before(async () => {
    // A long grace: a lock that is freed within seconds was freed by the page, not the fallback.
    [server, browser] = await Promise.all([startServer(['--disconnect-grace', '20']), launchBrowser()]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    "A edits: B sees A's name, e-mail, an m:ss timer and every input disabled; A's Done frees it for B",
    run(async (s) => {
      // Alice signs in through the page, as a person would.
      const a = await s.anonymous('alice');
      await a.page.goto(`${server.url}/appointments/${ids[0]}`);
      await a.page.waitForURL(/sign-in/);
      await a.page.getByLabel('E-mail').fill(people.alice.email);
      await a.page.getByLabel('Password').fill(people.alice.password);
      await a.page.getByRole('button', { name: 'Sign in' }).click();
      await a.page.locator('form[aria-label="Appointment"]').waitFor();
      await startEditing(a.page);

      const b = await s.signedIn(people.bob);
      await openAppointment(b.page, server, ids[0]);
      const banner = lockBanner(b.page);
      await banner.waitFor();
      const text = (await banner.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Alice Martin/);
      assert.match(text, /alice@example\.com/);
      assert.match(text, /\b\d+:\d\d\b/, `an m:ss countdown in "${text}"`);
      // The timer runs.
      const first = await banner.locator('.font-mono').innerText();
      await eventually(async () => (await banner.locator('.font-mono').innerText()) !== first, {
        timeout: 3_000,
        message: 'the countdown ticks',
      });
      assert.equal(await b.page.getByRole('button', { name: 'Edit', exact: true }).isDisabled(), true);
      const { count, disabled } = await formControlsDisabled(b.page);
      assert.ok(count >= 8, `the form has its controls (${count})`);
      assert.equal(disabled, count, 'every input, select and textarea has the disabled attribute');

      await a.page.getByRole('button', { name: 'Done', exact: true }).click();
      await banner.waitFor({ state: 'detached' });
      await b.page.getByRole('button', { name: 'Edit', exact: true }).waitFor({ state: 'visible' });
      await eventually(() => b.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled(), {
        message: 'Edit enabled for B',
      });
      await startEditing(b.page);
      await b.page.getByLabel('Location').fill('Room 7 (Bob)');
      await b.page.getByRole('button', { name: 'Save', exact: true }).click();
      await b.page.getByText('Saved.', { exact: true }).waitFor();
      await b.page.getByRole('button', { name: 'Done', exact: true }).click();
      await b.page.getByRole('button', { name: 'Edit', exact: true }).waitFor();
    }),
  );

  test(
    'A closes the tab while editing: B sees it free at once (pagehide), long before the disconnect grace',
    run(async (s) => {
      const a = await s.signedIn(people.alice);
      await openAppointment(a.page, server, ids[1]);
      await startEditing(a.page);
      const b = await s.signedIn(people.bob);
      await openAppointment(b.page, server, ids[1]);
      await lockBanner(b.page).waitFor();

      const closedAt = Date.now();
      await a.page.close({ runBeforeUnload: true });
      await lockBanner(b.page).waitFor({ state: 'detached', timeout: 8_000 });
      const took = Date.now() - closedAt;
      assert.ok(took < 8_000, `freed in ${took} ms, the grace is 20 s`);
      await eventually(() => b.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled());
      const reasons = await auditReasons(ids[1]);
      assert.equal(reasons[0], 'released:user', `released by the page, not by the grace: ${reasons}`);
    }),
  );

  test(
    'signing out while editing releases the lock before the token is revoked',
    run(async (s) => {
      const a = await s.signedIn(people.alice);
      await openAppointment(a.page, server, ids[2]);
      await startEditing(a.page);
      const b = await s.signedIn(people.bob);
      await openAppointment(b.page, server, ids[2]);
      await lockBanner(b.page).waitFor();

      await a.page.getByRole('button', { name: 'Sign out' }).click();
      await a.page.waitForURL(/sign-in/);
      await lockBanner(b.page).waitFor({ state: 'detached', timeout: 5_000 });
      const reasons = await auditReasons(ids[2]);
      assert.equal(reasons[0], 'released:user', `released by signing out: ${reasons}`);
    }),
  );

  test(
    'a stale save is refused (another user changed it through the API) and the typed draft survives',
    run(async (s) => {
      const id = ids[3];
      const a = await s.signedIn(people.alice);
      // Alice's news from the server is held back, as on a slow network, while Carol works.
      let paused = false;
      const held = [];
      let toPage = null;
      await a.page.routeWebSocket(/\/updates\?/, (ws) => {
        const serverSide = ws.connectToServer();
        toPage = ws;
        serverSide.onMessage((m) => (paused ? held.push(m) : ws.send(m)));
      });
      await openAppointment(a.page, server, id);
      await startEditing(a.page);
      const typed = 'Alice typed this before Carol saved';
      await a.page.getByLabel('Notes').fill(typed);

      paused = true;
      const carol = await login(server, people.carol);
      const taken = await api(server, carol.token, 'POST', `/appointments/${id}/acquire-lock`, {
        sessionId: 'e2e-carol-api',
        takeover: true,
      });
      assert.equal(taken.status, 200, JSON.stringify(taken.body));
      const current = (await api(server, carol.token, 'GET', `/appointments/${id}`)).body;
      const { version } = current;
      const fields = Object.fromEntries(
        ['title', 'clientName', 'clientEmail', 'startsAt', 'endsAt', 'location', 'notes', 'status'].map(
          (k) => [k, current[k]],
        ),
      );
      const saved = await api(
        server,
        carol.token,
        'PUT',
        `/appointments/${id}`,
        { ...fields, location: 'Moved by Carol', version },
        { 'X-Lock-Token': String(taken.body.lock.fencingToken) },
      );
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      await api(server, carol.token, 'DELETE', `/appointments/${id}/release-lock`);

      // Alice still sees her form and presses Save: the server refuses it.
      const refused = a.page.waitForResponse((r) => r.request().method() === 'PUT');
      await a.page.getByRole('button', { name: 'Save', exact: true }).click();
      assert.equal((await refused).status(), 423);
      await a.page.getByText('Your changes were not saved').first().waitFor();
      paused = false;
      for (const m of held.splice(0)) toPage?.send(m);

      const recovery = a.page.getByTestId('draft-recovery');
      await recovery.waitFor();
      await recovery.getByText('Show my changes').click();
      await recovery.getByText(typed).waitFor();
      const stored = await a.page.evaluate(() =>
        Object.entries(localStorage)
          .filter(([k]) => k.startsWith('slotlock.draft.') || k.startsWith('slotlock.rejected.'))
          .map(([, v]) => v)
          .join('\n'),
      );
      assert.ok(stored.includes(typed), 'the draft is kept in localStorage');

      // Re-apply: a new lock, the typed text on top of Carol's version, saved.
      await recovery.getByRole('button', { name: 'Re-apply my changes' }).click();
      await a.page.getByRole('button', { name: 'Done', exact: true }).waitFor();
      assert.equal(await a.page.getByLabel('Notes').inputValue(), typed);
      assert.equal(await a.page.getByLabel('Location').inputValue(), 'Moved by Carol');
      await a.page.getByRole('button', { name: 'Save', exact: true }).click();
      await a.page.getByText('Saved.', { exact: true }).waitFor();
      const after = (await api(server, carol.token, 'GET', `/appointments/${id}`)).body;
      assert.equal(after.notes, typed);
      assert.equal(after.location, 'Moved by Carol');
    }),
  );

  test(
    'two tabs of one person: the second is told, can take it over with Edit here; a duplicated tab gets its own sessionId',
    run(async (s) => {
      const id = ids[4];
      const a = await s.signedIn(people.alice);
      await openAppointment(a.page, server, id);
      await startEditing(a.page);

      const tab2 = await a.context.newPage();
      await openAppointment(tab2, server, id);
      const other = tab2.getByRole('region', { name: 'Open in another tab' });
      await other.waitFor();
      assert.equal((await formControlsDisabled(tab2)).disabled, (await formControlsDisabled(tab2)).count);

      await other.getByRole('button', { name: 'Edit here' }).click();
      await tab2.getByRole('button', { name: 'Done', exact: true }).waitFor();
      await a.page.getByRole('region', { name: 'Open in another tab' }).waitFor();

      // "Duplicate tab" copies sessionStorage, and with it tab2's sessionId.
      const sessionOf = (p) => p.evaluate(() => sessionStorage.getItem('slotlock.sessionId'));
      const tab2Session = await sessionOf(tab2);
      const dup = await a.context.newPage();
      await dup.addInitScript((sid) => {
        if (!sessionStorage.getItem('e2e.copied')) {
          sessionStorage.setItem('e2e.copied', '1');
          sessionStorage.setItem('slotlock.sessionId', sid);
        }
      }, tab2Session);
      await openAppointment(dup, server, id);
      await dup.getByRole('region', { name: 'Open in another tab' }).waitFor();
      assert.notEqual(await sessionOf(dup), tab2Session, 'the duplicate took a fresh sessionId');
      assert.equal(await sessionOf(tab2), tab2Session, 'the original kept its sessionId');
      assert.equal(await tab2.getByRole('button', { name: 'Done', exact: true }).count(), 1);
    }),
  );
});
