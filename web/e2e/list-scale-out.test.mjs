// Two slotlock processes on one PostgreSQL database (issue 13): Bob's list is served by process B,
// the appointment is created through process A — in Alice's browser, with the form — and Bob's
// list shows it without a reload, then loses it when it is deleted through A.
// Needs SLOTLOCK_TEST_PG (server/test/with-postgres.sh sets it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { expectPageAxeClean } from './lib/axe.mjs';
import { api, launchBrowser, people, startServer, withBrowser } from './lib/harness.mjs';

const PG = process.env.SLOTLOCK_TEST_PG;
let a;
let b;
let browser;
let database;

function psql(sql) {
  execFileSync('psql', [PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe', timeout: 60_000 });
}

describe(
  'the list across two processes on one PostgreSQL',
  { skip: !PG && 'SLOTLOCK_TEST_PG is not set', timeout: 90_000 },
  () => {
    before(async () => {
      const name = `e2e_${randomBytes(6).toString('hex')}`;
      psql(`CREATE DATABASE ${name}`);
      const url = new URL(PG);
      url.pathname = `/${name}`;
      database = name;
      // One after the other: the first migrates and seeds the demo data.
      a = await startServer([], { db: url.toString() });
      [b, browser] = await Promise.all([startServer([], { db: url.toString() }), launchBrowser()]);
    });
    after(async () => {
      await browser?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      if (database) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });

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
