import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { toast } from 'sonner';
import { useLocation } from 'react-router';
import { describeError, isApiError } from '@/lib/api-client';
import { useClinicTime } from '@/lib/clinic-time';
import { getSessionId } from '@/lib/session-id';
import { registerBeforeSignOut } from '@/lib/sign-out';
import type { User } from '@/lib/api/models';
import { useAcquireLock } from '../api/acquire-lock';
import { useLockStatus } from '../api/get-lock-status';
import { useLeaveQueue } from '../api/leave-queue';
import { releaseLock, releaseLockOnPageHide } from '../api/release-lock';
import { useRequestControl } from '../api/request-control';
import { lockModeOf, useLockStore } from '../stores/lock-store';
import { useRoomConnection } from './use-room-connection';

/** Where focus goes next: the first field once editing starts, Edit once it ends by the person's own hand. */
export type FocusTarget = 'first-field' | 'edit' | null;

/**
 * Everything the editor page knows about the lock: the room's socket and store, this tab's
 * mode, the lock actions (acquire, queue, take over, request control, leave the line) with
 * their toasts, releasing on leave, and where focus should go after Edit and Done.
 */
export function useEditorLock(appointmentId: string, me: User) {
  const [sessionId] = useState(getSessionId);
  const t = useClinicTime();
  const statusQ = useLockStatus(appointmentId);
  const socket = useRoomConnection(appointmentId, { userId: me.id, sessionId });
  const lock = useLockStore((s) => s.lock);
  const dispatch = useLockStore((s) => s.dispatch);
  const mode = lockModeOf(lock, { userId: me.id, sessionId });
  const [takeoverToken, setTakeoverToken] = useState<number | null>(null);
  // Arriving as the holder (the lock offered and taken on another page): the first field, as after Edit.
  const arrivedAs = (useLocation().state as { focus?: string } | null)?.focus;
  const [focusTarget, setFocusTarget] = useState<FocusTarget>(
    arrivedAs === 'first-field' ? 'first-field' : null,
  );

  // REST seeds the lock until the socket's snapshot takes over.
  useEffect(() => {
    if (statusQ.data) dispatch({ type: 'local/seed', lock: statusQ.data.lock });
  }, [statusQ.data, dispatch]);

  // Closing the tab or leaving the page frees the lock at once; the server's
  // disconnect grace is only the fallback.
  useEffect(() => {
    const holding = () => {
      const l = useLockStore.getState().lock;
      return !!l && l.appointmentId === appointmentId && l.userId === me.id && l.sessionId === sessionId;
    };
    const onPageHide = () => {
      if (holding()) releaseLockOnPageHide(appointmentId);
    };
    window.addEventListener('pagehide', onPageHide);
    // Signing out while editing frees the lock first: afterwards the token no longer works.
    const unregister = registerBeforeSignOut(async () => {
      const l = useLockStore.getState().lock;
      if (!l || !holding()) return;
      await releaseLock(appointmentId);
      useLockStore.getState().dispatch({ type: 'local/released', fencingToken: l.fencingToken });
    });
    return () => {
      unregister();
      window.removeEventListener('pagehide', onPageHide);
      if (holding()) void releaseLock(appointmentId).catch(() => {});
    };
  }, [appointmentId, me.id, sessionId]);

  const acquire = useAcquireLock(appointmentId, sessionId, {
    onSuccess: (res, vars) => {
      if (res.kind === 'acquired') {
        setFocusTarget('first-field');
        dispatch({ type: 'local/lock', lock: res.lock });
        if (vars.takeover) toast.success('You took over editing.');
      } else {
        toast.info(`You are number ${res.position} in line.`, {
          description: 'When it is free, it is offered to you for a minute, wherever you are in slotlock.',
        });
      }
    },
    onError: (e, vars) => {
      if (isApiError(e, 'LOCK_HELD') && e.lock) {
        dispatch({ type: 'local/lock', lock: e.lock });
        toast.error(
          vars.takeover
            ? `${e.lock.userInfo.name} holds the lock now, so nothing was taken over.`
            : `${e.lock.userInfo.name} is editing this appointment.`,
        );
        return;
      }
      if (isApiError(e, 'LOCK_OFFERED'))
        toast.error('The lock is being offered to the next person in line.', {
          description: 'Press Notify me when free to wait your turn.',
        });
      else if (isApiError(e, 'FORBIDDEN')) toast.error('Only an admin can take over an appointment.');
      else if (isApiError(e, 'NOT_CONNECTED'))
        // The line keeps a place only for a tab with live updates; this page's socket was not open.
        toast.error('You were not put in line: this page is not receiving live updates.', {
          description: 'Wait until it reconnects, or reload the page, then try again.',
        });
      else toast.error(describeError(e));
    },
    onSettled: () => setTakeoverToken(null),
  });

  const askControl = useRequestControl(appointmentId, sessionId, {
    onSuccess: (res) =>
      toast.success(`Asked ${useLockStore.getState().lock?.userInfo.name ?? 'the editor'} to hand over.`, {
        description: `Unless they keep working, control passes to you at ${t.time(res.deadline)}.`,
      }),
    onError: (e) => toast.error(describeError(e)),
  });

  /** Admins: frees someone else's lock without taking it (audited `force_released`). */
  const forceRelease = useMutation({
    mutationFn: (holderName: string) =>
      releaseLock(appointmentId, { force: true }).then((r) => ({ ...r, holderName })),
    onSuccess: ({ released, holderName }) => {
      if (released)
        toast.success(`${holderName}'s lock was released.`, { description: 'They can no longer save.' });
      else toast.info('Nothing was released: the lock was already free.');
    },
    onError: (e) => toast.error(describeError(e)),
  });

  const leaveLine = useLeaveQueue(appointmentId, sessionId, {
    onSuccess: () => toast.info('You left the line.'),
    onError: (e) => toast.error(describeError(e)),
  });

  return {
    sessionId,
    socket,
    lock,
    mode,
    acquire,
    askControl,
    leaveLine,
    forceRelease,
    takeoverToken,
    setTakeoverToken,
    focusTarget,
    /** Called by whoever took the focus it asked for, or to ask for it (Done → 'edit'). */
    setFocusTarget,
  };
}

export type EditorLock = ReturnType<typeof useEditorLock>;
