// Accessibility in Chromium (WCAG 2.2 AA, PRODUCT.md §4): axe-core on every page state
// (lib/axe.mjs, zero violations or the test fails), focus after Edit, Done, navigation and in
// the take-over dialog, live regions that do not tick, 24 px targets and the sticky action bar
// at 390 px, and the whole edit done with the keyboard alone.
// FOCUS_SHOTS=<dir> saves the focus states as PNGs (docs/focus-*.png come from here).
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

let server;
let browser;
let ids;
const run = (fn) =>
  withBrowser(
    () => browser,
    () => server,
    fn,
  );
const shots = process.env.FOCUS_SHOTS ? path.resolve(process.env.FOCUS_SHOTS) : null;

/** A picture of a focus state (only with FOCUS_SHOTS), cropped around the focused element. */
async function focusShot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.evaluate(() => document.activeElement?.scrollIntoView({ block: 'center' }));
  await settle(page);
  await page.screenshot({ path: path.join(shots, `focus-${name}.png`) });
}

/** What has focus: its tag, accessible-ish name, and whether it sits in an open dialog. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return {
      tag: el?.tagName ?? null,
      text: (label ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
      inDialog: !!el?.closest('dialog[open]'),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `want(focused)` holds; fails after `max` presses. */
async function tabTo(page, want, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (want(f)) return f;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`);
}

const waitForFocus = (page, want, message) =>
  eventually(async () => want(await focused(page)), { timeout: 5_000, message });

describe('accessibility', { timeout: 180_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ids = await appointmentIds(server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'axe finds nothing on sign-in, list, editor free, editing, locked, dialog, after takeover and audit; focus and announcements behave',
    run(async (s) => {
      const anon = await s.anonymous('anon');
      await anon.page.goto(`${server.url}/sign-in`);
      await anon.page.getByRole('heading', { name: 'Sign in to slotlock' }).waitFor();
      assert.equal(await anon.page.title(), 'Sign in · slotlock');
      await expectAxeClean(anon.page, 'sign-in');
      await anon.page.getByRole('button', { name: 'Sign in' }).click();
      await anon.page.getByLabel('Password').waitFor();
      await expectAxeClean(anon.page, 'sign-in');

      const a = await s.signedIn(people.alice);
      await a.page.goto(`${server.url}/`);
      await a.page.getByRole('heading', { name: 'Appointments' }).waitFor();
      await a.page.getByRole('link').filter({ hasText: /\w/ }).nth(3).waitFor();
      assert.equal(await a.page.title(), 'Appointments · slotlock');
      await expectAxeClean(a.page, 'list');

      await openAppointment(a.page, server, ids[0]); // editor free, axe inside
      const title = await a.page.getByRole('heading', { level: 1 }).innerText();
      assert.equal(await a.page.title(), `${title} · slotlock`);
      await startEditing(a.page); // editing, axe inside
      await waitForFocus(a.page, (f) => f.tag === 'INPUT' && f.text === 'Title', 'focus on the first field');

      const c = await s.signedIn(people.carol);
      await openAppointment(c.page, server, ids[0]); // locked by someone else, axe inside
      await lockBanner(c.page).waitFor();
      const viewers = c.page.getByRole('list', { name: 'Viewing this appointment' });
      await viewers.getByRole('listitem').filter({ hasText: 'Alice Martin' }).waitFor();
      await viewers.getByRole('listitem').filter({ hasText: 'Carol Diaz (you)' }).waitFor();

      // The visible countdown ticks; no live region on the page changes meanwhile.
      const quiet = await c.page.evaluate(async () => {
        const timer = document.querySelector('section[aria-label="Who is editing"] [role="timer"]');
        const first = timer?.textContent;
        let changes = 0;
        const observer = new MutationObserver(() => changes++);
        for (const region of document.querySelectorAll(
          '[role="status"], [role="alert"], [aria-live="polite"], [aria-live="assertive"]',
        ))
          observer.observe(region, { childList: true, subtree: true, characterData: true });
        await new Promise((r) => setTimeout(r, 2_500));
        observer.disconnect();
        return { ticked: timer?.textContent !== first, changes };
      });
      assert.deepEqual(quiet, { ticked: true, changes: 0 });

      // The take-over dialog: modal, focus kept inside, Escape closes it, focus back on Take over.
      const takeOver = c.page.getByRole('button', { name: 'Take over' });
      await takeOver.focus();
      await c.page.keyboard.press('Enter');
      const dialog = c.page.getByRole('alertdialog', { name: 'Take over editing?' });
      await dialog.waitFor();
      await waitForFocus(c.page, (f) => f.inDialog && f.text === 'Cancel', 'focus on Cancel in the dialog');
      await focusShot(c.page, 'dialog');
      await expectAxeClean(c.page, 'dialog open');
      // Tab cycles through the dialog and, past its end, out to the browser's own controls (no
      // element of the page: BODY), never to the page behind.
      const stops = [];
      for (let i = 0; i < 6; i++) {
        await c.page.keyboard.press('Tab');
        const f = await focused(c.page);
        assert.ok(f.inDialog || f.tag === 'BODY', `Tab ${i + 1} left the dialog for ${JSON.stringify(f)}`);
        stops.push(f.inDialog ? f.text : 'browser');
      }
      assert.ok(stops.filter((t) => t === 'Take over').length >= 2, `Tab came round again: ${stops}`);
      // The page behind is inert: its buttons cannot take focus while the dialog is open.
      assert.equal(
        await c.page.evaluate(() => {
          const behind = [...document.querySelectorAll('main button')].find((b) => !b.closest('dialog'));
          behind?.focus();
          return document.activeElement === behind;
        }),
        false,
      );
      await c.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await waitForFocus(c.page, (f) => f.text === 'Take over', 'focus back on Take over');

      await c.page.keyboard.press('Enter');
      await dialog.getByRole('button', { name: 'Take over' }).click();
      await c.page.getByRole('button', { name: 'Done', exact: true }).waitFor();
      await a.page.getByText('Carol Diaz took over editing from you').waitFor();
      await eventually(
        async () => (await a.page.getByTestId('lock-announcer').innerText()) === 'Carol Diaz is now editing.',
        {
          message: 'alice hears who took over',
        },
      );
      await expectAxeClean(a.page, 'after takeover');
      await expectAxeClean(c.page, 'editing');

      // Done: the appointment is free for alice's page, said once.
      await c.page.getByRole('button', { name: 'Done', exact: true }).click();
      await waitForFocus(c.page, (f) => f.text === 'Edit', 'focus back on Edit after Done');
      await eventually(
        async () => (await a.page.getByTestId('lock-announcer').innerText()) === 'The appointment is free.',
        {
          message: 'alice hears it is free',
        },
      );

      await c.page.getByRole('link', { name: 'Audit' }).click();
      await c.page.getByRole('heading', { name: 'Audit log' }).waitFor();
      await c.page.getByTestId('audit-row').first().waitFor();
      await waitForFocus(
        c.page,
        (f) => f.tag === 'H1' && f.text === 'Audit log',
        'focus on the new page heading',
      );
      assert.equal(await c.page.title(), 'Audit log · slotlock');
      await expectAxeClean(c.page, 'audit');
    }),
  );

  test(
    'at 390 px: axe finds nothing, targets are 24 px or more, and Save / Done / Cancel stay on screen',
    run(async (s) => {
      const phone = { width: 390, height: 844 };
      const b = await s.signedIn(people.bob, { viewport: phone });
      await b.page.goto(`${server.url}/`);
      await b.page.getByRole('heading', { name: 'Appointments' }).waitFor();
      await b.page.getByRole('link').filter({ hasText: /\w/ }).nth(3).waitFor();
      await expectAxeClean(b.page, 'list (390 px)');

      const a = await s.signedIn(people.alice, { viewport: phone });
      await openAppointment(a.page, server, ids[1]);
      await startEditing(a.page);
      await openAppointment(b.page, server, ids[1]); // locked by someone else at 390 px

      const small = await a.page.evaluate(() =>
        [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
          .filter((el) => el.getClientRects().length > 0 && !el.closest('.sr-only'))
          .map((el) => ({ el: el.outerHTML.slice(0, 80), r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 24 || r.height < 24)
          .map(({ el, r }) => `${Math.round(r.width)}×${Math.round(r.height)} ${el}`),
      );
      assert.deepEqual(small, [], 'every target at least 24 × 24 px');

      // The form is longer than the screen; the action bar stays at its bottom edge.
      await a.page.getByLabel('Title').focus();
      await a.page.evaluate(() => window.scrollTo(0, 0));
      for (const name of ['Save', 'Done', 'Cancel editing']) {
        const box = await a.page.getByRole('button', { name, exact: true }).boundingBox();
        assert.ok(
          box && box.y >= 0 && box.y + box.height <= phone.height,
          `${name} is on screen: ${JSON.stringify(box)}`,
        );
      }
      await expectAxeClean(a.page, 'editing (390 px)');
    }),
  );

  test(
    'keyboard only: sign in, open an appointment, edit, save, Done and back to the list without a mouse',
    run(async (s) => {
      const k = await s.anonymous('keyboard');
      // Any pointer event would be a mouse (or touch) at work.
      await k.context.addInitScript(() => {
        window.__pointerEvents = 0;
        for (const type of ['mousedown', 'pointerdown', 'click'])
          window.addEventListener(
            type,
            (e) => {
              if (e.isTrusted && e.detail > 0) window.__pointerEvents++;
            },
            true,
          );
      });
      const page = k.page;
      await page.goto(`${server.url}/sign-in`);
      await page.getByRole('heading', { name: 'Sign in to slotlock' }).waitFor();
      await tabTo(page, (f) => f.text === 'E-mail');
      await page.keyboard.type(people.alice.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(people.alice.password);
      await page.keyboard.press('Enter');

      await waitForFocus(
        page,
        (f) => f.tag === 'H1' && f.text === 'Appointments',
        'the list heading has focus after sign-in',
      );
      await page.getByRole('link').filter({ hasText: /\w/ }).nth(3).waitFor();
      // The skip link is the first stop on the page, before the header.
      await tabTo(page, (f) => f.text === 'Skip to content', { back: true, max: 6 });
      await focusShot(page, 'skip-link');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).tag, 'MAIN');

      const { token } = await login(server, people.alice);
      const target = (await api(server, token, 'GET', `/appointments/${ids[2]}`)).body;
      await tabTo(page, (f) => f.tag === 'A' && f.text === target.title);
      await page.keyboard.press('Enter');
      await waitForFocus(
        page,
        (f) => f.tag === 'H1' && f.text === target.title,
        'the appointment heading has focus',
      );
      await focusShot(page, 'page-heading');
      assert.equal(await page.title(), `${target.title} · slotlock`);

      await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Edit');
      await focusShot(page, 'edit-button');
      await page.keyboard.press('Enter');
      await waitForFocus(
        page,
        (f) => f.tag === 'INPUT' && f.text === 'Title',
        'Edit puts focus on the first field',
      );
      await focusShot(page, 'first-field');
      await page.keyboard.press('End');
      await page.keyboard.type(' (by keyboard)');
      await page.keyboard.press('Enter'); // submits the form: Save
      await page.getByText('Saved.', { exact: true }).waitFor();

      await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Done');
      await page.keyboard.press('Enter');
      await waitForFocus(
        page,
        (f) => f.tag === 'BUTTON' && f.text === 'Edit',
        'Done puts focus back on Edit',
      );
      await focusShot(page, 'edit-after-done');

      await tabTo(page, (f) => f.tag === 'A' && /^←\s*Appointments$/.test(f.text), { back: true });
      await page.keyboard.press('Enter');
      await waitForFocus(
        page,
        (f) => f.tag === 'H1' && f.text === 'Appointments',
        'back on the list heading',
      );

      const saved = (await api(server, token, 'GET', `/appointments/${ids[2]}`)).body;
      assert.equal(saved.title, `${target.title} (by keyboard)`);
      const lock = (await api(server, token, 'GET', `/appointments/${ids[2]}/lock-status`)).body;
      assert.equal(lock.locked, false, 'Done gave the lock back');
      assert.equal(await page.evaluate(() => window.__pointerEvents), 0, 'no mouse was used');
    }),
  );
});
