import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  endSession,
  onSessionEnd,
  registerBeforeSignOut,
  sessionStarted,
  signOut,
  type SessionEndReason,
} from './sign-out';

describe('ending a session', () => {
  const seen: SessionEndReason[] = [];
  let off: () => void;
  beforeEach(() => {
    seen.length = 0;
    sessionStarted();
    off = onSessionEnd((why) => seen.push(why));
  });
  afterEach(() => off());

  it('happens once however many requests answer 401 or sockets close with 4001', () => {
    endSession('session-ended');
    endSession('session-ended');
    endSession('signed-out');
    expect(seen).toEqual(['session-ended']);
    sessionStarted(); // signed in again
    endSession('session-ended');
    expect(seen).toEqual(['session-ended', 'session-ended']);
  });

  it('Sign out: tasks that need the session first, then the server, then the session ends here', async () => {
    const order: string[] = [];
    const unregister = registerBeforeSignOut(async () => void order.push('release lock'));
    off();
    off = onSessionEnd((why) => order.push(`ended: ${why}`));
    await signOut(async () => void order.push('POST /auth/logout'));
    unregister();
    expect(order).toEqual(['release lock', 'POST /auth/logout', 'ended: signed-out']);
  });

  it('the server closing this tab\'s sockets (4001) during its own sign-out is that sign-out, not "session ended"', async () => {
    await signOut(async () => endSession('session-ended'));
    expect(seen).toEqual(['signed-out']);
  });

  it('signs out here even when the server cannot be told', async () => {
    await expect(signOut(() => Promise.reject(new TypeError('offline')))).rejects.toThrow('offline');
    expect(seen).toEqual(['signed-out']);
  });

  it('one failing listener does not stop the others', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const offBad = onSessionEnd(() => {
      throw new Error('boom');
    });
    const after = vi.fn();
    const offAfter = onSessionEnd(after);
    endSession('session-ended');
    expect(after).toHaveBeenCalledWith('session-ended');
    expect(spy).toHaveBeenCalled();
    offBad();
    offAfter();
  });
});
