import { describe, expect, it, vi } from 'vitest';
import { claimSessionId, getSessionId } from './session-id';

/** Tabs of one browser: every channel of a name hears the others' messages. */
function fakeBus() {
  const channels = new Set<FakeChannel>();
  class FakeChannel {
    onmessage: ((e: MessageEvent) => void) | null = null;
    postMessage(data: unknown) {
      for (const c of channels)
        if (c !== this) queueMicrotask(() => c.onmessage?.(new MessageEvent('message', { data })));
    }
    close() {
      channels.delete(this);
    }
  }
  return () => {
    const c = new FakeChannel();
    channels.add(c);
    return c as unknown as BroadcastChannel;
  };
}

/** A tab's own sessionStorage. */
function tabStorage(copyOf?: Map<string, string>) {
  const m = new Map(copyOf);
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

/** What the server accepts (PRODUCT.md §2 "Limits at the edge"); anything else is a 400 or a refused socket. */
const SERVER_SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

describe('session id', () => {
  it('is the same for the life of a tab', () => {
    expect(getSessionId()).toBe(getSessionId());
  });

  it('is made only of what the server accepts, with crypto.randomUUID and without it', () => {
    for (let i = 0; i < 50; i++) {
      sessionStorage.clear();
      expect(getSessionId()).toMatch(SERVER_SESSION_ID);
    }
    // Older browsers (and plain http origins) have no randomUUID: the fallback must conform too.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      sessionStorage.clear();
      expect(getSessionId()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID; // the prototype's comes back
    }
    expect(typeof crypto.randomUUID).toBe('function');
  });

  it('a duplicated tab (its sessionStorage copied from the original) gets a fresh id; the original keeps its own', async () => {
    const createChannel = fakeBus();
    const tab1 = tabStorage();
    const original = await claimSessionId({ createChannel, waitMs: 20, storage: tab1 });

    const tab2 = tabStorage(tab1.map); // "Duplicate tab"
    expect(tab2.getItem('slotlock.sessionId')).toBe(original);
    const onLateConflict = vi.fn();
    const duplicate = await claimSessionId({ createChannel, waitMs: 20, storage: tab2, onLateConflict });

    expect(duplicate).not.toBe(original);
    expect(tab2.getItem('slotlock.sessionId')).toBe(duplicate);
    expect(tab1.getItem('slotlock.sessionId')).toBe(original);
    expect(onLateConflict).not.toHaveBeenCalled();
  });

  it('a tab alone keeps the id it had (a reload)', async () => {
    const tab = tabStorage(new Map([['slotlock.sessionId', 'tab-1']]));
    expect(await claimSessionId({ createChannel: fakeBus(), waitMs: 10, storage: tab })).toBe('tab-1');
  });

  it('an answer that comes after start-up still gives this tab a fresh id and reloads it', async () => {
    const createChannel = fakeBus();
    const slow = tabStorage(new Map([['slotlock.sessionId', 'tab-1']]));
    const onLateConflict = vi.fn();
    await claimSessionId({ createChannel, waitMs: 0, storage: slow, onLateConflict });
    // The original was busy; its answer arrives late.
    createChannel().postMessage({ type: 'taken', sessionId: 'tab-1', tab: 'other' });
    await new Promise((r) => setTimeout(r, 0));
    expect(onLateConflict).toHaveBeenCalledOnce();
    expect(slow.getItem('slotlock.sessionId')).not.toBe('tab-1');
  });
});
