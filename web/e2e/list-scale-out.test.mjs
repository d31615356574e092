// Two slotlock processes on one PostgreSQL database (issue 13): Bob's list is served by process B,
// the appointment is created through process A — in Alice's browser, with the form — and Bob's
// list shows it without a reload, then loses it when it is deleted through A.
// Needs SLOTLOCK_TEST_PG (server/test/with-postgres.sh sets it).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { expectPageAxeClean } from './lib/axe.mjs';
import { api, people, startPair, TEST_PG, withBrowser } from './lib/harness.mjs';

let a;
let b;
let browser;
let pair;

describe(
  'the list across two processes on one PostgreSQL',
  { skip: !TEST_PG && 'SLOTLOCK_TEST_PG is not set', timeout: 90_000 },
  () => {
    before(async () => {
      pair = await startPair();
      ({ a, b, browser } = pair);
    });
    after(() => pair?.stop());

    test(
      'created on process A, it appears in a list served by process B without a reload; deleted on A, it goes',
      withBrowser(
        () => browser,
        () => a,
        async (s) => {
          const bob = await s.signedIn(people.bob, { at: b });
          await bob.page.goto(`${b.url}/`);
          const rows = bob.page.getByTestId('appointment-row');
          await rows.first().waitFor();
          await bob.page.evaluate(() => (window.__sameDocument = true));

          const alice = await s.signedIn(people.alice, { at: a });
          await alice.page.goto(`${a.url}/appointments/new`);
          const title = `Across processes ${randomBytes(3).toString('hex')}`;
          await alice.page.getByLabel('Title').fill(title);
          await alice.page.getByLabel('Client name').fill('Lin Wei');
          await alice.page.getByLabel('Client e-mail').fill('lin@example.org');
          await alice.page.getByRole('button', { name: 'Create appointment' }).click();
          await alice.page.waitForURL(/\/appointments\/(?!new)[^/]+$/);
          const id = decodeURIComponent(new URL(alice.page.url()).pathname.split('/').pop());

          await rows.filter({ hasText: title }).waitFor();
          assert.equal(
            await bob.page.evaluate(() => window.__sameDocument),
            true,
            'B’s page was not reloaded',
          );
          await expectPageAxeClean(bob.page);

          const lock = await api(a, alice.token, 'POST', `/appointments/${id}/acquire-lock`, {
            sessionId: 'e2e-scale-out-deleter',
          });
          assert.equal(lock.status, 200);
          const gone = await api(a, alice.token, 'DELETE', `/appointments/${id}`, undefined, {
            'X-Lock-Token': String(lock.body.lock.fencingToken),
          });
          assert.equal(gone.status, 204);
          await rows.filter({ hasText: title }).waitFor({ state: 'detached' });
          assert.equal(await bob.page.evaluate(() => window.__sameDocument), true);
        },
      ),
    );
  },
);
