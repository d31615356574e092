// axe-core in the page, for every end-to-end test: one helper, one tally, one rule set.
// The source is evaluated over the DevTools protocol, so the app's Content-Security-Policy
// (script-src 'self') stays on while axe runs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 A and AA (target size included) plus axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

/** Page state → violations found there, over the whole test file (printed on exit). */
const tally = new Map();

process.on('exit', () => {
  if (tally.size === 0) return;
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  const states = [...tally.entries()].map(([state, n]) => `${state}: ${n}`).join(', ');
  console.log(`axe: ${total} violation(s) in ${tally.size} page state(s) — ${states}`);
});

/** Lets fades and springs finish: a half-faded element is not what a person reads. */
export async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const deadline = Date.now() + 2_000;
        const check = () => {
          const running = document.getAnimations().some((a) => a.playState === 'running');
          if (!running || Date.now() > deadline) requestAnimationFrame(() => requestAnimationFrame(resolve));
          else setTimeout(check, 50);
        };
        check();
      }),
  );
}

/** Runs axe on the page as it is now; the violations, each with its nodes. */
export async function axeViolations(page) {
  await settle(page);
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  return page.evaluate(
    (tags) =>
      window.axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) =>
          r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
          })),
        ),
    AXE_TAGS,
  );
}

/** Fails with every violation spelled out; counts the state for the summary either way. */
export async function expectAxeClean(page, state) {
  const violations = await axeViolations(page);
  const count = violations.reduce((n, v) => n + v.nodes.length, 0);
  tally.set(state, (tally.get(state) ?? 0) + count);
  if (count === 0) return;
  const detail = violations
    .map(
      (v) =>
        `  ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.summary?.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
  throw new Error(`axe: ${count} violation(s) in "${state}" at ${page.url()}\n${detail}`);
}

/** A name for what the page shows, for the tally: which route, and on the editor, which lock state. */
export async function pageState(page) {
  const { pathname, view, width, dialog, done, other, takenOver } = await page.evaluate(() => ({
    pathname: location.pathname,
    view: new URLSearchParams(location.search).get('view') ?? 'agenda',
    width: window.innerWidth,
    dialog: !!document.querySelector('dialog[open]'),
    done: [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Done'),
    other: !!document.querySelector('section[aria-label="Who is editing"]'),
    takenOver: !!document.querySelector('section[aria-label="Taken over"]'),
  }));
  let state;
  if (pathname.startsWith('/sign-in')) state = 'sign-in';
  else if (pathname.startsWith('/audit')) state = 'audit';
  else if (!pathname.startsWith('/appointments/')) state = view === 'agenda' ? 'list' : `list (${view})`;
  else if (pathname === '/appointments/new') state = 'new appointment';
  else if (dialog) state = 'dialog open';
  else if (takenOver) state = 'after takeover';
  else if (done) state = 'editing';
  else if (other) state = 'locked by someone else';
  else state = 'editor free';
  return width < 500 ? `${state} (${width} px)` : state;
}

/** expectAxeClean under the page's own state name. */
export async function expectPageAxeClean(page) {
  await expectAxeClean(page, await pageState(page));
}
