// Issue 13's waiting line that waits for you, in Chromium against the real server: Bob waits,
// goes back to the list, Alice finishes, and the offer finds Bob on the list page (toast, tab
// title), where he takes the lock; and an offer nobody answers passes to the next in line
// (a server with --offer-timeout 3). DOC_SHOTS=<dir> saves the offer toast as offer-toast.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAxeClean, settle } from './lib/axe.mjs';
import {
  api,
  appointmentIds,
  eventually,
  launchBrowser,
  lockBanner,
  login,
  openAppointment,
  people,
  startEditing,
  startServer,
  withBrowser,
} from './lib/harness.mjs';

const OFFER_TIMEOUT_S = 3;
let server;
let quick;
let browser;
let ids;

const shots = process.env.DOC_SHOTS ? path.resolve(process.env.DOC_SHOTS) : null;

async function auditOf(at, id) {
  const { token } = await login(at, people.carol);
  const res = await api(at, token, 'GET', `/appointments/${id}/audit`);
  return res.body.items.map((r) => `${r.action}:${r.actor?.name ?? 'system'}`).reverse();
}

/** Presses "Notify me when free" and waits for the place in line. */
async function waitInLine(page) {
  await page.getByRole('button', { name: 'Notify me when free' }).click();
  await page.getByRole('button', { name: 'Leave the line' }).waitFor();
}

/** Back to the list inside the app (no reload: the tab's feed socket stays open). */
async function backToList(page, at) {
  await page.getByRole('link', { name: 'Appointments' }).first().click();
  await page.waitForURL(`${at.url}/`);
}

describe('waiting for a turn (issue 13)', { timeout: 120_000 }, () => {
  before(async () => {
    [server, quick, browser] = await Promise.all([
      startServer(),
      startServer(['--offer-timeout', String(OFFER_TIMEOUT_S)]),
      launchBrowser(),
    ]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([server?.stop(), quick?.stop()]);
  });

  test(
    'Bob waits, goes back to the list; Alice finishes; the offer reaches Bob on the list and he takes the lock',
    withBrowser(
      () => browser,
      () => server,
      async (s) => {
        const id = ids[4];
        const alice = await s.signedIn(people.alice);
        const bob = await s.signedIn(people.bob);
        await openAppointment(alice.page, server, id);
        await startEditing(alice.page);
        await openAppointment(bob.page, server, id);
        await lockBanner(bob.page).waitFor();
        await waitInLine(bob.page);
        await backToList(bob.page, server);
        const listTitle = await bob.page.title();
        assert.doesNotMatch(listTitle, /Your turn/);

        await alice.page.getByRole('button', { name: 'Done', exact: true }).click();
        await alice.page.getByRole('button', { name: 'Edit', exact: true }).waitFor();

        const offer = bob.page.getByTestId('offer-toast');
        await offer.waitFor();
        const text = await offer.innerText();
        assert.match(text, /Your turn to edit/);
        assert.match(text, /\d:\d\d/, 'a countdown');
        await eventually(async () => /^\(Your turn\) /.test(await bob.page.title()), {
          message: 'the tab title says it is his turn',
        });
        assert.match(await bob.page.getByTestId('offer-announcer').innerText(), /It's your turn to edit/);
        // Alice, still on the page, sees who it is offered to; her Edit waits.
        const offered = alice.page.getByRole('region', { name: 'Offered to the next in line' });
        await offered.waitFor();
        assert.match(await offered.innerText(), /Bob Chen/);
        assert.equal(await alice.page.getByRole('button', { name: 'Edit', exact: true }).isDisabled(), true);
        await expectAxeClean(bob.page, 'list with an offer');
        await expectAxeClean(alice.page, 'offered to someone else');
        if (shots) {
          mkdirSync(shots, { recursive: true });
          await settle(bob.page);
          await bob.page.screenshot({ path: path.join(shots, 'offer-toast.png') });
        }

        await offer.getByRole('button', { name: 'Edit now' }).click();
        await bob.page.waitForURL(`${server.url}/appointments/${id}`);
        await bob.page.getByRole('button', { name: 'Done', exact: true }).waitFor();
        // As after Edit: ready to type in the first field.
        const title = bob.page.getByLabel('Title', { exact: true });
        await eventually(async () => title.evaluate((el) => el === document.activeElement), {
          message: 'focus in the first field',
        });
        await offer.waitFor({ state: 'detached' });
        await eventually(async () => !/Your turn/.test(await bob.page.title()), { message: 'the flag goes' });
        await lockBanner(alice.page).filter({ hasText: 'Bob Chen' }).waitFor();
        const audit = await auditOf(server, id);
        assert.deepEqual(audit.slice(-3), ['released:Alice Martin', 'offered:Bob Chen', 'granted:Bob Chen']);
        await bob.page.getByRole('button', { name: 'Done', exact: true }).click();
      },
    ),
  );

  test(
    'an offer nobody answers runs out and passes to the next in line; Pass leaves the lock free',
    withBrowser(
      () => browser,
      () => quick,
      async (s) => {
        const id = (await appointmentIds(quick))[5];
        const alice = await s.signedIn(people.alice, { at: quick });
        const bob = await s.signedIn(people.bob, { at: quick });
        const carol = await s.signedIn(people.carol, { at: quick });
        await openAppointment(alice.page, quick, id);
        await startEditing(alice.page);
        for (const who of [bob, carol]) {
          await openAppointment(who.page, quick, id);
          await lockBanner(who.page).waitFor();
          await waitInLine(who.page);
        }
        // Carol is an admin: she stands ahead of Bob.
        await backToList(bob.page, quick);
        await backToList(carol.page, quick);

        await alice.page.getByRole('button', { name: 'Done', exact: true }).click();
        const carolOffer = carol.page.getByTestId('offer-toast');
        await carolOffer.waitFor();
        const offeredAt = Date.now();
        assert.equal(await bob.page.getByTestId('offer-toast').count(), 0, 'Bob waits behind Carol');

        // Carol does not answer: her turn runs out and Bob is asked.
        await carolOffer.waitFor({ state: 'detached', timeout: (OFFER_TIMEOUT_S + 5) * 1000 });
        assert.ok(Date.now() - offeredAt >= (OFFER_TIMEOUT_S - 1) * 1000, 'not before the timeout');
        await carol.page.getByText('Your turn ran out; the next person in line is asked.').waitFor();
        const bobOffer = bob.page.getByTestId('offer-toast');
        await bobOffer.waitFor();
        await expectAxeClean(bob.page, 'list with an offer');

        // Bob passes: nobody is left, the lock is simply free.
        await bobOffer.getByRole('button', { name: 'Pass' }).click();
        await bob.page.getByText('You passed; the next person in line is asked.').waitFor();
        await bobOffer.waitFor({ state: 'detached' });
        await eventually(async () => (await auditOf(quick, id)).at(-1) === 'offer_declined:Bob Chen', {
          message: 'the pass is audited',
        });
        const audit = await auditOf(quick, id);
        assert.deepEqual(audit.slice(-5), [
          'released:Alice Martin',
          'offered:Carol Diaz',
          'offer_expired:Carol Diaz',
          'offered:Bob Chen',
          'offer_declined:Bob Chen',
        ]);
        await eventually(() => alice.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled(), {
          message: 'the lock is free for anyone',
        });
      },
    ),
  );
});
