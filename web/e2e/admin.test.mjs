// Admin control in the browser: request control (pending, deadline, the holder's answer),
// take over behind a confirmation naming the holder, and the audit page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  appointmentIds,
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

describe('admin control', { timeout: 120_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(['--control-grace', '3']), launchBrowser()]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'carol asks for control, alice keeps working (declined), carol takes over; alice sees who and keeps her draft',
    run(async (s) => {
      const id = ids[0];
      const a = await s.signedIn(people.alice);
      await openAppointment(a.page, server, id);
      await startEditing(a.page);
      const typed = 'Alice was in the middle of this';
      await a.page.getByLabel('Notes').fill(typed);

      const c = await s.signedIn(people.carol);
      const b = await s.signedIn(people.bob, { viewport: { width: 1024, height: 800 } });
      await openAppointment(c.page, server, id);
      await openAppointment(b.page, server, id);
      await lockBanner(c.page).waitFor();

      await c.page.getByRole('button', { name: 'Request control' }).click();
      const pending = c.page.getByText(
        /You asked for control · waiting for Alice Martin's answer · \d+:\d\d/,
      );
      await pending.waitFor();
      assert.equal(await c.page.getByRole('button', { name: 'Control requested' }).isDisabled(), true);

      const asked = a.page.getByRole('region', { name: 'Request to take over' });
      await asked.waitFor();
      assert.match(await asked.innerText(), /Carol Diaz/);
      await asked.getByRole('button', { name: 'Keep editing' }).click();

      // At the deadline the server tells carol that alice kept control.
      await c.page
        .getByText('Alice Martin kept working, so they keep control.')
        .first()
        .waitFor({ timeout: 10_000 });
      await pending.waitFor({ state: 'detached' });
      assert.equal(await a.page.getByRole('button', { name: 'Done', exact: true }).count(), 1);

      // Take over: nothing happens before carol confirms in a dialog that names alice.
      await c.page.getByRole('button', { name: 'Take over' }).click();
      const dialog = c.page.getByRole('alertdialog');
      await dialog.waitFor();
      const says = await dialog.innerText();
      assert.match(says, /Alice Martin/);
      assert.match(says, /alice@example\.com/);
      assert.equal(await a.page.getByRole('button', { name: 'Done', exact: true }).count(), 1, 'still alice');
      await dialog.getByRole('button', { name: 'Take over' }).click();
      await c.page.getByRole('button', { name: 'Done', exact: true }).waitFor();

      await a.page.getByText('Carol Diaz took over editing from you').waitFor();
      const recovery = a.page.getByTestId('draft-recovery');
      await recovery.waitFor();
      await recovery.getByText('Show my changes').click();
      await recovery.getByText(typed).waitFor();
      // Bob, watching, now sees carol as the editor.
      await lockBanner(b.page).filter({ hasText: 'Carol Diaz' }).waitFor();
    }),
  );

  test(
    'the holder hands over: carol is told alice handed over and is editing',
    run(async (s) => {
      const id = ids[1];
      const a = await s.signedIn(people.alice);
      await openAppointment(a.page, server, id);
      await startEditing(a.page);
      const c = await s.signedIn(people.carol);
      await openAppointment(c.page, server, id);
      await c.page.getByRole('button', { name: 'Request control' }).click();
      const asked = a.page.getByRole('region', { name: 'Request to take over' });
      await asked.getByRole('button', { name: 'Save and hand over' }).click();
      await c.page.getByRole('button', { name: 'Done', exact: true }).waitFor();
      await c.page
        .getByTestId('control-answer')
        .filter({ hasText: 'Alice Martin handed over to you.' })
        .waitFor();
      await lockBanner(a.page).filter({ hasText: 'Carol Diaz' }).waitFor();
    }),
  );

  test(
    'the audit page: admins only, filters, and Load more',
    run(async (s) => {
      // Enough rows for a second page (50 a page).
      const id = ids[5];
      for (const who of [people.alice, people.bob]) {
        const { token } = await login(server, who);
        for (let i = 0; i < 14; i++) {
          const got = await api(server, token, 'POST', `/appointments/${id}/acquire-lock`, {
            sessionId: 'e2e-api',
          });
          assert.equal(got.status, 200, JSON.stringify(got.body));
          await api(server, token, 'DELETE', `/appointments/${id}/release-lock`);
        }
      }

      const b = await s.signedIn(people.bob);
      await b.page.goto(`${server.url}/`);
      await b.page.getByRole('heading', { name: 'Appointments' }).waitFor();
      assert.equal(await b.page.getByRole('link', { name: 'Audit' }).count(), 0, 'no Audit link for users');
      await b.page.goto(`${server.url}/audit`);
      await b.page.getByText('Only admins can see the audit log.').waitFor();

      const c = await s.signedIn(people.carol);
      await c.page.goto(`${server.url}/`);
      await c.page.getByRole('link', { name: 'Audit' }).click();
      await c.page.getByRole('heading', { name: 'Audit log' }).waitFor();
      const rows = c.page.getByTestId('audit-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 50);
      await c.page.getByRole('button', { name: 'Load more' }).click();
      await c.page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length > 50);

      // The takeover from the first test, found by its action.
      await c.page.getByLabel('Action').selectOption('taken_over');
      await c.page.waitForURL(/action=taken_over/);
      await rows.first().filter({ hasText: 'Taken over' }).waitFor();
      const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
      assert.match(row, /Carol Diaz/);
      assert.match(row, /Alice Martin/);
      assert.match(row, /admin took over/);
      for (const text of await rows.allInnerTexts()) assert.match(text, /Taken over/);

      // Actor and appointment filters combine.
      await c.page.getByLabel('Action').selectOption('');
      await c.page.getByLabel('Actor').selectOption({ label: 'Bob Chen (bob@example.com)' });
      await c.page.getByLabel('Appointment').selectOption(id);
      await c.page.waitForURL(/actorId=.*appointmentId=|appointmentId=.*actorId=/);
      await c.page.waitForFunction(
        () => document.querySelectorAll('[data-testid="audit-row"]').length === 28,
        null,
        { timeout: 10_000 },
      );
      for (const text of await rows.allInnerTexts()) assert.match(text, /Bob Chen/);
      // The title links to the appointment.
      await rows.first().getByRole('link').click();
      await c.page.waitForURL(new RegExp(`/appointments/${id}$`));
    }),
  );
});
