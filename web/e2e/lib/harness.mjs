// Shared by the end-to-end tests: the real slotlock binary, Debian's Chromium, and
// people signed in as the demo users. No browser is ever downloaded.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { expectPageAxeClean } from './axe.mjs';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(web, 'dist');
export const BIN = path.resolve(web, process.env.SLOTLOCK_BIN ?? '../build/slotlock');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(web, 'e2e', 'screenshots');

export const people = {
  alice: { email: 'alice@example.com', password: 'alice-demo', name: 'Alice Martin' },
  bob: { email: 'bob@example.com', password: 'bob-demo', name: 'Bob Chen' },
  carol: { email: 'carol@example.com', password: 'carol-demo', name: 'Carol Diaz' },
};

/** What is missing to run the suite, in plain words; empty when all is there. */
export function missingPrerequisites() {
  const missing = [];
  if (!existsSync(path.join(DIST, 'index.html')))
    missing.push(`the built web app (${DIST}/index.html): run \`npm run build\` in web/`);
  if (!existsSync(BIN))
    missing.push(`the server binary (${BIN}): build it (\`ninja -C build\`) or set SLOTLOCK_BIN`);
  if (!existsSync(CHROMIUM))
    missing.push(`Chromium (${CHROMIUM}): \`apt-get install chromium\` or set CHROMIUM`);
  return missing;
}

/**
 * Starts the real server on a free port with demo data, on a fresh SQLite file or on `db`
 * (a postgres:// URL shared with other servers). Resolves once it prints
 * `listening on http://127.0.0.1:PORT`.
 */
export async function startServer(extraArgs = [], { db } = {}) {
  const missing = missingPrerequisites();
  if (missing.length) throw new Error(`End-to-end tests need ${missing.join('; ')}.`);
  const dir = mkdtempSync(path.join(tmpdir(), 'slotlock-e2e-'));
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--db',
    db ?? `sqlite:${dir}/e2e.db`,
    '--demo',
    '--static',
    DIST,
  ];
  const child = spawn(BIN, [...args, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 15 s:\n${output}`)), 15_000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));

  /** Signals the server by its own pid and waits for it to exit (SIGKILL after 10 s). */
  async function end(signal) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  return {
    url,
    get log() {
      return output;
    },
    /** kill -9: no goodbye, no cleanup. */
    kill: () => end('SIGKILL'),
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const launchOptions = {
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

/** The PostgreSQL server to test scale-out against (server/test/with-postgres.sh sets it), or undefined. */
export const TEST_PG = process.env.SLOTLOCK_TEST_PG;

/**
 * Processes A and B on a fresh database of TEST_PG, and a browser: `{a, b, browser, stop}`.
 * A starts first (it migrates and seeds the demo data), then B. `stop()` closes the browser, stops
 * both servers and drops the database.
 */
export async function startPair(extraArgs = []) {
  const psql = (sql) =>
    execFileSync('psql', [TEST_PG, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe', timeout: 60_000 });
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_PG);
  url.pathname = `/${name}`;
  const pair = {};
  pair.stop = async () => {
    await pair.browser?.close();
    await Promise.all([pair.a?.stop(), pair.b?.stop()]);
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    pair.a = await startServer(extraArgs, { db: url.toString() });
    [pair.b, pair.browser] = await Promise.all([
      startServer(extraArgs, { db: url.toString() }),
      launchBrowser(),
    ]);
  } catch (e) {
    await pair.stop();
    throw e;
  }
  return pair;
}

export function launchBrowser() {
  return chromium.launch(launchOptions);
}

/** A browser in a process of its own that a test can kill (`kill()`), as a crash would. */
export async function launchKillableBrowser() {
  const serverSide = await chromium.launchServer(launchOptions);
  const browser = await chromium.connect(serverSide.wsEndpoint());
  return {
    browser,
    kill: () => serverSide.process().kill('SIGKILL'),
    close: () => serverSide.close().catch(() => {}),
  };
}

/** The REST API as a test script uses it (e.g. "another user changes it through the API"). */
export async function api(server, token, method, route, body, headers = {}) {
  const res = await fetch(`${server.url}/api${route}`, {
    method,
    headers: {
      ...headers,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function login(server, who) {
  const res = await api(server, null, 'POST', '/auth/login', { email: who.email, password: who.password });
  if (res.status !== 200) throw new Error(`login ${who.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Appointment ids in list order (the demo data has at least 10). */
export async function appointmentIds(server) {
  const { token } = await login(server, people.carol);
  const res = await api(server, token, 'GET', '/appointments');
  return res.body.items.map((a) => a.id);
}

/**
 * One scenario: every browser context it opens is closed afterwards, and when it fails
 * every open page is saved to e2e/screenshots/<scenario>-<who>.png.
 */
export function scenario(browser, server) {
  const opened = [];
  return {
    /**
     * A person in their own browser context, signed in (token in localStorage, as the app keeps it),
     * on the scenario's server or on `at` (another process on the same database).
     * `session` (a `login()` answer) reuses a session instead of signing in afresh: a second
     * browser context on it is another tab of the same session that shares no localStorage.
     */
    async signedIn(
      who,
      {
        viewport = { width: 1280, height: 900 },
        label = who.email.split('@')[0],
        in: owner = browser,
        at = server,
        session: existing = null,
      } = {},
    ) {
      const session = existing ?? (await login(at, who));
      const context = await owner.newContext({
        viewport,
        storageState: {
          cookies: [],
          origins: [
            {
              origin: at.url,
              localStorage: [{ name: 'slotlock.auth', value: JSON.stringify(session) }],
            },
          ],
        },
      });
      const entry = { context, label, errors: [] };
      opened.push(entry);
      context.on('page', (p) => watch(p, entry));
      const page = await context.newPage();
      return { context, page, token: session.token, user: session.user };
    },
    /** An anonymous context (to sign in through the page). */
    async anonymous(label, viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport });
      const entry = { context, label, errors: [] };
      opened.push(entry);
      context.on('page', (p) => watch(p, entry));
      return { context, page: await context.newPage() };
    },
    async finish(t, failed) {
      // Every page a passing scenario leaves open is checked by axe as it ends: each test reaches
      // states of its own, and none of them gets to skip the check.
      let axeError = null;
      if (!failed)
        for (const { context } of opened)
          for (const p of context.pages()) {
            try {
              if (!p.isClosed() && p.url().startsWith('http')) await expectPageAxeClean(p);
            } catch (e) {
              if (/^axe: /.test(e.message)) axeError ??= e;
              // else: a browser the test killed, or a page gone meanwhile — nothing left to check
            }
          }
      if (axeError) failed = true;
      // E2E_SCREENSHOTS=always keeps the last view of every scenario too, for a look by eye.
      if (failed || process.env.E2E_SCREENSHOTS === 'always') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const slug = t.name
          .replace(/[^a-z0-9]+/gi, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase()
          .slice(0, 60);
        for (const { context, label, errors } of opened) {
          if (errors.length) console.log(`[${label}] page errors:\n  ${errors.join('\n  ')}`);
          let n = 0;
          for (const p of context.pages()) {
            const file = path.join(SCREENSHOTS, `${slug}-${label}${n++ ? `-${n}` : ''}.png`);
            await p.screenshot({ path: file, fullPage: true }).catch(() => {});
            console.log(`screenshot: ${file}`);
          }
        }
      }
      await Promise.all(opened.map(({ context }) => context.close().catch(() => {})));
      if (axeError) throw axeError;
    },
  };
}

function watch(page, entry) {
  page.on('pageerror', (e) => entry.errors.push(e.message));
}

/**
 * Wraps a node:test body: `fn(s)` gets a scenario; screenshots on failure, contexts closed after.
 */
export function withBrowser(getBrowser, getServer, fn) {
  return async (t) => {
    const s = scenario(getBrowser(), getServer());
    let failed = true;
    try {
      await fn(s, t);
      failed = false;
    } finally {
      await s.finish(t, failed);
    }
  };
}

/** Waits for a condition checked in Node (polling), with a message when it never holds. */
export async function eventually(check, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeout)
      throw new Error(`${message} did not hold within ${timeout} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Every input, select and textarea of the appointment form has the `disabled` attribute. */
export async function formControlsDisabled(page) {
  return page.locator('form[aria-label="Appointment"]').evaluate((form) => {
    const controls = [...form.querySelectorAll('input, select, textarea')];
    return { count: controls.length, disabled: controls.filter((c) => c.hasAttribute('disabled')).length };
  });
}

/** Opens the appointment page; axe checks it once it is there. */
export async function openAppointment(page, server, id) {
  await page.goto(`${server.url}/appointments/${id}`);
  await page.locator('form[aria-label="Appointment"]').waitFor();
  await expectPageAxeClean(page);
}

/** Presses Edit and waits until this tab holds the lock; axe checks the editing state. */
export async function startEditing(page) {
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('button', { name: 'Done', exact: true }).waitFor();
  await expectPageAxeClean(page);
}

/** The banner naming who edits (a labelled region: its countdown is not a live region). */
export function lockBanner(page) {
  return page.getByRole('region', { name: 'Who is editing' });
}
