import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import type { User } from '@/lib/api/models';
import type { EditorLock } from '../hooks/use-editor-lock';
import { askNotificationPermission } from '../lib/notification-permission';
import { useLockStore } from '../stores/lock-store';

/**
 * What a person who does not hold the lock can do: Edit; while someone else edits, wait in
 * line; admins also Request control and Take over (behind a confirmation naming the holder).
 */
export function ViewerActions({ editor, me }: { editor: EditorLock; me: User }) {
  const { lock, mode, acquire, askControl, leaveLine, forceRelease, takeoverToken, setTakeoverToken } =
    editor;
  const queue = useLockStore((s) => s.queue);
  const controlRequest = useLockStore((s) => s.controlRequest);
  const offer = useLockStore((s) => s.offer);
  // The free lock is kept for someone else for now: Edit would be refused, waiting is not.
  const offeredToOther = mode === 'free' && !!offer && offer.userId !== me.id;
  const canWait = mode === 'other' || offeredToOther;
  /** The holder named in the force-release dialog: the lock it was opened for. */
  const [forcing, setForcing] = useState<{ token: number; name: string; email: string } | null>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const isAdmin = me.role === 'admin';
  const queuePosition = queue.findIndex((q) => q.userId === me.id) + 1;
  const myControlRequest = controlRequest && controlRequest.by.userId === me.id ? controlRequest : null;
  const startingEdit = acquire.isPending && !acquire.variables?.takeover && !acquire.variables?.queue;
  const { focusTarget, setFocusTarget } = editor;

  // Done puts focus back on Edit, where editing started.
  useEffect(() => {
    if (focusTarget !== 'edit') return;
    editRef.current?.focus();
    setFocusTarget(null);
  }, [focusTarget, setFocusTarget]);

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        ref={editRef}
        variant="primary"
        disabled={mode !== 'free' || offeredToOther || acquire.isPending}
        loading={startingEdit && !acquire.variables?.moveHere}
        onClick={() => acquire.mutate({})}
      >
        {startingEdit && !acquire.variables?.moveHere ? 'Starting…' : 'Edit'}
      </Button>
      {canWait &&
        (queuePosition > 0 ? (
          <span className="inline-flex items-center gap-2 text-sm text-neutral-700">
            You are number {queuePosition} in line.
            <Button
              size="sm"
              variant="ghost"
              loading={leaveLine.isPending}
              onClick={() => leaveLine.mutate()}
            >
              Leave the line
            </Button>
          </span>
        ) : (
          <Button
            loading={acquire.isPending && acquire.variables?.queue}
            disabled={acquire.isPending}
            onClick={() => {
              // Asked here, when the person wants to be told, never on load.
              askNotificationPermission();
              acquire.mutate({ queue: true });
            }}
          >
            Notify me when free
          </Button>
        ))}
      {mode === 'other' && isAdmin && lock && (
        <>
          <Button
            loading={askControl.isPending}
            disabled={!!myControlRequest}
            onClick={() => askControl.mutate()}
          >
            {myControlRequest ? 'Control requested' : 'Request control'}
          </Button>
          <Button variant="danger" onClick={() => setTakeoverToken(lock.fencingToken)}>
            Take over
          </Button>
          <Button
            variant="danger"
            loading={forceRelease.isPending}
            onClick={() =>
              setForcing({ token: lock.fencingToken, name: lock.userInfo.name, email: lock.userInfo.email })
            }
          >
            Force release
          </Button>
        </>
      )}
      {mode === 'free' && !offeredToOther && (
        <span className="text-sm text-neutral-600">Read-only until you press Edit.</span>
      )}

      <ConfirmDialog
        open={takeoverToken !== null && mode === 'other' && !!lock}
        title="Take over editing?"
        confirmLabel="Take over"
        destructive
        busy={acquire.isPending && acquire.variables?.takeover}
        onCancel={() => setTakeoverToken(null)}
        onConfirm={() =>
          takeoverToken !== null && acquire.mutate({ takeover: true, fencingToken: takeoverToken })
        }
      >
        <p>
          <strong className="text-neutral-900">{lock?.userInfo.name}</strong> ({lock?.userInfo.email}) is
          editing this appointment. Taking over ends their session at once; they can no longer save, and their
          unsaved changes stay in their browser. This is recorded in the audit log.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={!!forcing && mode === 'other' && lock?.fencingToken === forcing.token}
        title="Force release the lock?"
        confirmLabel="Force release"
        destructive
        busy={forceRelease.isPending}
        onCancel={() => setForcing(null)}
        onConfirm={() => {
          if (!forcing) return;
          forceRelease.mutate(forcing.name, { onSettled: () => setForcing(null) });
        }}
      >
        <p>
          <strong className="text-neutral-900">{forcing?.name}</strong> ({forcing?.email}) is editing this
          appointment. Force release frees the lock without giving it to you: they can no longer save, their
          unsaved changes stay in their browser, and the next person in line is offered it. This is recorded
          in the audit log.
        </p>
      </ConfirmDialog>
    </div>
  );
}
