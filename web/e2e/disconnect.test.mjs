// A holder whose browser dies (no pagehide, no keepalive request) loses the lock after
// --disconnect-grace, and not before.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  appointmentIds,
  eventually,
  launchBrowser,
  launchKillableBrowser,
  lockBanner,
  login,
  openAppointment,
  people,
  startEditing,
  startServer,
  withBrowser,
} from './lib/harness.mjs';

const GRACE_S = 2;
let server;
let browser;
let ids;

describe('a holder whose browser is killed', { timeout: 60_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([
      startServer(['--disconnect-grace', String(GRACE_S)]),
      launchBrowser(),
    ]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'is released after the disconnect grace, and B sees it free',
    withBrowser(
      () => browser,
      () => server,
      async (s) => {
        // Alice's browser is a process of its own, so it can be killed outright.
        const doomed = await launchKillableBrowser();
        try {
          const a = await s.signedIn(people.alice, { in: doomed.browser });
          await openAppointment(a.page, server, ids[0]);
          await startEditing(a.page);
          const b = await s.signedIn(people.bob);
          await openAppointment(b.page, server, ids[0]);
          await lockBanner(b.page).waitFor();

          doomed.kill();
          const killedAt = Date.now();
          await lockBanner(b.page).waitFor({ state: 'detached', timeout: (GRACE_S + 8) * 1000 });
          const took = Date.now() - killedAt;
          assert.ok(took >= GRACE_S * 1000 - 300, `held for the grace (${took} ms)`);
          await eventually(() => b.page.getByRole('button', { name: 'Edit', exact: true }).isEnabled());

          const { token } = await login(server, people.carol);
          const rows = (await api(server, token, 'GET', `/appointments/${ids[0]}/audit`)).body.items;
          assert.equal(`${rows[0].action}:${rows[0].reason}`, 'released:disconnect');
        } finally {
          await doomed.close();
        }
      },
    ),
  );
});
