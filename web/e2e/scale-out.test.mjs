// Two slotlock processes on one PostgreSQL database (issue 8): Alice's browser talks to
// process A, Bob's to process B. Bob sees Alice's lock, her labelled pointer and her
// presence as if they shared a server; when A is killed, Bob sees the appointment free
// after A's silence and the disconnect grace. Needs SLOTLOCK_TEST_PG (make test sets it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  appointmentIds,
  eventually,
  formControlsDisabled,
  lockBanner,
  openAppointment,
  people,
  startEditing,
  startPair,
  TEST_PG,
  withBrowser,
} from './lib/harness.mjs';

const GRACE_S = 2;
let a;
let b;
let browser;
let ids;
let pair;

describe(
  'two processes on one PostgreSQL',
  { skip: !TEST_PG && 'SLOTLOCK_TEST_PG is not set', timeout: 90_000 },
  () => {
    before(async () => {
      pair = await startPair(['--disconnect-grace', String(GRACE_S)]);
      ({ a, b, browser } = pair);
      ids = await appointmentIds(a);
    });
    after(() => pair?.stop());

    test(
      "B sees A's editor, pointer and presence across processes, and the lock freed when A's process dies",
      withBrowser(
        () => browser,
        () => a,
        async (s) => {
          const alice = await s.signedIn(people.alice, { at: a });
          const bob = await s.signedIn(people.bob, { at: b });
          await openAppointment(alice.page, a, ids[3]);
          await startEditing(alice.page);
          await openAppointment(bob.page, b, ids[3]);

          await lockBanner(bob.page).filter({ hasText: people.alice.name }).waitFor();
          const controls = await formControlsDisabled(bob.page);
          assert.ok(
            controls.count > 0 && controls.disabled === controls.count,
            'every input is disabled on B',
          );
          await bob.page.getByText('2 viewing').waitFor();

          const form = await alice.page.locator('form[aria-label="Appointment"]').boundingBox();
          await alice.page.mouse.move(form.x + 5, form.y + 5);
          await alice.page.mouse.move(form.x + form.width * 0.5, form.y + form.height * 0.4, { steps: 10 });
          const tag = bob.page.getByTestId('live-cursor-tag').filter({ hasText: people.alice.name });
          await tag.waitFor({ state: 'visible' });
          assert.match(await tag.innerText(), /editing/);

          await a.kill();
          const killedAt = Date.now();
          // 5 s of silence before B gives A up, then the grace.
          await lockBanner(bob.page).waitFor({ state: 'detached', timeout: (GRACE_S + 15) * 1000 });
          assert.ok(Date.now() - killedAt >= GRACE_S * 1000, 'not before the grace');
          await eventually(() => bob.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled());
          await bob.page.getByText('Only you').waitFor();
          await startEditing(bob.page);
        },
      ),
    );
  },
);
