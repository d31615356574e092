// Issue 12's lock-theft chain, with the holder in Chromium and the attacker over raw sockets:
// Bob floods Alice's room, adds sockets whose sessionId is not UTF-8 (%FF%FE) or forges log
// lines (%0A), and waits out the disconnect grace. Alice must keep the lock, her socket, and
// her page as it was. Then: a session that ends (Sign out elsewhere, or disabled by an admin)
// takes every tab of it to sign-in, saying so, with no draft left behind.
//
// Against a server without the fixes of issue 12 this file fails, listing every link of the
// chain that still holds (see `findings`).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  api,
  appointmentIds,
  eventually,
  launchBrowser,
  login,
  openAppointment,
  people,
  startEditing,
  startServer,
  withBrowser,
} from './lib/harness.mjs';
import { openRawSocket } from './lib/raw-socket.mjs';

const GRACE_S = 2;
/** PRODUCT.md §2 "Limits at the edge". */
const ROOM_CAP = 200;
const PER_USER_PER_ROOM = 8;
const CLOSE_TOO_MANY_SOCKETS = 4008;
const SESSION_ENDED = 'Your session has ended. Sign in again.';

let server;
let browser;
let ids;
const run = (fn) =>
  withBrowser(
    () => browser,
    () => server,
    fn,
  );

/**
 * What the page's own WebSockets do, seen from the browser: one record per socket with
 * whether its snapshot came and whether it closed. Call before the page navigates.
 */
function watchSockets(page) {
  const sockets = [];
  page.on('websocket', (ws) => {
    const rec = { url: ws.url(), snapshot: false, closed: false };
    sockets.push(rec);
    ws.on('framereceived', ({ payload }) => {
      if (rec.snapshot) return;
      try {
        rec.snapshot = JSON.parse(String(payload)).type === 'snapshot';
      } catch {
        // not JSON: not the snapshot
      }
    });
    ws.on('close', () => (rec.closed = true));
  });
  return {
    all: sockets,
    room: (id) => sockets.filter((r) => new URL(r.url).pathname === `/api/appointments/${id}/updates`),
  };
}

/** Every text the connection indicator showed, recorded in the page from its first paint. */
async function recordConnectionIndicator(context) {
  await context.addInitScript(() => {
    const seen = (window.__connectionSeen = []);
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="connection-indicator"]')?.textContent ?? null;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

function describeLock(lock) {
  return lock ? `${lock.userInfo?.name} (tab ${lock.sessionId}, token ${lock.fencingToken})` : 'no lock';
}

describe('the edge, from a browser', { timeout: 240_000 }, () => {
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
    "an ordinary user flooding the editor's room with sockets and bad session ids cannot take her lock",
    run(async (s) => {
      const id = ids[0];
      const a = await s.signedIn(people.alice);
      await recordConnectionIndicator(a.context);
      const aliceSockets = watchSockets(a.page);
      await openAppointment(a.page, server, id);
      await startEditing(a.page);
      await eventually(() => aliceSockets.room(id)[0]?.snapshot, { message: "Alice's room socket is live" });
      const held = (await api(server, a.token, 'GET', `/appointments/${id}/lock-status`)).body.lock;
      assert.equal(held?.userId, a.user.id, 'Alice holds the lock before the attack');

      // ---- Bob, over raw sockets ----
      const bob = await login(server, people.bob);
      const updates = `/api/appointments/${encodeURIComponent(id)}/updates`;
      const ticket = async () => {
        const r = await api(server, bob.token, 'POST', '/ws-tickets');
        assert.equal(r.status, 200, `a ticket for Bob: ${JSON.stringify(r.body)}`);
        return encodeURIComponent(r.body.ticket);
      };
      /**
       * One socket: `open` (left open by the server: its snapshot came, or an error frame but no
       * close) or refused (an HTTP status, or an error frame and a close). `said` describes it.
       */
      const attempt = async (rawSessionId) => {
        const got = await openRawSocket(
          server.url,
          `${updates}?ticket=${await ticket()}&sessionId=${rawSessionId}`,
        );
        if (got.status !== 101) return { status: got.status, said: `HTTP ${got.status}` };
        const first = await got.next((m) => m?.type === 'snapshot' || m?.type === 'error');
        if (first?.type === 'snapshot') return { status: 101, socket: got, said: 'admitted' };
        const closed = await got.closed(2_000);
        const said = `upgraded, error ${first?.code ?? '(none)'}, `;
        if (!closed) return { status: 101, socket: got, error: first?.code, said: `${said}left open` };
        return {
          status: 101,
          error: first?.code,
          close: closed,
          said: `${said}close ${closed.code} ${closed.reason}`,
        };
      };
      const bobSockets = [];
      /** Opens sockets until one is refused (returned) or `upTo` are open (null). */
      const fill = async (upTo) => {
        while (bobSockets.length < upTo) {
          const r = await attempt(`bob-flood-${bobSockets.length + 1}`);
          if (!r.socket) return r;
          bobSockets.push(r.socket);
        }
        return null;
      };

      const findings = [];
      // As reported: fill the room to one short of full (with Alice), then the bad ids, then the rest.
      const firstRefusal = await fill(ROOM_CAP - 2);
      const admittedBefore = bobSockets.length;
      const notUtf8 = await attempt('%FF%FE');
      const newline = await attempt('bob%0Aforged%20log%20line');
      if (notUtf8.socket) bobSockets.push(notUtf8.socket);
      if (newline.socket) bobSockets.push(newline.socket);
      const laterRefusal = await fill(ROOM_CAP + 10);

      if (
        admittedBefore !== PER_USER_PER_ROOM ||
        firstRefusal?.close?.code !== CLOSE_TOO_MANY_SOCKETS ||
        firstRefusal?.error !== 'TOO_MANY_SOCKETS'
      )
        findings.push(
          `Bob had ${admittedBefore} sockets in the room before a refusal (${firstRefusal?.said ?? 'none'}); ` +
            `expected ${PER_USER_PER_ROOM}, then error TOO_MANY_SOCKETS and close ${CLOSE_TOO_MANY_SOCKETS}`,
        );
      if (notUtf8.status !== 400) findings.push(`sessionId=%FF%FE was not refused with 400: ${notUtf8.said}`);
      if (newline.status !== 400)
        findings.push(`a sessionId with %0A was not refused with 400: ${newline.said}`);
      if (laterRefusal?.close?.code !== CLOSE_TOO_MANY_SOCKETS)
        findings.push(
          `after the bad ids Bob had ${bobSockets.length} sockets open, then: ${laterRefusal?.said ?? 'no refusal'}`,
        );

      // Past the grace. Nothing happens at its end when all is well, so the wait is the grace
      // plus a margin, cut short by what theft would look like: a release pushed to the room.
      const lossTypes = new Set(['lock.released', 'lock.expired', 'lock.taken_over']);
      const waitMs = GRACE_S * 1000 + 3_000;
      const lost = await Promise.any([
        ...bobSockets.map((sock) =>
          sock
            .next((m) => lossTypes.has(m?.type), waitMs)
            .then((m) => m ?? Promise.reject(new Error('closed'))),
        ),
        new Promise((resolve) => setTimeout(resolve, waitMs, null)),
      ]);
      if (lost)
        findings.push(
          `the room was told ${lost.type} (${lost.reason ?? ''}) for ${lost.previousHolder?.name ?? '?'}`,
        );
      const poisoned = bobSockets.filter((sock) => sock.invalidUtf8 > 0).length;
      if (poisoned) findings.push(`${poisoned} sockets in the room received frames that are not UTF-8`);

      const now = (await api(server, a.token, 'GET', `/appointments/${id}/lock-status`)).body.lock;
      if (
        now?.userId !== held.userId ||
        now?.sessionId !== held.sessionId ||
        now?.fencingToken !== held.fencingToken
      )
        findings.push(`lock-status names ${describeLock(now)}, not ${describeLock(held)}`);
      const grab = await api(server, bob.token, 'POST', `/appointments/${id}/acquire-lock`, {
        sessionId: 'bob-thief',
      });
      if (grab.status !== 409 || grab.body?.error?.code !== 'LOCK_HELD')
        findings.push(
          `Bob's acquire-lock answered ${grab.status} ${grab.body?.error?.code ?? describeLock(grab.body?.lock)}`,
        );
      const { token: carolToken } = await login(server, people.carol);
      const audit = (await api(server, carolToken, 'GET', `/appointments/${id}/audit`)).body.items;
      const dropped = audit.filter((r) => r.action === 'released' && r.reason === 'disconnect');
      if (dropped.length)
        findings.push(
          `the audit has ${audit.map((r) => `${r.action}/${r.reason ?? '-'}/${r.actor?.name ?? r.actor}`).join(', ')}`,
        );

      const room = aliceSockets.room(id);
      if (room.length !== 1 || room[0].closed)
        findings.push(
          `Alice's browser opened ${room.length} socket(s) to the room; ` +
            `${room.filter((r) => r.closed).length} of them closed`,
        );
      const shown = (await a.page.evaluate(() => window.__connectionSeen)).filter((t) => t !== 'Connecting…');
      if (shown.length) findings.push(`Alice's page showed: ${shown.join(' → ')}`);

      // Alice is still the editor: she types and saves with her token.
      const done = a.page.getByRole('button', { name: 'Done', exact: true });
      if ((await done.count()) === 0) findings.push("Alice's page no longer shows her as the editor");
      else {
        await a.page.getByLabel('Notes').fill('Still Alice, after the flood');
        const save = a.page.getByRole('button', { name: 'Save', exact: true });
        if (!(await save.isEnabled())) findings.push("Alice's Save is disabled after she typed");
        else {
          await save.click();
          const saved = await a.page
            .getByText('Saved.', { exact: true })
            .first()
            .waitFor({ timeout: 5_000 })
            .then(() => true)
            .catch(() => false);
          if (!saved) findings.push("Alice's save did not go through");
        }
      }

      for (const sock of bobSockets) sock.close();
      assert.equal(
        findings.length,
        0,
        `The lock-theft chain of issue 12 still holds:\n  - ${findings.join('\n  - ')}`,
      );
    }),
  );

  test(
    "Sign out in one tab takes the session's other tabs to sign-in, saying the session ended",
    run(async (s) => {
      const id = ids[2];
      // Two browser contexts on one session: they share the token but not localStorage, so
      // only the server closing the other tab's socket (4001) can tell it.
      const session = await login(server, people.carol);
      const tabA = await s.signedIn(people.carol, { session, label: 'carol-tab-a' });
      const tabB = await s.signedIn(people.carol, { session, label: 'carol-tab-b' });
      const bSockets = watchSockets(tabB.page);
      await openAppointment(tabB.page, server, id);
      await eventually(() => bSockets.room(id)[0]?.snapshot, { message: "tab B's room socket is live" });

      await tabA.page.goto(`${server.url}/`);
      await tabA.page.getByRole('heading', { name: 'Appointments' }).waitFor();
      await tabA.page.getByRole('button', { name: 'Sign out' }).click();
      await tabA.page.getByRole('heading', { name: 'Sign in to slotlock' }).waitFor();
      assert.equal(
        await tabA.page.getByTestId('sign-in-notice').count(),
        0,
        'her own Sign out needs no notice',
      );

      await tabB.page
        .getByTestId('sign-in-notice')
        .filter({ hasText: SESSION_ENDED })
        .waitFor({ timeout: 5_000 });
      await tabB.page.getByRole('heading', { name: 'Sign in to slotlock' }).waitFor();
      assert.match(
        new URL(tabB.page.url()).search,
        new RegExp(`next=${encodeURIComponent(`/appointments/${id}`)}`),
      );
      await eventually(() => bSockets.room(id).every((r) => r.closed), { message: "tab B's socket closed" });
      assert.equal(bSockets.room(id).length, 1, 'tab B did not try to reconnect');
      assert.equal((await api(server, session.token, 'GET', '/me')).status, 401);
    }),
  );

  test(
    "an admin disabling a user takes the user's open page to sign-in, and no draft stays behind",
    run(async (s) => {
      const id = ids[3];
      const b = await s.signedIn(people.bob);
      const bSockets = watchSockets(b.page);
      await openAppointment(b.page, server, id);
      await startEditing(b.page);
      await eventually(() => bSockets.room(id)[0]?.snapshot, { message: "Bob's room socket is live" });
      const typed = 'Client asked for a call back on 555-0199';
      await b.page.getByLabel('Notes').fill(typed);
      const stored = () => b.page.evaluate(() => JSON.stringify({ ...localStorage }));
      await eventually(async () => (await stored()).includes('555-0199'), {
        message: "Bob's draft is stored",
      });

      const { token: carolToken } = await login(server, people.carol);
      const off = await api(server, carolToken, 'PATCH', `/users/${b.user.id}`, { disabled: true });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      try {
        const notice = b.page.getByTestId('sign-in-notice').filter({ hasText: SESSION_ENDED });
        await notice.waitFor({ timeout: 5_000 });
        assert.match(await notice.innerText(), /Unsaved changes kept in this browser were removed with it\./);
        const left = await stored();
        assert.doesNotMatch(left, /555-0199|slotlock\.(draft|rejected)\.|slotlock\.auth/, left);
        assert.equal(bSockets.room(id).length, 1, 'no reconnect after the session ended');
      } finally {
        await api(server, carolToken, 'PATCH', `/users/${b.user.id}`, { disabled: false });
      }
    }),
  );
});
