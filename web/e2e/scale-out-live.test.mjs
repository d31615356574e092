// Issue 13 across two slotlock processes on one PostgreSQL database: Bob, on process B, sees
// what Alice types on process A; and an offer of a freed lock reaches a waiter whose tab is on
// the other process. Needs SLOTLOCK_TEST_PG (server/test/with-postgres.sh sets it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAxeClean } from './lib/axe.mjs';
import {
  appointmentIds,
  eventually,
  lockBanner,
  openAppointment,
  people,
  startEditing,
  startPair,
  TEST_PG,
  withBrowser,
} from './lib/harness.mjs';

let a;
let b;
let browser;
let ids;
let pair;

describe(
  'issue 13 across two processes on one PostgreSQL',
  { skip: !TEST_PG && 'SLOTLOCK_TEST_PG is not set', timeout: 120_000 },
  () => {
    before(async () => {
      pair = await startPair();
      ({ a, b, browser } = pair);
      ids = await appointmentIds(a);
    });
    after(() => pair?.stop());

    test(
      'Bob on B sees Alice type on A, marked as not saved, and the saved values after she cancels',
      withBrowser(
        () => browser,
        () => a,
        async (s) => {
          const alice = await s.signedIn(people.alice, { at: a });
          const bob = await s.signedIn(people.bob, { at: b });
          await openAppointment(alice.page, a, ids[2]);
          const saved = await alice.page.getByLabel('Location').inputValue();
          await startEditing(alice.page);
          await openAppointment(bob.page, b, ids[2]);
          await lockBanner(bob.page).filter({ hasText: people.alice.name }).waitFor();

          await alice.page.getByLabel('Location').fill('Room 21 (typed on A)');
          const location = bob.page.getByLabel('Location');
          await eventually(async () => (await location.inputValue()) === 'Room 21 (typed on A)', {
            message: "B shows A's typing",
          });
          assert.equal(await bob.page.getByTestId('unsaved-mark').count(), 1);
          assert.match(await bob.page.getByTestId('typing-status').innerText(), /Alice Martin is typing…/);
          await expectAxeClean(bob.page, 'watching someone type (other process)');

          await alice.page.getByRole('button', { name: 'Cancel editing' }).click();
          await alice.page
            .getByRole('alertdialog')
            .getByRole('button', { name: 'Discard and stop editing' })
            .click();
          await eventually(async () => (await location.inputValue()) === saved, {
            message: 'B shows the saved value again',
          });
          assert.equal(await bob.page.getByTestId('unsaved-mark').count(), 0);
        },
      ),
    );

    test(
      'Bob waits through B and goes to the list; Alice on A finishes; the offer reaches Bob on B',
      withBrowser(
        () => browser,
        () => a,
        async (s) => {
          const id = ids[6];
          const alice = await s.signedIn(people.alice, { at: a });
          const bob = await s.signedIn(people.bob, { at: b });
          await openAppointment(alice.page, a, id);
          await startEditing(alice.page);
          await openAppointment(bob.page, b, id);
          await lockBanner(bob.page).waitFor();
          await bob.page.getByRole('button', { name: 'Notify me when free' }).click();
          await bob.page.getByRole('button', { name: 'Leave the line' }).waitFor();
          await bob.page.getByRole('link', { name: 'Appointments' }).first().click();
          await bob.page.waitForURL(`${b.url}/`);

          await alice.page.getByRole('button', { name: 'Done', exact: true }).click();
          const offer = bob.page.getByTestId('offer-toast');
          await offer.waitFor();
          await offer.getByRole('button', { name: 'Edit now' }).click();
          await bob.page.waitForURL(`${b.url}/appointments/${id}`);
          await bob.page.getByRole('button', { name: 'Done', exact: true }).waitFor();
          await lockBanner(alice.page).filter({ hasText: people.bob.name }).waitFor();
        },
      ),
    );
  },
);
