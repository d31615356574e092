// Issue 13 on the appointment page, in Debian's Chromium against the real server: deleting
// while someone watches, the History panel after two people's saves, watching someone type
// (and Cancel editing bringing the saved values back), and an admin's Force release.
// DOC_SHOTS=<dir> saves pictures of the new states (web/docs/*.png come from here).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAxeClean, expectPageAxeClean, settle } from './lib/axe.mjs';
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

const shots = process.env.DOC_SHOTS ? path.resolve(process.env.DOC_SHOTS) : null;
/** A picture of a new state for the docs (only with DOC_SHOTS). */
async function docShot(page, name, locator = null) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await settle(page);
  if (locator) await locator.screenshot({ path: path.join(shots, `${name}.png`) });
  else await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** What has focus: its tag and text (or its label's). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return {
      tag: el?.tagName ?? null,
      text: (label ?? el?.textContent ?? '').trim(),
      inDialog: !!el?.closest('dialog[open]'),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `want(focused)` holds. */
async function tabTo(page, want, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (want(f)) return f;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`);
}

const button = (text) => (f) => f.tag === 'BUTTON' && f.text === text;
const waitForFocus = (page, want, message) =>
  eventually(async () => want(await focused(page)), { timeout: 5_000, message });

async function titleOf(id) {
  const { token } = await login(server, people.carol);
  return (await api(server, token, 'GET', `/appointments/${id}`)).body.title;
}

describe('the appointment page (issue 13)', { timeout: 180_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'Alice deletes (keyboard only, through the dialog) while Bob watches: Bob is told plainly, and the address says it was deleted',
    run(async (s) => {
      const id = ids[0];
      const title = await titleOf(id);
      const alice = await s.signedIn(people.alice);
      const bob = await s.signedIn(people.bob);
      await openAppointment(alice.page, server, id);
      await startEditing(alice.page);
      await openAppointment(bob.page, server, id);
      await lockBanner(bob.page).waitFor();

      // From the first field (focused by Edit), Tab to Delete; Enter opens the dialog.
      await waitForFocus(alice.page, (f) => f.text === 'Title', 'the first field has focus after Edit');
      await tabTo(alice.page, button('Delete'));
      await alice.page.keyboard.press('Enter');
      const dialog = alice.page.getByRole('alertdialog', { name: 'Delete this appointment?' });
      await dialog.waitFor();
      assert.match(await dialog.innerText(), new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await waitForFocus(alice.page, (f) => f.inDialog && f.text === 'Cancel', 'focus starts on Cancel');
      await expectAxeClean(alice.page, 'delete dialog');
      await docShot(alice.page, 'delete-dialog');
      // Escape closes it, focus back on Delete; nothing deleted.
      await alice.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await waitForFocus(alice.page, button('Delete'), 'focus returns to Delete');
      // Tab stays inside the open dialog (modal), then Delete appointment.
      await alice.page.keyboard.press('Enter');
      await dialog.waitFor();
      await tabTo(alice.page, (f) => f.inDialog && f.text === 'Delete appointment', { max: 4 });
      await alice.page.keyboard.press('Enter');

      // Alice is back on the list with a toast; the appointment is gone from it.
      await alice.page.waitForURL(`${server.url}/`);
      await alice.page.getByText(`“${title}” was deleted.`).waitFor();
      await eventually(
        async () => (await alice.page.locator(`a[href="/appointments/${id}"]`).count()) === 0,
        {
          message: 'the deleted appointment leaves the list',
        },
      );

      // Bob, who was watching, is told who deleted it: the form is gone, a link leads back.
      const notice = bob.page.getByTestId('deleted-notice');
      await notice.waitFor();
      assert.match(await notice.innerText(), /Alice Martin deleted this appointment\./);
      assert.equal(await bob.page.locator('form[aria-label="Appointment"]').count(), 0, 'no form any more');
      await notice.getByRole('link', { name: 'Back to appointments' }).waitFor();
      assert.match(await bob.page.getByTestId('lock-announcer').innerText(), /Alice Martin deleted/);
      await expectAxeClean(bob.page, 'deleted while watching');
      await docShot(bob.page, 'deleted-page');

      // Opening its address afterwards says it was deleted; its history is still readable.
      await bob.page.goto(`${server.url}/appointments/${id}`);
      await bob.page.getByRole('heading', { name: 'Appointment deleted' }).waitFor();
      await bob.page.getByText('This appointment was deleted.').waitFor();
      await bob.page.getByRole('region', { name: 'History' }).waitFor();
      await expectAxeClean(bob.page, 'deleted address');

      const { token } = await login(server, people.carol);
      const audit = await api(server, token, 'GET', `/appointments/${id}/audit`);
      assert.equal(audit.body.items[0].action, 'deleted');
    }),
  );

  test(
    'History after two saves by two people: newest first, who, and field by field from → to',
    run(async (s) => {
      const id = ids[1];
      const alice = await s.signedIn(people.alice);
      await openAppointment(alice.page, server, id);
      const before = await alice.page.getByLabel('Location').inputValue();
      await startEditing(alice.page);
      await alice.page.getByLabel('Location').fill('Room 12 (Alice)');
      await alice.page.getByRole('button', { name: 'Done', exact: true }).click();
      await alice.page.getByRole('button', { name: 'Edit', exact: true }).waitFor();

      const bob = await s.signedIn(people.bob);
      await openAppointment(bob.page, server, id);
      await startEditing(bob.page);
      await bob.page.getByLabel('Status').selectOption('confirmed');
      await bob.page.getByRole('button', { name: 'Save', exact: true }).click();
      await bob.page.getByText('Saved.', { exact: true }).waitFor();

      for (const page of [bob.page, alice.page]) {
        const panel = page.getByRole('region', { name: 'History' });
        const entries = panel.getByTestId('history-entry');
        // Alice's page refreshes on Bob's save (appointment.updated).
        await eventually(async () => /Bob Chen/.test((await entries.first().innerText()) ?? ''), {
          message: 'the newest entry is Bob’s save',
        });
        const [newest, previous] = [await entries.nth(0).innerText(), await entries.nth(1).innerText()];
        assert.match(newest, /saved by Bob Chen/);
        assert.match(newest.replace(/\s+/g, ' '), /Status\s*Scheduled\s*→\s*changed to\s*Confirmed/);
        assert.match(previous, /saved by Alice Martin/);
        assert.match(
          previous.replace(/\s+/g, ' '),
          new RegExp(
            `Location\\s*${before.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*→\\s*changed to\\s*Room 12`,
          ),
        );
        assert.match(previous, /Room 12 \(Alice\)/);
        assert.doesNotMatch(newest + previous, /\d{4}-\d\d-\d\dT/, 'no raw ISO times');
        assert.match(await panel.innerText(), /Times in UTC/);
      }
      await expectPageAxeClean(bob.page);
      await expectAxeClean(alice.page, 'history panel (viewer)');
      await docShot(alice.page, 'history-panel', alice.page.getByRole('region', { name: 'History' }));
      await bob.page.getByRole('button', { name: 'Done', exact: true }).click();
    }),
  );

  test(
    "Bob watches Alice type (values, 'Not saved yet', 'Alice is typing…'); Cancel editing, keyboard only, brings the saved values back",
    run(async (s) => {
      const id = ids[2];
      const alice = await s.signedIn(people.alice);
      const bob = await s.signedIn(people.bob);
      await openAppointment(alice.page, server, id);
      const saved = await alice.page.getByLabel('Title').inputValue();
      await startEditing(alice.page);
      await openAppointment(bob.page, server, id);
      await lockBanner(bob.page).waitFor();

      const typed = `${saved} — and a cleaning`;
      await alice.page.getByLabel('Title').fill(typed);
      await alice.page.getByLabel('Notes').fill('Bring the X-rays');

      const bobTitle = bob.page.getByLabel('Title');
      await eventually(async () => (await bobTitle.inputValue()) === typed, {
        message: "Bob sees Alice's title",
      });
      await eventually(async () => (await bob.page.getByLabel('Notes').inputValue()) === 'Bring the X-rays', {
        message: "Bob sees Alice's notes",
      });
      const controls = await formControlsDisabled(bob.page);
      assert.equal(controls.disabled, controls.count, 'still every control disabled');
      assert.equal(await bob.page.getByTestId('unsaved-mark').count(), 2, 'two fields marked');
      assert.equal(await bobTitle.getAttribute('aria-describedby').then(Boolean), true);
      const description = await bobTitle.evaluate((el) =>
        el
          .getAttribute('aria-describedby')
          .split(' ')
          .map((i) => document.getElementById(i)?.textContent)
          .join(' '),
      );
      assert.match(description, /Not saved yet/);
      const status = bob.page.getByTestId('typing-status');
      assert.match(await status.innerText(), /Alice Martin is typing…/);
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      await expectAxeClean(bob.page, 'watching someone type');
      await docShot(bob.page, 'editor-typing');

      // Alice cancels with the keyboard: from Notes, Tab to Cancel editing, Enter, confirm.
      await alice.page.getByLabel('Notes').focus();
      await tabTo(alice.page, button('Cancel editing'));
      await alice.page.keyboard.press('Enter');
      const dialog = alice.page.getByRole('alertdialog', { name: 'Discard your changes?' });
      await dialog.waitFor();
      await waitForFocus(alice.page, (f) => f.inDialog && f.text === 'Keep editing', 'focus on Keep editing');
      await expectAxeClean(alice.page, 'cancel-editing dialog');
      await tabTo(alice.page, (f) => f.inDialog && f.text === 'Discard and stop editing', { max: 4 });
      await alice.page.keyboard.press('Enter');
      await waitForFocus(alice.page, button('Edit'), 'focus back on Edit');
      assert.equal(await alice.page.getByLabel('Title').inputValue(), saved);

      await eventually(async () => (await bobTitle.inputValue()) === saved, {
        message: 'Bob sees the saved title again',
      });
      assert.equal(await bob.page.getByTestId('unsaved-mark').count(), 0);
      assert.equal((await status.innerText()).trim(), '');
      await lockBanner(bob.page).waitFor({ state: 'detached' });
    }),
  );

  test(
    'Carol (admin) force-releases Alice’s lock after a dialog naming her; Alice is told, Bob may edit',
    run(async (s) => {
      const id = ids[3];
      const alice = await s.signedIn(people.alice);
      const carol = await s.signedIn(people.carol);
      await openAppointment(alice.page, server, id);
      await startEditing(alice.page);
      await openAppointment(carol.page, server, id);
      await lockBanner(carol.page).waitFor();
      const force = carol.page.getByRole('button', { name: 'Force release', exact: true });
      await force.click();
      const dialog = carol.page.getByRole('alertdialog', { name: 'Force release the lock?' });
      await dialog.waitFor();
      const text = await dialog.innerText();
      assert.match(text, /Alice Martin/);
      assert.match(text, /alice@example\.com/);
      await expectPageAxeClean(carol.page);
      await dialog.getByRole('button', { name: 'Force release' }).click();
      await carol.page.getByText("Alice Martin's lock was released.").waitFor();
      await lockBanner(carol.page).waitFor({ state: 'detached' });
      await eventually(() => carol.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled());

      await alice.page
        .getByText('Carol Diaz released your editing lock.')
        .or(alice.page.getByText('An admin released your editing lock.'))
        .waitFor();
      await alice.page.getByRole('button', { name: 'Edit', exact: true }).waitFor();

      const { token } = await login(server, people.carol);
      const audit = await api(server, token, 'GET', `/appointments/${id}/audit`);
      assert.equal(`${audit.body.items[0].action}:${audit.body.items[0].reason}`, 'force_released:force');
    }),
  );
});
