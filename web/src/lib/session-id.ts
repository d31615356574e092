const KEY = 'slotlock.sessionId';
const CHANNEL = 'slotlock.session-id';

/** One id per browser tab: sessionStorage survives reloads but not a new tab. */
export function getSessionId(): string {
  let id = sessionStorage.getItem(KEY);
  if (!id) {
    id = newId();
    sessionStorage.setItem(KEY, id);
  }
  return id;
}

function newId() {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : fallbackId();
}

function fallbackId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

type Message =
  { type: 'claim'; sessionId: string; tab: string } | { type: 'taken'; sessionId: string; tab: string };

interface ClaimOptions {
  /** How long to wait for another tab to say the id is theirs. */
  waitMs?: number;
  createChannel?: (name: string) => BroadcastChannel;
  /** Called when a late answer arrives after start-up, once the id may be in use: reload. */
  onLateConflict?: () => void;
  /** This tab's sessionStorage (tests give each fake tab its own). */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * A duplicated tab starts with a copy of the original's sessionStorage, and so with
 * its sessionId. At start-up a tab that found an id asks the other tabs whether one of
 * them already uses it (BroadcastChannel); if so it takes a fresh one. Every tab keeps
 * answering for its id afterwards. Resolves with the id this tab may use.
 */
export async function claimSessionId({
  waitMs = 150,
  createChannel = (name) => new BroadcastChannel(name),
  onLateConflict = () => location.reload(),
  storage = sessionStorage,
}: ClaimOptions = {}): Promise<string> {
  const current = () => {
    let id = storage.getItem(KEY);
    if (!id) {
      id = newId();
      storage.setItem(KEY, id);
    }
    return id;
  };
  const found = storage.getItem(KEY);
  let channel: BroadcastChannel;
  try {
    channel = createChannel(CHANNEL);
  } catch {
    return current();
  }
  const tab = newId(); // this document, never copied
  let started = false;
  let conflict: () => void = () => {};
  const conflicted = new Promise<void>((resolve) => (conflict = resolve));

  channel.onmessage = (e: MessageEvent<Message>) => {
    const m = e.data;
    if (!m || m.tab === tab) return;
    const mine = storage.getItem(KEY);
    if (m.type === 'claim' && m.sessionId === mine) {
      channel.postMessage({ type: 'taken', sessionId: mine, tab } satisfies Message);
    } else if (m.type === 'taken' && m.sessionId === mine) {
      storage.setItem(KEY, newId());
      if (started) onLateConflict();
      else conflict();
    }
  };

  if (!found) {
    started = true;
    return current(); // a fresh id: nobody else can have it
  }
  channel.postMessage({ type: 'claim', sessionId: found, tab } satisfies Message);
  await Promise.race([conflicted, new Promise((resolve) => setTimeout(resolve, waitMs))]);
  started = true;
  return current();
}
