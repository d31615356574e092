type Task = () => Promise<void>;

const tasks = new Set<Task>();

/**
 * Work that must happen while the session still works, e.g. releasing a held lock.
 * Features register here; signing out awaits them before the token is revoked.
 */
export function registerBeforeSignOut(task: Task): () => void {
  tasks.add(task);
  return () => void tasks.delete(task);
}

/** Runs every registered task, each given at most `timeoutMs`; failures do not stop signing out. */
export async function runBeforeSignOut(timeoutMs = 3_000): Promise<void> {
  await Promise.allSettled(
    [...tasks].map((task) =>
      Promise.race([task(), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]),
    ),
  );
}

/**
 * `signed-out`: the person pressed Sign out here. `session-ended`: the server ended it
 * (a 401, a socket closed with 4001, or Sign out in another tab of this browser).
 */
export type SessionEndReason = 'signed-out' | 'session-ended';

type EndListener = (reason: SessionEndReason) => void;

const endListeners = new Set<EndListener>();
let ended = false;
let signingOut = false;

/** What ending a session means here (forget the token, drafts and cached data): the app layer wires it. */
export function onSessionEnd(listener: EndListener): () => void {
  endListeners.add(listener);
  return () => void endListeners.delete(listener);
}

/** A session is live in this tab again (signed in, or signed in from another tab). */
export function sessionStarted() {
  ended = false;
}

/**
 * Ends the session in this tab, once: several requests may answer 401 and several sockets
 * close with 4001 for one ending. While this tab is signing out on purpose, the server
 * closing its sockets is that sign-out, not a session that ended under the person.
 */
export function endSession(reason: SessionEndReason) {
  if (ended) return;
  ended = true;
  const why = signingOut ? 'signed-out' : reason;
  for (const listener of [...endListeners]) {
    try {
      listener(why);
    } catch (e) {
      console.error('while ending the session', e);
    }
  }
}

/**
 * Signing out on purpose: registered tasks first (they still need the session), then
 * `revoke` tells the server, then the session ends here whatever the server answered.
 */
export async function signOut(revoke: () => Promise<unknown>, timeoutMs?: number): Promise<void> {
  signingOut = true;
  try {
    await runBeforeSignOut(timeoutMs);
    await revoke();
  } finally {
    endSession('signed-out');
    signingOut = false;
  }
}
