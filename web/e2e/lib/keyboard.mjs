// Keyboard-only paths: what has focus, Tab until something has it, and a count of pointer use.
import { eventually } from './harness.mjs';

/** What has focus: its tag and accessible-ish name (its label, aria-label or text). */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    return {
      tag: el?.tagName ?? null,
      text: (label ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `want(focused)` holds; fails after `max` presses. */
export async function tabTo(page, want, { back = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (want(f)) return f;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(page))})`);
}

export const waitForFocus = (page, want, message) =>
  eventually(async () => want(await focused(page)), { timeout: 5_000, message });

/** Counts trusted mouse and touch presses in every page of `context` (`window.__pointerEvents`). */
export function countPointerUse(context) {
  return context.addInitScript(() => {
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
}
