import { useCallback, useEffect, useRef } from 'react';
import { throttle, type Throttled } from '@/lib/throttle';
import type { WsClient } from '@/lib/ws-client';
import { draftKey, fitDraft, type DraftFields } from '../lib/draft-fields';

/**
 * The server takes at most 5 drafts a second per connection; 4 leave room for timers that
 * fire late and frames that arrive bunched up.
 */
export const DRAFT_INTERVAL_MS = 250;

const NOTHING = draftKey({});

/**
 * Shows the holder's typing to the room: a `draft` frame with the fields that differ from the
 * saved version whenever they change, at most every 250 ms (the newest always goes last), and
 * again after a reconnect (the server's copy went with the old socket). `{}` says "back to the
 * saved values".
 */
export function useDraftBroadcast(socket: WsClient | null, fields: DraftFields) {
  const key = draftKey(fields);
  const latest = useRef(fields);
  const sent = useRef(NOTHING);
  const sender = useRef<{ socket: WsClient; throttled: Throttled<DraftFields> } | null>(null);

  useEffect(() => {
    if (!socket) return;
    const throttled = throttle<DraftFields>((f) => void socket.send({ type: 'draft', fields: fitDraft(f) }), {
      intervalMs: DRAFT_INTERVAL_MS,
    });
    sender.current = { socket, throttled };
    // A fresh snapshot means a fresh connection: tell it what is typed now.
    const unsubscribe = socket.subscribe((frame) => {
      if (frame.type === 'snapshot' && sent.current !== NOTHING) throttled.push(latest.current);
    });
    if (sent.current !== NOTHING) throttled.push(latest.current);
    return () => {
      unsubscribe();
      // Unmounted (released, lost, taken over): the lock's end clears the viewers' copy.
      throttled.cancel();
      sender.current = null;
    };
  }, [socket]);

  useEffect(() => {
    latest.current = fields;
    if (key === sent.current) return;
    sent.current = key;
    sender.current?.throttled.push(fields);
    // `fields` is new every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  /** Cancel editing: viewers go back to the saved values at once, before the lock is given back. */
  const clear = useCallback(() => {
    latest.current = {};
    sent.current = NOTHING;
    const s = sender.current;
    if (!s) return;
    s.throttled.cancel();
    s.socket.send({ type: 'draft', fields: {} });
  }, []);

  return { clear };
}
