import type { RefObject } from 'react';
import type { WsClient } from '@/lib/ws-client';

export interface LiveCursorsProps {
  appointmentId: string;
  /** The form area the cursors are drawn over (x, y are 0..1 of it). */
  containerRef: RefObject<HTMLDivElement | null>;
  /** The appointment's socket: `subscribe` for `cursors` frames, `send({type:'cursor',x,y})`. */
  socket: WsClient | null;
}

/**
 * Placeholder: other viewers' animated pointers (Following Pointer style) are
 * drawn here by the live-cursors issue. It is already mounted over the form.
 */
export function LiveCursors(_props: LiveCursorsProps) {
  return null;
}
