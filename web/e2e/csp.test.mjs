// The built app works under the server's Content-Security-Policy (ADR 0012): signing in through
// the page, opening an appointment and taking its lock (REST and WebSocket) in Chromium raise no
// CSP violation, and the policy allows no inline script.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, people, startServer, withBrowser } from './lib/harness.mjs';

let server;
let browser;

describe('content security policy', { timeout: 60_000 }, () => {
  before(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test(
    'signing in, opening an appointment and editing it raise no violation',
    withBrowser(
      () => browser,
      () => server,
      async (s) => {
        const { context, page } = await s.anonymous('csp');
        await context.addInitScript(() => {
          window.__violations = [];
          document.addEventListener('securitypolicyviolation', (e) =>
            window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`),
          );
        });
        const refused = [];
        page.on('console', (m) => {
          if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) refused.push(m.text());
        });

        const first = await page.goto(server.url);
        const csp = first.headers()['content-security-policy'];
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.match(csp, /frame-ancestors 'none'/);

        await page.getByLabel('E-mail').fill(people.alice.email);
        await page.getByLabel('Password').fill(people.alice.password);
        await page.getByRole('button', { name: /sign in/i }).click();
        const appointment = page.getByRole('link', { name: /Dental check-up/ }).first();
        await appointment.click();
        await page.getByRole('button', { name: /^edit$/i }).click();
        await page.getByRole('button', { name: /^save$/i }).waitFor();
        await page.mouse.move(400, 400);
        await page.mouse.move(500, 450, { steps: 10 });

        // A page that breaks the policy is reported: the check itself can fail.
        await page.evaluate(() => {
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true';
          document.body.append(s);
        });
        const seen = await page.evaluate(() => ({
          violations: window.__violations,
          ran: window.__inlineRan === true,
        }));
        assert.equal(seen.ran, false, 'an inline script ran');
        assert.deepEqual(
          seen.violations,
          ['script-src-elem blocked inline'],
          `violations other than the injected inline script: ${seen.violations}`,
        );
        assert.deepEqual(
          refused.filter((t) => !/inline script/i.test(t)),
          [],
        );
      },
    ),
  );
});
