// Live cursors: A's pointer over the form shows up in B's window as a labelled,
// coloured cursor at the same place relative to the form, though B's window differs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  appointmentIds,
  eventually,
  launchBrowser,
  openAppointment,
  people,
  startEditing,
  startServer,
  withBrowser,
} from './lib/harness.mjs';

let server;
let browser;
let ids;

const form = (page) => page.locator('form[aria-label="Appointment"]');

/** Where a cursor's tip is, relative to the viewport. */
function tipOf(page, name) {
  return page.evaluate((n) => {
    const tag = [...document.querySelectorAll('[data-testid="live-cursor-tag"]')].find((t) =>
      t.textContent.includes(n),
    );
    const root = tag?.closest('[data-testid="live-cursor"]');
    if (!root) return null;
    const r = root.getBoundingClientRect();
    return { x: r.left, y: r.top, opacity: Number(getComputedStyle(root).opacity) };
  }, name);
}

describe('live cursors', { timeout: 60_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    "A moves the pointer over the form; B (a different window size) sees A's labelled cursor where A pointed",
    withBrowser(
      () => browser,
      () => server,
      async (s) => {
        const id = ids[2];
        const a = await s.signedIn(people.alice, { viewport: { width: 1280, height: 900 } });
        const b = await s.signedIn(people.bob, { viewport: { width: 820, height: 1000 } });
        await openAppointment(a.page, server, id);
        await startEditing(a.page);
        await openAppointment(b.page, server, id);

        const target = { x: 0.3, y: 0.6 };
        const ra = await form(a.page).boundingBox();
        await a.page.mouse.move(ra.x + 5, ra.y + 5);
        await a.page.mouse.move(ra.x + ra.width * target.x, ra.y + ra.height * target.y, { steps: 12 });

        const tag = b.page.getByTestId('live-cursor-tag').filter({ hasText: 'Alice Martin' });
        await tag.waitFor({ state: 'visible' });
        assert.match(await tag.innerText(), /editing/, 'the holder is marked as editing');
        const colour = await tag.evaluate((t) => getComputedStyle(t).backgroundColor);
        assert.notEqual(colour, 'rgba(0, 0, 0, 0)', 'the tag has the user colour');

        const rb = await form(b.page).boundingBox();
        assert.notEqual(Math.round(rb.width), Math.round(ra.width), 'the two forms differ in size');
        const want = { x: rb.x + rb.width * target.x, y: rb.y + rb.height * target.y };
        const tip = await eventually(
          async () => {
            const t = await tipOf(b.page, 'Alice Martin');
            return t && Math.abs(t.x - want.x) < 4 && Math.abs(t.y - want.y) < 4 && t.opacity > 0.95
              ? t
              : null;
          },
          { message: `A's cursor at ${JSON.stringify(want)} in B's window` },
        );
        assert.ok(tip);

        // B's own pointer is not drawn for B, and A now sees B's.
        const rb2 = await form(b.page).boundingBox();
        await b.page.mouse.move(rb2.x + rb2.width * 0.8, rb2.y + rb2.height * 0.2, { steps: 5 });
        await a.page
          .getByTestId('live-cursor-tag')
          .filter({ hasText: 'Bob Chen' })
          .waitFor({ state: 'visible' });
        assert.equal(await b.page.getByTestId('live-cursor-tag').filter({ hasText: 'Bob Chen' }).count(), 0);

        // When A leaves, the cursor goes too.
        await a.page.close();
        await tag.waitFor({ state: 'detached', timeout: 5_000 });
      },
    ),
  );
});
